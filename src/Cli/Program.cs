using System.CommandLine;
using CompilerLLM.Cli;

var root = new RootCommand("compilerllm: learned, verified post-optimizer for GCC x86-64 assembly");
root.Subcommands.Add(RoundTripCommand.Create());
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(OptimizeCommand.Create());
root.Subcommands.Add(ProveRulesCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
return root.Parse(args).Invoke();
