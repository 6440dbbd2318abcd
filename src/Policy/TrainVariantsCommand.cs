using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CompilerLLM.Training.Learning;
using CompilerLLM.Training.Variants;
using CompilerLLM.Variants;

namespace CompilerLLM.Training;

/// <summary>
/// <c>compilerllm-train train-variants</c>: learns which compile variant each unit gets from the measured variant
/// dataset, cross-validated by program against every simple method and the ablations, writes the assignments for the
/// harness to measure, and exports the model trained on every program (optionally as the shipped one, with its card).
/// </summary>
internal static class TrainVariantsCommand
{
    private sealed record Settings(string Dataset, string Out, int Folds, bool CrossGroup, bool Surprise, double Kl, ulong Seed,
        int AblationSeeds, int Steps, float Margin, string? Model);

    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "the variant dataset (compilerllm variants SUITE --out FILE)", Required = true };
        var output = new Option<string>("--out") { Description = "directory for the report, assignments.json and the trained model", Required = true };
        var folds = new Option<int>("--folds") { Description = "K folds by program (ignored with --loo)", DefaultValueFactory = _ => 5 };
        var loo = new Option<bool>("--loo") { Description = "leave one program out" };
        var noCg = new Option<bool>("--no-cgmn") { Description = "turn Cross-Group Meta-Normalization off (the main run; the ablation runs all four)" };
        var noSurprise = new Option<bool>("--no-surprise") { Description = "turn surprise-aware reward modulation off (the main run)" };
        var kl = new Option<double>("--kl") { Description = "β of the KL pull towards the base-preferring reference (0: off)", DefaultValueFactory = _ => 0.02 };
        var seed = new Option<ulong>("--seed") { Description = "run seed (initialization, sampling); the ablation uses it and the next ones", DefaultValueFactory = _ => 1UL };
        var ablationSeeds = new Option<int>("--ablation-seeds") { Description = "seeds per ablation variant (0: no ablation)", DefaultValueFactory = _ => 3 };
        var steps = new Option<int>("--steps") { Description = "policy updates per training run", DefaultValueFactory = _ => 200 };
        var margin = new Option<float>("--margin") { Description = "score margin over base a variant needs (the model's threshold)", DefaultValueFactory = _ => 0.25f };
        var model = new Option<string?>("--model") { Description = "also write the model trained on every program here (the shipped one: src/Runtime/Variants/Model/variants.onnx) with MODEL_CARD.md beside it" };
        var command = new Command("train-variants", "Learn the per-unit compile variant from measured speed; cross-validate by program; export the ONNX variant policy");
        foreach (var o in new Option[] { dataset, output, folds, loo, noCg, noSurprise, kl, seed, ablationSeeds, steps, margin, model }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var s = new Settings(parse.GetValue(dataset)!, parse.GetValue(output)!, parse.GetValue(loo) ? 0 : parse.GetValue(folds),
                !parse.GetValue(noCg), !parse.GetValue(noSurprise), parse.GetValue(kl), parse.GetValue(seed), parse.GetValue(ablationSeeds),
                parse.GetValue(steps), parse.GetValue(margin), parse.GetValue(model));
            if (s.Steps < 1 || s.AblationSeeds < 0 || !(s.Kl >= 0) || (s.Folds != 0 && s.Folds < 2))
            {
                Console.Error.WriteLine("compilerllm-train: error CLLM8001: need --steps ≥ 1, --ablation-seeds ≥ 0, --kl ≥ 0, --folds ≥ 2");
                return 2;
            }
            return Run(s);
        });
        return command;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"train-variants: {message}");

    private static VariantTrainingOptions Options(Settings s, bool crossGroup, bool surprise, ulong seed)
    {
        var defaults = new VariantTrainingOptions();
        return defaults with
        {
            Steps = s.Steps,
            Margin = s.Margin,
            Config = defaults.Config with { Seed = seed, CrossGroupNormalization = crossGroup, SurpriseModulation = surprise, KlPenalty = s.Kl > 0, KlCoefficient = s.Kl },
        };
    }

    private static int Run(Settings s)
    {
        var clock = Stopwatch.StartNew();
        VariantCorpus corpus;
        try
        {
            corpus = VariantCorpus.Load(s.Dataset);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"compilerllm-train: error CLLM8002: {e.Message}");
            return 1;
        }
        var programs = corpus.Programs;
        if (programs.Count < 2)
        {
            Console.Error.WriteLine($"compilerllm-train: error CLLM8003: {s.Dataset} holds {programs.Count} program(s); cross-validation needs at least 2");
            return 1;
        }
        if (corpus.Dataset.Synthetic) Progress("THE DATASET IS SYNTHETIC (generated, never measured): numbers below say nothing about speed");
        var folds = VariantCrossValidation.Folds(programs.Count, s.Folds);
        string protocol = folds.Count == programs.Count ? "leave-one-program-out" : $"{folds.Count} folds by program";
        Progress($"{programs.Count} programs, {programs.Sum(p => p.Units.Count)} units ({programs.Sum(p => p.Units.Count(u => u.IsDecision))} with a choice that matters); {protocol}");

        // Every training run of the report, independent, so they run in parallel with deterministic results.
        var jobs = new List<(string Name, bool CrossGroup, bool Surprise, ulong Seed)> { ("main", s.CrossGroup, s.Surprise, s.Seed) };
        var ablation = new (string Name, string Method, bool CrossGroup, bool Surprise)[]
            { ("full", "zero-shot", true, true), ("−CG-MN", "ablation-no-cgmn", false, true), ("−surprise", "ablation-no-surprise", true, false), ("−both", "ablation-no-both", false, false) };
        for (int k = 0; k < s.AblationSeeds; k++)
            foreach (var a in ablation)
                if (!jobs.Any(j => j.CrossGroup == a.CrossGroup && j.Surprise == a.Surprise && j.Seed == s.Seed + (ulong)k))
                    jobs.Add((a.Name, a.CrossGroup, a.Surprise, s.Seed + (ulong)k));
        var results = new int[jobs.Count][][];
        var withoutProfile = new int[jobs.Count][][];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var job = jobs[i];
            var watch = Stopwatch.StartNew();
            var views = new int[programs.Count][];
            results[i] = VariantCrossValidation.Assign(programs, folds, training =>
            {
                var model = VariantTrainer.Train(training, Options(s, job.CrossGroup, job.Surprise, job.Seed));
                return program =>
                {
                    // The same held-out model, for a build of the program without a profile.
                    views[IndexOf(programs, program)] = model.Assign(program.WithoutProfile());
                    return model.Assign(program);
                };
            });
            withoutProfile[i] = views;
            Progress($"cross-validated {job.Name} (CG-MN {On(job.CrossGroup)}, surprise {On(job.Surprise)}, seed {job.Seed}) in {watch.Elapsed.TotalSeconds:F0} s");
        });
        int[][] Cv(bool crossGroup, bool surprise, ulong seed) => results[jobs.FindIndex(j => j.CrossGroup == crossGroup && j.Surprise == surprise && j.Seed == seed)];

        var zeroShot = results[0];
        var scores = new List<MethodScore>();
        // Each variant everywhere, for the variants the dataset measured (base is the reference row).
        foreach (var v in VariantCorpus.Variants.Where(v => programs.Any(p => double.IsFinite(p.LogRatio[VariantCorpus.IndexOf(v.Name)]))))
            scores.Add(VariantEvaluation.Score(v == VariantTable.Base ? "base (-O3)" : $"{v.Name} everywhere", programs, VariantMethods.Everywhere(programs, VariantCorpus.IndexOf(v.Name))));
        var costModel = VariantMethods.CostModel(programs);
        scores.Add(VariantEvaluation.Score("cost-model choice (argmin estimated cycles per unit)", programs, costModel));
        string mainName = $"zero-shot policy ({protocol}; CG-MN {On(s.CrossGroup)}, surprise {On(s.Surprise)}, KL {s.Kl.ToString(CultureInfo.InvariantCulture)}, seed {s.Seed})";
        scores.Add(VariantEvaluation.Score(mainName, programs, zeroShot));
        var profileFree = programs.Select(p => p.WithoutProfile()).ToList();
        var noProfileScore = VariantEvaluation.Score("zero-shot policy, build without a profile (profile features cleared, no pgo candidates)", profileFree, withoutProfile[0]);
        scores.Add(noProfileScore);
        // Without a profile the model is to choose only when its cross-validated choices there are a gain; else such units keep the user's flags.
        bool requiresProfile = VariantMethods.RequiresProfile(noProfileScore);
        double margin = corpus.Dataset.Protocol.NoiseMargin;
        var tune = VariantMethods.Tune(programs, margin, zeroShot);
        scores.Add(VariantEvaluation.Score(
            $"tune (per program the best measured variant where its interval clears zero-shot by {margin.ToString("P0", CultureInfo.InvariantCulture)}, else zero-shot)", programs, tune));
        scores.Add(VariantEvaluation.Score("oracle (best measured variant per program, uniform)", programs, VariantMethods.Oracle(programs)));

        var ablationRows = new List<(string Name, double[] Geomeans, double[] Slower)>();
        if (s.AblationSeeds > 0)
            foreach (var a in ablation)
            {
                var per = Enumerable.Range(0, s.AblationSeeds).Select(k => VariantEvaluation.Score(a.Name, programs, Cv(a.CrossGroup, a.Surprise, s.Seed + (ulong)k))).ToList();
                ablationRows.Add((a.Name, [.. per.Select(x => x.Geomean)], [.. per.Select(x => (double)x.Slower)]));
            }

        // What the harness measures for real: the main policy and every method compared with it.
        var methods = new List<(string, int[][])>
        {
            ("zero-shot", zeroShot), ("zero-shot-no-profile", withoutProfile[0]), ("cost-model", costModel),
            ("unroll-everywhere", VariantMethods.Everywhere(programs, VariantCorpus.IndexOf("unroll"))),
            ("pgo-everywhere", VariantMethods.Everywhere(programs, VariantCorpus.IndexOf("pgo"))),
            ("tune", tune), ("oracle", VariantMethods.Oracle(programs)),
        };
        if (s.AblationSeeds > 0)
            foreach (var a in ablation.Skip(1)) methods.Add((a.Method, Cv(a.CrossGroup, a.Surprise, s.Seed)));
        Directory.CreateDirectory(s.Out);
        File.WriteAllText(Path.Combine(s.Out, "assignments.json"), AssignmentsFile.Write(programs, methods));

        string correlation = Correlation(programs);

        // The model trained on every program: exported, loaded back through the engine's VariantPolicy, compared.
        var curve = new List<VariantCurvePoint>();
        var final = VariantTrainer.Train(programs, Options(s, s.CrossGroup, s.Surprise, s.Seed), curve);
        byte[] onnx = final.ToOnnx(new Dictionary<string, string>
        {
            [VariantPolicy.TrainingDatasetKey] = Sha256(s.Dataset),
            [VariantPolicy.RequiresProfileKey] = requiresProfile ? "true" : "false",
        });
        string modelPath = Path.Combine(s.Out, VariantPolicy.DefaultModelFileName);
        File.WriteAllBytes(modelPath, onnx);
        var (maxDifference, rows) = CompareWithEngine(modelPath, final, programs);

        var report = new StringBuilder();
        string commandLine = CommandLine(s);
        report.Append(CultureInfo.InvariantCulture, $"# Variant policy: cross-validated results\n\n`{commandLine}`\n\n");
        if (corpus.Dataset.Synthetic) report.Append("**Synthetic dataset (generated, never measured): these numbers say nothing about speed.**\n\n");
        report.Append(CultureInfo.InvariantCulture, $"{programs.Count} programs, {programs.Sum(p => p.Units.Count)} units; {protocol}; every program's zero-shot choice comes from a model trained without it.\n\n");
        report.Append(VariantEvaluation.Table(scores)).Append('\n');
        report.Append(RequiresProfileLine(noProfileScore, requiresProfile)).Append("\n\n");
        report.Append("Speedups are the proxy: Σ_u w_u · measured program-level log ratio of u's variant (w: profile share, else code size), exact for uniform assignments; ");
        report.Append("intervals likewise from the variants' measured intervals. The harness measures assignments.json for the real numbers.\n\n");
        if (ablationRows.Count > 0) report.Append(AblationTable(ablationRows, s)).Append('\n');
        report.Append("## Proxy vs measured mixed assignments\n\n").Append(correlation).Append('\n');
        report.Append(Composition(programs, zeroShot)).Append('\n');
        // Per program: the ceiling, the policy, the cost model, then every measured variant everywhere.
        var columns = new[] { scores.Single(x => x.Name.StartsWith("oracle", StringComparison.Ordinal)), scores.Single(x => x.Name == mainName),
            scores.Single(x => x.Name.StartsWith("cost-model", StringComparison.Ordinal)) }.Concat(scores.Where(x => x.Name.EndsWith(" everywhere", StringComparison.Ordinal))).ToList();
        string[] heads = ["oracle", "zero-shot", "cost model", .. columns.Skip(3).Select(c => c.Name)];
        report.Append("## Per program (proxy speedup)\n\n| program | units | ").Append(string.Join(" | ", heads)).Append(" |\n|---|---:|")
            .Append(string.Concat(heads.Select(_ => "---:|"))).Append('\n');
        for (int i = 0; i < programs.Count; i++)
            report.Append(CultureInfo.InvariantCulture, $"| {programs[i].Name} | {programs[i].Units.Count} | ")
                .Append(string.Join(" | ", columns.Select(c => Math.Exp(c.PerProgram[i]).ToString("0.000", CultureInfo.InvariantCulture)))).Append(" |\n");
        report.Append(CultureInfo.InvariantCulture, $"\nThe model trained on all programs: ONNX Runtime (through VariantPolicy) equals the trainer's forward pass on {rows} rows within {maxDifference:E1}.\n");
        File.WriteAllText(Path.Combine(s.Out, "report.md"), report.ToString());
        Console.WriteLine(report.ToString());

        if (s.Model is not null)
        {
            if (corpus.Dataset.Synthetic)
            {
                Console.Error.WriteLine("compilerllm-train: error CLLM8004: refusing to write a shipped model trained on a synthetic dataset");
                return 1;
            }
            string dir = Path.GetDirectoryName(Path.GetFullPath(s.Model))!;
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(s.Model, onnx);
            File.WriteAllText(Path.Combine(dir, "MODEL_CARD.md"), VariantModelCard.Write(corpus, s.Dataset, Sha256(s.Dataset), commandLine, protocol,
                Convert.ToHexStringLower(SHA256.HashData(onnx)), Options(s, s.CrossGroup, s.Surprise, s.Seed), final, scores, ablationRows.Count > 0 ? AblationTable(ablationRows, s) : null,
                correlation, curve, maxDifference, rows, clock.Elapsed, RequiresProfileLine(noProfileScore, requiresProfile)));
            Progress($"wrote the shipped model {s.Model} and its card");
        }
        Progress($"done in {clock.Elapsed.TotalMinutes:F1} min; wrote {s.Out}/report.md, assignments.json, {VariantPolicy.DefaultModelFileName}");
        return 0;
    }

    private static string On(bool on) => on ? "on" : "off";

    private static int IndexOf(IReadOnlyList<VariantProgram> programs, VariantProgram program)
    {
        for (int i = 0; i < programs.Count; i++) if (ReferenceEquals(programs[i], program)) return i;
        throw new ArgumentException($"{program.Name} is not one of the dataset's programs", nameof(program));
    }

    /// <summary>What the zero-shot policy chose, as shares of the programs' weight (each program counts once).</summary>
    private static string Composition(IReadOnlyList<VariantProgram> programs, int[][] assignments)
    {
        var share = new double[VariantCorpus.Variants.Count];
        for (int p = 0; p < programs.Count; p++)
            for (int u = 0; u < programs[p].Units.Count; u++)
                share[assignments[p][u]] += programs[p].Units[u].Weight / programs.Count;
        return "Zero-shot choices, by share of the programs' weight: " + string.Join(", ", share.Select((w, j) => (w, j)).Where(x => x.w > 0)
            .OrderByDescending(x => x.w).Select(x => string.Create(CultureInfo.InvariantCulture, $"{VariantCorpus.Variants[x.j].Name} {x.w:P0}"))) + ".\n";
    }

    private static string AblationTable(List<(string Name, double[] Geomeans, double[] Slower)> rows, Settings s)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"## Ablation (cross-validated, seeds {s.Seed}–{s.Seed + (ulong)s.AblationSeeds - 1}, mean ± sd over seeds)\n\n");
        sb.Append("| variant | geomean speedup (proxy) | slower beyond noise | per seed |\n|---|---:|---:|---|\n");
        foreach (var (name, g, slower) in rows)
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {g.Average():0.0000} ± {Sd(g):0.0000} | {slower.Average():0.0} ± {Sd(slower):0.0} | {string.Join(", ", g.Select(x => x.ToString("0.0000", CultureInfo.InvariantCulture)))} |\n");
        return sb.ToString();
    }

    private static double Sd(double[] x) => x.Length < 2 ? 0 : Math.Sqrt(x.Sum(v => (v - x.Average()) * (v - x.Average())) / (x.Length - 1));

    private static string Correlation(IReadOnlyList<VariantProgram> programs)
    {
        var pairs = VariantEvaluation.MixedPairs(programs);
        if (pairs.Count == 0)
            return "No measured mixed assignments in the dataset, so the proxy reward's rank correlation with measured speed is unknown. " +
                "Needed: per program a few (≥ 3, better 5–10) per-unit assignments that mix variants (e.g. the hottest unit on unroll, the rest base; " +
                "random assignments), measured like the uniform variants and recorded under \"mixed\" ({assignment, ratio, low, high}).\n";
        double rho = VariantEvaluation.Spearman([.. pairs.Select(p => p.Proxy)], [.. pairs.Select(p => p.Measured)]);
        return string.Create(CultureInfo.InvariantCulture,
            $"Spearman ρ(proxy, measured log ratio) = {rho:0.000} over {pairs.Count} mixed assignments of {pairs.Select(p => p.Program).Distinct().Count()} programs.\n");
    }

    private static (double MaxDifference, int Rows) CompareWithEngine(string path, VariantModel model, IReadOnlyList<VariantProgram> programs)
    {
        using var policy = VariantPolicy.Load(path);
        double max = 0;
        int rows = 0;
        foreach (var p in programs)
            foreach (var u in p.Units)
            {
                var candidates = u.Candidates.Select(j => VariantFeatures.Variants[j]).ToList();
                var choice = policy.Choose(u.Features, candidates);
                float[] mine = model.Scores(u);
                for (int i = 0; i < candidates.Count; i++) max = Math.Max(max, Math.Abs(choice.Scores[candidates[i].Name] - mine[i]));
                rows += candidates.Count;
            }
        return (max, rows);
    }

    /// <summary>The report's and the card's sentence on <see cref="VariantPolicy.RequiresProfile"/>.</summary>
    internal static string RequiresProfileLine(MethodScore noProfile, bool requiresProfile) => string.Create(CultureInfo.InvariantCulture,
        $"Builds without a profile: the cross-validated choices give {noProfile.Geomean:0.0000}x ({noProfile.Slower} of {noProfile.Programs} programs slower beyond noise), so ")
        + (requiresProfile
            ? $"the model is marked `{VariantPolicy.RequiresProfileKey}` = true: a unit without profile data keeps the project's flags."
            : $"the model chooses for them too (`{VariantPolicy.RequiresProfileKey}` = false).");

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static string CommandLine(Settings s) =>
        $"compilerllm-train train-variants --dataset {s.Dataset} --out {s.Out} " + (s.Folds == 0 ? "--loo" : $"--folds {s.Folds}") +
        (s.CrossGroup ? "" : " --no-cgmn") + (s.Surprise ? "" : " --no-surprise") +
        string.Create(CultureInfo.InvariantCulture, $" --kl {s.Kl} --seed {s.Seed} --ablation-seeds {s.AblationSeeds} --steps {s.Steps} --margin {s.Margin}") +
        (s.Model is null ? "" : $" --model {s.Model}");
}
