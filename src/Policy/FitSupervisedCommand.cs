using System.CommandLine;
using System.Security.Cryptography;
using CompilerLLM.Lab.Corpus;
using CompilerLLM.Lab.Measurement;
using CompilerLLM.Inference;
using CompilerLLM.Training.Learning;
using CompilerLLM.Training.Onnx;
using CompilerLLM.Training.Supervised;

namespace CompilerLLM.Training;

/// <summary><c>compilerllm-train fit-supervised</c>: the first shipped model (supervised on cost-model deltas).</summary>
internal static class FitSupervisedCommand
{
    public static Command Create()
    {
        var programs = new Option<int>("--programs") { Description = "csmith programs in the corpus", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--first-seed") { Description = "first csmith seed", DefaultValueFactory = _ => 1 };
        var mcpu = new Option<string>("--mcpu") { Description = "llvm-mca CPU model of the cost model (native: this machine's)", DefaultValueFactory = _ => "native" };
        var output = new Option<string?>("-o", "--output") { Description = "Where to write the model (default: .cache/train/supervised/policy.onnx; the shipped model comes from `train`); the model card goes next to it" };
        var command = new Command("fit-supervised", "Fit the first policy: logistic regression on whether each candidate lowers llvm-mca's cycles for its block")
        {
            programs, seed, mcpu, output,
        };
        command.SetAction(parse => Run(parse.GetValue(programs), parse.GetValue(seed), parse.GetValue(mcpu)!, parse.GetValue(output)));
        return command;
    }

    private static int Run(int programs, int firstSeed, string mcpu, string? output)
    {
        if (programs < 5) { Console.Error.WriteLine("compilerllm-train: error: --programs must be at least 5 (one in five goes to validation)"); return 2; }
        string root = CompilerLLM.Lab.Repository.FindRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory;
        output ??= Path.Combine(CompilerLLM.Lab.Repository.DefaultCacheDirectory(root), "train", "supervised", RewritePolicy.DefaultModelFileName);
        var corpus = new CorpusBuilder(Path.Combine(CompilerLLM.Lab.Repository.DefaultCacheDirectory(root), "train"));
        var estimator = new StaticEstimator(new StaticEstimatorOptions { Mcpu = mcpu, DiskCacheDirectory = Path.Combine(corpus.CacheDirectory, "mca") });
        var options = new SupervisedOptions { Programs = programs, FirstSeed = firstSeed };
        var (model, report) = SupervisedTrainer.Train(options, corpus, blocks => estimator.CyclesPerExecution(blocks),
            m => Console.Error.WriteLine("fit-supervised: " + m));

        byte[] onnx = MlpOnnxWriter.Write([new DenseLayerWeights(FeatureSchema.Width, 1, model.Weights, [model.Bias], Activation.None)],
            PolicyModelContract.InputName, PolicyModelContract.OutputName, PolicyModelContract.Metadata(),
            "CompilerLLM first policy: logistic regression on llvm-mca block cycle deltas (see MODEL_CARD.md)");
        string directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(output, onnx);
        string sha = Convert.ToHexStringLower(SHA256.HashData(onnx));
        string card = ModelCard.Supervised(model, report, options, $"llvm-mca-14 -mcpu={estimator.Cpu}", sha,
            $"compilerllm-train fit-supervised --programs {programs} --first-seed {firstSeed} --mcpu {mcpu}");
        File.WriteAllText(Path.Combine(directory, "MODEL_CARD.md"), card);

        using (RewritePolicy.Load(output)) { } // the written file must meet the contract it ships under
        var v = report.Validation.ToDictionary(o => o.Policy);
        var stats = estimator.Statistics;
        Console.Error.WriteLine($"fit-supervised: llvm-mca {stats.McaInvocations} runs, {stats.BlocksSimulated} blocks simulated, cache hit rate {100 * stats.HitRate:F0}%, {stats.McaTime.TotalSeconds:F0} s");
        Console.WriteLine($"fit-supervised: {report.TrainExamples} train / {report.ValidationExamples} validation candidates, validation accuracy {100 * report.ValidationAccuracy:F1}%, " +
            $"cycles saved on validation: model {SupervisedTrainer.Format(v["model"].CyclesSaved)}, apply-all {SupervisedTrainer.Format(v["apply-all"].CyclesSaved)}, " +
            $"oracle {SupervisedTrainer.Format(v["cost-model oracle"].CyclesSaved)}; wrote {output}");
        return 0;
    }
}
