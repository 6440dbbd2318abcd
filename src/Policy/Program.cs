using System.CommandLine;

var root = new RootCommand("compilerllm-train: builds the corpus, trains the rewrite policy and exports it to ONNX");
root.Subcommands.Add(CompilerLLM.Training.FitSupervisedCommand.Create());
root.Subcommands.Add(CompilerLLM.Training.TrainCommand.Create(ablate: false));
root.Subcommands.Add(CompilerLLM.Training.TrainCommand.Create(ablate: true));
root.Subcommands.Add(CompilerLLM.Training.TrainVariantsCommand.Create());
root.Subcommands.Add(CompilerLLM.Training.AssignVariantsCommand.Create());
return root.Parse(args).Invoke();
