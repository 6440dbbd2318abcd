using System.CommandLine;

var root = new RootCommand("compilerllm-train: builds the corpus, trains the rewrite policy and exports it to ONNX");
root.Subcommands.Add(CompilerLLM.Training.FitSupervisedCommand.Create());
return root.Parse(args).Invoke();
