using System.Globalization;
using System.Text;
using System.Text.Json;
using CompilerLLM.Lab.Variants;
using CompilerLLM.Variants;

namespace CompilerLLM.Training.Variants;

/// <summary>The model card written beside the shipped <c>variants.onnx</c>: data, protocol, results, ablation, limits.</summary>
public static class VariantModelCard
{
    // The machine and protocol records on one line each, as the dataset names their fields.
    private static readonly JsonSerializerOptions s_oneLine = new(VariantDataset.Json) { WriteIndented = false };

    public static string Write(VariantCorpus corpus, string datasetPath, string datasetSha, string command, string protocol, string modelSha,
        VariantTrainingOptions options, VariantModel model, IReadOnlyList<MethodScore> scores, string? ablation, string correlation,
        IReadOnlyList<VariantCurvePoint> curve, double maxDifference, int rows, TimeSpan elapsed, string requiresProfile)
    {
        var d = corpus.Dataset;
        var programs = corpus.Programs;
        var sb = new StringBuilder("# Model card: `variants.onnx` (the variant policy)\n\n| | |\n|---|---|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| sha256 | `{modelSha}` |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| what it decides | per translation unit, which compile variant ({string.Join(", ", VariantFeatures.Variants.Select(v => v.Name))}) GCC gets; profile variants only with a profile |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| architecture | MLP {VariantFeatures.Width} → {string.Join(" → ", options.Config.HiddenLayers)} ({options.Config.HiddenActivation}) → 1 score per (unit, variant) row; standardization folded into the first layer; ONNX Gemm, IR 8, opset 13 |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| feature schema | `{VariantPolicy.Contract.VersionKey}` = {VariantFeatures.Version}; {VariantFeatures.UnitWidth} unit features + one-hot of {VariantFeatures.Variants.Count} variants (names in the metadata) |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| decision | the best-scored candidate when its score exceeds base's by the threshold {options.Margin.ToString("R", CultureInfo.InvariantCulture)} (metadata `compilerllm.threshold`), else base |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| without a profile | {requiresProfile} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| variants never measured | {(model.Trained.All(t => t) ? "none" : string.Join(", ", VariantFeatures.Variants.Where((_, j) => !model.Trained[j]).Select(v => v.Name)))}: their rows score {VariantModel.UnknownVariantPenalty} (a linear term on the one-hot added to the network's output), so the engine never chooses them |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| made by | `bash scripts/train-variants.sh` → `{command}` ({elapsed.TotalMinutes:F1} min on this 2-core machine) |\n\n");
        sb.Append("## Data\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"`{datasetPath}` (sha256 `{datasetSha}`, schema `{d.Schema}`): {programs.Count} programs, {programs.Sum(p => p.Units.Count)} units, base flags `{d.BaseFlags}`. ");
        sb.Append(CultureInfo.InvariantCulture, $"{programs.Count(p => double.IsFinite(p.LogRatio[VariantCorpus.IndexOf("pgo")]))} programs have a profile (pgo variants measured). ");
        if (d.AaNoise is { } noise) sb.Append(CultureInfo.InvariantCulture, $"A/A noise of the log ratio: median {noise.MedianAbsLogRatio:0.000}, p90 {noise.P90AbsLogRatio:0.000}. ");
        sb.Append("Protocol: `").Append(JsonSerializer.Serialize(d.Protocol, s_oneLine)).Append("`. ");
        sb.Append("Machine: `").Append(JsonSerializer.Serialize(d.Machine, s_oneLine)).Append("`.");
        sb.Append("\n\nPrograms: ").Append(string.Join(", ", programs.Select(x => x.Name))).Append(".\n\n");
        sb.Append("## Training\n\n");
        sb.Append("Group policy optimization (GMPO): a categorical policy per unit over its candidates (softmax of the row scores); per program G rollouts ");
        sb.Append("each sample a variant for every unit with weight; reward = proxy Σ_u w_u · (measured program-level log ratio of u's variant), w = profile share ");
        sb.Append("(else instruction share); group-normalized advantages, CG-MN with the K programs of most similar measured reaction (training programs only), ");
        sb.Append("surprise modulation of successes, KL towards a reference giving base half the probability. Deterministic given the seed.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{options.Steps} updates; configuration:\n\n```json\n{options.Config.ToJson()}\n```\n\n");
        sb.Append("## Cross-validated results (").Append(protocol).Append(")\n\n").Append(VariantEvaluation.Table(scores)).Append('\n');
        if (ablation is not null) sb.Append(ablation).Append('\n');
        sb.Append("## Proxy vs measured\n\n").Append(correlation).Append('\n');
        sb.Append("## Curve of the shipped run (training programs)\n\n| update | mean rollout reward (log) | KL to reference | greedy proxy (log) |\n|---:|---:|---:|---:|\n");
        foreach (var c in curve) sb.Append(CultureInfo.InvariantCulture, $"| {c.Step} | {c.MeanReward:0.00000} | {c.MeanKl:0.0000} | {c.GreedyProxy:0.00000} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"\nONNX Runtime, through the engine's `VariantPolicy`, equals the trainer's forward pass on all {rows} rows within {maxDifference:E1}.\n\n");
        sb.Append("## Limits\n\n");
        sb.Append("- The reward of a per-unit (mixed) assignment is a proxy built from program-level measurements; it is exact only for uniform assignments ");
        sb.Append("(see the proxy-vs-measured section for how well it ranks mixed ones). Real speedups come from the harness measuring `assignments.json`.\n");
        sb.Append("- Few programs: cross-validated numbers carry the measurement noise of each program (intervals above) and the choice of programs.\n");
        sb.Append("- Group normalization makes a program's push independent of how much its best variant gains: a program where a variant ");
        sb.Append("wins by noise pulls as hard as one where it wins by 20%. The margin and the KL towards base are the only brakes.\n");
        sb.Append("- Trained on one machine (the one above, measured while other work ran); a different CPU may prefer different variants.\n");
        sb.Append("- A unit's features are GCC's baseline assembly and its profile summary only; the model never sees the source.\n");
        return sb.ToString();
    }
}
