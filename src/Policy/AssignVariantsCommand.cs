using System.CommandLine;
using System.Security.Cryptography;
using CompilerLLM.Inference;
using CompilerLLM.Lab.Variants;
using CompilerLLM.Toolchain;
using CompilerLLM.Training.Variants;
using CompilerLLM.Variants;

namespace CompilerLLM.Training;

/// <summary>
/// <c>compilerllm-train assign-variants</c>: the held-out test of a trained variant model. Every unit of a dataset's
/// programs is decided by the model exactly as a build decides it (the engine's <see cref="VariantPolicy"/> through
/// ONNX Runtime, the same candidates, <see cref="VariantPolicy.RequiresProfile"/> honoured), and the assignments are
/// written for the harness to measure beside the simple methods. With <c>--trained-on</c> the model must name that
/// dataset as its training data and no program of it may appear among the ones decided: programs the model never saw.
/// </summary>
internal static class AssignVariantsCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "the measured variant dataset of the programs to decide (compilerllm variants SUITE --out FILE)", Required = true };
        var model = new Option<string>("--model") { Description = "the variant model (the shipped one: src/Runtime/Variants/Model/variants.onnx)", Required = true };
        var trainedOn = new Option<string?>("--trained-on") { Description = "the dataset the model was trained on: checked against the model's record, and its programs refused here" };
        var output = new Option<string>("--out") { Description = "the assignments file for `compilerllm variants SUITE --assignments FILE`", Required = true };
        var command = new Command("assign-variants", "Decide every unit of a dataset's programs with a trained variant model, as a build does; write assignments for the harness");
        foreach (var o in new Option[] { dataset, model, trainedOn, output }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(dataset)!, parse.GetValue(model)!, parse.GetValue(trainedOn), parse.GetValue(output)!));
        return command;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"assign-variants: {message}");

    private static int Run(string datasetPath, string modelPath, string? trainedOnPath, string outputPath)
    {
        VariantCorpus corpus;
        try
        {
            corpus = VariantCorpus.Load(datasetPath);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"compilerllm-train: error CLLM8002: {e.Message}");
            return 1;
        }

        VariantPolicy policy;
        try
        {
            policy = VariantPolicy.Load(modelPath);
        }
        catch (PolicyLoadException e)
        {
            Console.Error.WriteLine($"compilerllm-train: error CLLM8005: {modelPath}: {e.Message}");
            return 1;
        }
        using (policy)
        {
            var programs = corpus.Programs;
            if (trainedOnPath is not null)
            {
                string? failure = HeldOutFailure(policy, trainedOnPath, programs);
                if (failure is not null)
                {
                    Console.Error.WriteLine($"compilerllm-train: error CLLM8006: {failure}");
                    return 1;
                }
                Progress($"{programs.Count} programs, none of them in {trainedOnPath} (the model's training data)");
            }
            else
                Progress("no --trained-on: whether the model saw these programs is not checked");

            var zeroShot = programs.Select(p => Decide(policy, p)).ToArray();
            double margin = corpus.Dataset.Protocol.NoiseMargin;
            var methods = new List<(string, int[][])>
            {
                ("zero-shot", zeroShot),
                ("cost-model", VariantMethods.CostModel(programs)),
                ("unroll-everywhere", VariantMethods.Everywhere(programs, VariantCorpus.IndexOf("unroll"))),
                ("pgo-everywhere", VariantMethods.Everywhere(programs, VariantCorpus.IndexOf("pgo"))),
                ("tune", VariantMethods.Tune(programs, margin, zeroShot)),
                ("oracle", VariantMethods.Oracle(programs)),
            };
            Outputs.WriteTextIfDifferent(outputPath, AssignmentsFile.Write(programs, methods));

            // The proxy from the dataset's own measurements, where every chosen variant was measured.
            var scored = methods.Where(m => m.Item2.Select((a, i) => double.IsFinite(programs[i].Proxy(a))).All(x => x)).ToList();
            Console.WriteLine(VariantEvaluation.Table(scored.Select(m => VariantEvaluation.Score(m.Item1, programs, m.Item2))));
            int decided = zeroShot.Sum(a => a.Count(v => v != 0));
            Progress($"model {policy.ModelSha256[..12]}…: {decided} of {programs.Sum(p => p.Units.Count)} units off base; wrote {outputPath}");
        }
        return 0;
    }

    /// <summary>Per unit what a build decides: base without profile data when the model requires one, else the model's choice among the candidates a build offers.</summary>
    internal static int[] Decide(VariantPolicy policy, VariantProgram program) => [.. program.Units.Select(u =>
    {
        bool profiled = u.Features[ProfileFeatures.Start] > 0;
        if (!profiled && policy.RequiresProfile) return 0;
        var candidates = VariantFeatures.Variants.Where(v => !v.NeedsProfile || profiled).ToList();
        return VariantCorpus.IndexOf(policy.Choose(u.Features, candidates).Variant.Name);
    })];

    /// <summary>Why the programs are not held out from the model's training data, or null when they are.</summary>
    internal static string? HeldOutFailure(VariantPolicy policy, string trainedOnPath, IReadOnlyList<VariantProgram> programs)
    {
        if (!File.Exists(trainedOnPath)) return $"{trainedOnPath}: no such file";
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(trainedOnPath)));
        if (policy.TrainingDatasetSha256 is not { } recorded)
            return $"{policy.ModelPath} does not record its training dataset ({VariantPolicy.TrainingDatasetKey}), so it cannot be shown to be {trainedOnPath}";
        if (!string.Equals(recorded, sha, StringComparison.OrdinalIgnoreCase))
            return $"{policy.ModelPath} was trained on a dataset with SHA-256 {recorded}, not {trainedOnPath} ({sha})";
        HashSet<string> seen;
        try
        {
            seen = VariantDataset.Load(trainedOnPath).Programs.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return $"{trainedOnPath}: {e.Message}";
        }
        var both = programs.Where(p => seen.Contains(p.Name)).Select(p => p.Name).ToList();
        return both.Count == 0 ? null
            : $"{both.Count} program(s) of the dataset are in the model's training data {trainedOnPath}: {string.Join(", ", both)} (use --programs of `compilerllm variants` to measure others)";
    }
}
