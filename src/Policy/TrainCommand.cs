using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CompilerLLM.Inference;
using CompilerLLM.Training.Episodes;
using CompilerLLM.Training.Learning;
using CompilerLLM.Training.Onnx;
using CompilerLLM.Pipeline;

namespace CompilerLLM.Training;

/// <summary>
/// <c>compilerllm-train train</c> (one run, exports the model and its card) and <c>compilerllm-train ablate</c>
/// (full, −CG-MN, −surprise, −both on the same corpus and reward; writes the ablation table and curves).
/// </summary>
internal static class TrainCommand
{
    private sealed record Settings(int Programs, int FirstSeed, int Steps, int Batch, int Group, ulong Seed, string Mcpu,
        bool CrossGroup, bool Surprise, bool Kl, string? Output, string? ReportDirectory, string? CheckpointDirectory, float LearningRate, CreditAssignment Credit);

    public static Command Create(bool ablate)
    {
        var programs = new Option<int>("--programs") { Description = "csmith programs in the corpus (each at -O2, -O3, -O3 -march=x86-64-v3)", DefaultValueFactory = _ => 300 };
        var firstSeed = new Option<int>("--first-seed") { Description = "first csmith seed", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "policy updates", DefaultValueFactory = _ => 300 };
        var batch = new Option<int>("--batch") { Description = "functions (groups) per update", DefaultValueFactory = _ => 64 };
        var group = new Option<int>("--group") { Description = "G, rollouts per function", DefaultValueFactory = _ => 8 };
        var learningRate = new Option<float>("--learning-rate") { Description = "Adam step size", DefaultValueFactory = _ => 1e-2f };
        var credit = new Option<CreditAssignment>("--credit") { Description = "group unit: Block (each block's decisions credited with its own saving) or Function", DefaultValueFactory = _ => CreditAssignment.Function };
        var seed = new Option<ulong>("--seed") { Description = "run seed (initialization, batches, sampling)", DefaultValueFactory = _ => 1UL };
        var mcpu = new Option<string>("--mcpu") { Description = "llvm-mca CPU model of the reward (native: this machine's)", DefaultValueFactory = _ => "native" };
        var noCg = new Option<bool>("--no-cgmn") { Description = "turn Cross-Group Meta-Normalization off" };
        var noSurprise = new Option<bool>("--no-surprise") { Description = "turn surprise-aware reward modulation off" };
        var noKl = new Option<bool>("--no-kl") { Description = "turn the KL trust-region term off" };
        var output = new Option<string?>("-o", "--output") { Description = "model path (default: src/Runtime/Inference/Model/policy.onnx); the model card goes next to it" };
        var report = new Option<string?>("--report") { Description = "write curves (SVG) and tables (Markdown) here (default: .cache/train/report)" };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "checkpoint here and resume from it when present" };
        var command = ablate
            ? new Command("ablate", "Train full, −CG-MN, −surprise and −both on one corpus; write the ablation table and curves")
            : new Command("train", "Train the rewrite policy by group-normalized policy optimization and export it to ONNX");
        foreach (var o in new Option[] { programs, firstSeed, steps, batch, group, seed, learningRate, credit, mcpu, report }) command.Options.Add(o);
        if (!ablate) foreach (var o in new Option[] { noCg, noSurprise, noKl, output, checkpoints }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var s = new Settings(parse.GetValue(programs), parse.GetValue(firstSeed), parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(group),
                parse.GetValue(seed), parse.GetValue(mcpu)!, !parse.GetValue(noCg), !parse.GetValue(noSurprise), !parse.GetValue(noKl),
                parse.GetValue(output), parse.GetValue(report), parse.GetValue(checkpoints), parse.GetValue(learningRate), parse.GetValue(credit));
            if (s.Programs < 5 || s.Steps < 1 || s.Batch < 1 || s.Group < 2 || !(s.LearningRate > 0))
            {
                Console.Error.WriteLine("compilerllm-train: error: need --programs ≥ 5, --steps ≥ 1, --batch ≥ 1, --group ≥ 2, --learning-rate > 0");
                return 2;
            }
            return ablate ? RunAblation(s) : RunTraining(s);
        });
        return command;
    }

    private static string Root => CompilerLLM.Lab.Repository.FindRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory;

    private static void Progress(string message) => Console.Error.WriteLine($"train: {message}");

    private static TrainingConfig Config(Settings s, bool crossGroup, bool surprise) => new()
    {
        Seed = s.Seed,
        GroupSize = s.Group,
        LearningRate = s.LearningRate,
        CrossGroupNormalization = crossGroup,
        SurpriseModulation = surprise,
        KlPenalty = s.Kl,
    };

    private static int RunTraining(Settings s)
    {
        var clock = Stopwatch.StartNew();
        var setup = TrainingSetup.Create(new CorpusOptions { Programs = s.Programs, FirstSeed = s.FirstSeed }, Root, s.Mcpu, Progress);
        var config = Config(s, s.CrossGroup, s.Surprise);
        var run = new GroupTrainingRun(config, new RunOptions { Steps = s.Steps, BatchFunctions = s.Batch, CheckpointDirectory = s.CheckpointDirectory, Credit = s.Credit },
            setup.Reward, setup.Train, setup.Validation, setup.Scaler);
        run.Run(Progress);
        var learned = setup.Reward.Score("learned policy", setup.Validation, run.Decide(setup.Validation));
        var scores = setup.Baselines.Append(learned).ToList();
        if (ShippedModelScore(setup) is { } shipped) scores.Insert(scores.Count - 1, shipped);

        // Export: the standardization folded into the first layer, checked against ORT on every validation row.
        string output = s.Output ?? Path.Combine(Root, "src", "Runtime", "Inference", "Model", RewritePolicy.DefaultModelFileName);
        var layers = setup.Scaler.Fold(run.Trainer.Model.ExportWeights());
        byte[] onnx = MlpOnnxWriter.Write(layers, PolicyModelContract.InputName, PolicyModelContract.OutputName,
            PolicyModelContract.Metadata(config.GreedyThreshold), "CompilerLLM rewrite policy trained by group-normalized policy optimization (see MODEL_CARD.md)");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllBytes(output, onnx);
        double maxDifference = 0;
        int rows = 0;
        using (var policy = RewritePolicy.Load(output))
        {
            foreach (var f in setup.Validation)
            {
                float[] ort = policy.Score(f.Features);
                float[] managed = run.Trainer.Model.Forward(setup.Scaler.Apply(f.Features), f.Count);
                for (int i = 0; i < ort.Length; i++) maxDifference = Math.Max(maxDifference, Math.Abs(ort[i] - managed[i]));
                rows += f.Count;
            }
        }
        string sha = Convert.ToHexStringLower(SHA256.HashData(onnx));
        string command = $"compilerllm-train train --programs {s.Programs} --first-seed {s.FirstSeed} --steps {s.Steps} --batch {s.Batch} --group {s.Group} --seed {s.Seed} --learning-rate {s.LearningRate.ToString(CultureInfo.InvariantCulture)} --credit {s.Credit} --mcpu {s.Mcpu}" +
            (s.CrossGroup ? "" : " --no-cgmn") + (s.Surprise ? "" : " --no-surprise") + (s.Kl ? "" : " --no-kl");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "MODEL_CARD.md"),
            Card(s, config, setup, scores, run.Curve, sha, command, setup.Reward.Estimator.Cpu, maxDifference, rows, clock.Elapsed));

        string reportDirectory = s.ReportDirectory ?? Path.Combine(Root, ".cache", "train", "report");
        Directory.CreateDirectory(reportDirectory);
        File.WriteAllText(Path.Combine(reportDirectory, "curve.svg"), TrainingReport.Lines(
            [new Series("validation % saved", [.. run.Curve.Where(p => p.ValidationRelative is not null).Select(p => ((double)p.Step, p.ValidationRelative!.Value))]),
             new Series("batch reward %", [.. run.Curve.Select(p => ((double)p.Step, p.MeanReward))])],
            "Training curve", "update", "% of function cycles saved"));
        File.WriteAllText(Path.Combine(reportDirectory, "results.md"), TrainingReport.Table(scores));
        Console.WriteLine(TrainingReport.Table(scores));
        var all = scores.Single(x => x.Name == "apply-all");
        var greedy = scores.Single(x => x.Name == "cost-model greedy");
        Console.WriteLine($"train: learned {learned.Saved:0.#} weighted cycles saved on validation vs apply-all {all.Saved:0.#} and cost-model greedy {greedy.Saved:0.#}; " +
            $"ORT vs trainer max |Δ| {maxDifference:E1} over {rows} rows; wrote {output} in {clock.Elapsed.TotalMinutes:F1} min");
        return 0;
    }

    /// <summary>The model shipped before this run, decided exactly as the optimizer does (score above its threshold, best first).</summary>
    private static PolicyScore? ShippedModelScore(TrainingSetup setup)
    {
        string path = Path.Combine(Root, "src", "Runtime", "Inference", "Model", RewritePolicy.DefaultModelFileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var model = RewritePolicy.Load(path);
            var choices = setup.Validation.Select(f =>
            {
                float[] scores = model.Score(f.Features);
                return (IReadOnlyList<int>)RewriteSelection.Select(f.Actions, Enumerable.Range(0, f.Count).Where(a => scores[a] > model.Threshold).OrderByDescending(a => scores[a]).ThenBy(a => a));
            }).ToList();
            return setup.Reward.Score("shipped model before this run", setup.Validation, choices);
        }
        catch (PolicyLoadException e)
        {
            Progress($"the shipped model is not comparable: {e.Message}");
            return null;
        }
    }

    private static int RunAblation(Settings s)
    {
        var clock = Stopwatch.StartNew();
        var setup = TrainingSetup.Create(new CorpusOptions { Programs = s.Programs, FirstSeed = s.FirstSeed }, Root, s.Mcpu, Progress);
        var variants = new (string Name, bool CrossGroup, bool Surprise)[] { ("full", true, true), ("−CG-MN", false, true), ("−surprise", true, false), ("−both", false, false) };
        var scores = new List<PolicyScore>(setup.Baselines);
        if (ShippedModelScore(setup) is { } shipped) scores.Add(shipped);
        var curves = new List<Series>();
        foreach (var (name, crossGroup, surprise) in variants)
        {
            Progress($"ablation variant {name}");
            var run = new GroupTrainingRun(Config(s, crossGroup, surprise), new RunOptions { Steps = s.Steps, BatchFunctions = s.Batch, Credit = s.Credit },
                setup.Reward, setup.Train, setup.Validation, setup.Scaler);
            run.Run(m => Progress($"[{name}] {m}"));
            scores.Add(setup.Reward.Score(name, setup.Validation, run.Decide(setup.Validation)));
            curves.Add(new Series(name, [.. run.Curve.Where(p => p.ValidationRelative is not null).Select(p => ((double)p.Step, p.ValidationRelative!.Value))]));
        }
        string reportDirectory = s.ReportDirectory ?? Path.Combine(Root, ".cache", "train", "report");
        Directory.CreateDirectory(reportDirectory);
        File.WriteAllText(Path.Combine(reportDirectory, "ablation.svg"), TrainingReport.Lines(curves, "Ablation: validation % of function cycles saved", "update", "% saved (mean over functions)"));
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Ablation\n\n`compilerllm-train ablate --programs {s.Programs} --steps {s.Steps} --batch {s.Batch} --group {s.Group} --seed {s.Seed}` ");
        md.Append(CultureInfo.InvariantCulture, $"({setup.Train.Count} training / {setup.Validation.Count} validation functions, {clock.Elapsed.TotalMinutes:F1} min).\n\n");
        md.Append(TrainingReport.Table(scores)).Append("\n![curves](ablation.svg)\n");
        File.WriteAllText(Path.Combine(reportDirectory, "ablation.md"), md.ToString());
        Console.WriteLine(TrainingReport.Table(scores));
        Console.WriteLine($"ablate: {variants.Length} variants in {clock.Elapsed.TotalMinutes:F1} min; wrote {Path.Combine(reportDirectory, "ablation.md")}");
        return 0;
    }

    private static string Card(Settings s, TrainingConfig config, TrainingSetup setup, IReadOnlyList<PolicyScore> scores, IReadOnlyList<CurvePoint> curve,
        string sha, string command, string cpu, double maxDifference, int rows, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        sb.Append("# Model card: `policy.onnx`\n\n| | |\n|---|---|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| sha256 | `{sha}` |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| architecture | MLP {FeatureSchema.Width} → {string.Join(" → ", config.HiddenLayers)} ({config.HiddenActivation}) → 1 logit; ONNX `Gemm`/`{config.HiddenActivation}`, IR 8, opset 13 |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| feature schema | version {FeatureSchema.Version}, {FeatureSchema.Width} features (names in the model's metadata); standardization folded into the first layer |\n");
        sb.Append("| decision | apply a candidate when its logit is above 0 (probability ½), best first, skipping overlaps |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| made by | `{command}` ({elapsed.TotalMinutes:F1} min on this 2-core machine) |\n\n");
        sb.Append("## Corpus\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"csmith programs with seeds {s.FirstSeed}–{s.FirstSeed + s.Programs - 1}, each compiled by GCC 12 at ");
        sb.Append(string.Join(", ", setup.Corpus.FlagSets.Select(f => $"`{f.Flags}`")));
        sb.Append(CultureInfo.InvariantCulture, $". Split by program (seeds divisible by {setup.Corpus.ValidationEvery} are validation): {setup.Train.Count} training and {setup.Validation.Count} validation functions with at least one valid candidate.\n\n");
        sb.Append("## Reward\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"llvm-mca-14 (`-mcpu={cpu}`) cycles per execution of every block a rewrite touches, before minus after, weighted by 8^(loop depth, at most 3) ");
        sb.Append("as a static stand-in for execution counts, summed over the function and divided by the function's weighted cycles (percent). ");
        sb.Append("Actions are subsets of the guarded (valid) candidates, so an unverified rewrite can never be chosen; overlaps resolve best-logit first, as in the optimizer.\n\n");
        sb.Append("## Hyper-parameters\n\n```json\n").Append(config.ToJson()).Append("\n```\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{s.Steps} updates of {s.Batch} functions × G = {s.Group} rollouts.\n\n");
        sb.Append("## Validation (cost signal)\n\n").Append(TrainingReport.Table(scores)).Append('\n');
        sb.Append("The oracle searches every subset of each block's candidates (up to 6 per block) with the reward itself: a ceiling.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"ONNX Runtime's scores equal the trainer's forward pass on all {rows} validation rows within {maxDifference:E1}.\n\n");
        sb.Append("## Curve\n\n| update | batch reward % | KL | validation % saved |\n|---:|---:|---:|---:|\n");
        foreach (var p in curve.Where(p => p.ValidationRelative is not null))
            sb.Append(CultureInfo.InvariantCulture, $"| {p.Step} | {p.MeanReward:0.0000} | {p.MeanKl:0.0000} | {p.ValidationRelative:0.0000} |\n");
        sb.Append("\nWhat it is not: a speed claim. Claims about wall time come from `compilerllm eval`.\n");
        return sb.ToString();
    }
}
