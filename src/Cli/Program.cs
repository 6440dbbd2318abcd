using System.CommandLine;
using CompilerLLM.Cli;

// `compilerllm cc COMPILER ARGS…` is the compiler launcher (compilerllm-cc): its arguments are the compiler's, not ours.
if (args.Length > 0 && args[0] == "cc") return CompilerLLM.Launcher.LauncherMain.Run(args[1..]);

var root = new RootCommand("compilerllm: learned, verified post-optimizer for GCC x86-64 assembly");
root.Subcommands.Add(RoundTripCommand.Create());
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(OptimizeCommand.Create());
root.Subcommands.Add(ProveRulesCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(VariantsCommand.Create());
root.Subcommands.Add(SizeCommand.Create());
return root.Parse(args).Invoke();
