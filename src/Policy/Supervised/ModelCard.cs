using System.Globalization;
using System.Text;
using CompilerLLM.Inference;

namespace CompilerLLM.Training.Supervised;

/// <summary>The model card shipped next to the supervised first model: how it was made and what it measured.</summary>
public static class ModelCard
{
    public static string Supervised(LinearModel model, SupervisedReport report, SupervisedOptions options, string costModel,
        string modelSha256, string commandLine)
    {
        static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.###", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("# Model card: `policy.onnx` (first model, supervised)\n\n");
        sb.Append("| | |\n|---|---|\n");
        sb.Append($"| sha256 | `{modelSha256}` |\n");
        sb.Append($"| architecture | linear scorer (one ONNX `Gemm`, {FeatureSchema.Width} inputs → 1 logit) |\n");
        sb.Append($"| feature schema | version {FeatureSchema.Version}, {FeatureSchema.Width} features (names in the model's metadata) |\n");
        sb.Append("| decision | apply a candidate when its score is above 0 (the predicted probability that it helps is above ½) |\n");
        sb.Append($"| made by | `{commandLine}` |\n\n");

        sb.Append("## How it was made\n\n");
        sb.Append($"- **Corpus**: csmith programs with seeds {options.FirstSeed}–{options.FirstSeed + options.Programs - 1}, each compiled by GCC 12 at ");
        sb.Append(string.Join(", ", options.FlagSets.Select(f => $"`{f.Flags}`"))).Append(".\n");
        sb.Append($"- **Split by program**: seeds divisible by {options.ValidationEvery} are validation ({report.ValidationPrograms} programs), the rest train ({report.TrainPrograms}).\n");
        sb.Append("- **Examples**: every candidate the optimizer would consider that passed its guard (the action mask), with the exact feature row the optimizer scores.\n");
        sb.Append($"- **Label**: the candidate is priced alone by the cost model ({costModel}): its basic block before and after the rewrite. ");
        sb.Append($"Label 1 when the block needs fewer cycles per execution (by more than {F(options.Tie)}), or the same cycles in fewer bytes; else 0.\n");
        sb.Append($"- **Method**: L2-regularized logistic regression (λ = {F(options.L2)} on standardized features), fitted by Newton's method in {report.Iterations} iterations; ");
        sb.Append("convex, so the fit is unique and needs no seed. Standardization is folded into the exported weights.\n");
        sb.Append("- **Why this method**: it is the simplest honest learner for the question \"does this rewrite help by the cost model?\". ");
        sb.Append("It cannot be better than the cost model it imitates, and it ignores interactions between rewrites; the reinforcement-learning trainer replaces it.\n\n");

        sb.Append("## Metrics\n\n");
        sb.Append($"- examples: {report.TrainExamples} train, {report.ValidationExamples} validation; {F(100 * report.PositiveFraction)}% of training candidates help.\n");
        sb.Append($"- accuracy: train {F(100 * report.TrainAccuracy)}%, validation {F(100 * report.ValidationAccuracy)}% ");
        sb.Append($"(precision {F(100 * report.ValidationPrecision)}%, recall {F(100 * report.ValidationRecall)}%).\n\n");
        sb.Append("Validation split, each candidate judged alone (overlaps between candidates ignored); cycles are the cost model's cycles per block execution, ");
        sb.Append("\"loop-weighted\" multiplies each by 8^(loop depth, at most 3) as a static stand-in for execution counts:\n\n");
        sb.Append("| choice | applied | cycles saved | loop-weighted cycles saved | bytes saved |\n|---|---:|---:|---:|---:|\n");
        foreach (var o in report.Validation)
            sb.Append($"| {o.Policy} | {o.Applied} | {F(o.CyclesSaved)} | {F(o.LoopWeightedCyclesSaved)} | {o.BytesSaved} |\n");
        sb.Append("\n\"cost-model oracle\" applies exactly the candidates labelled 1: the ceiling for this learner.\n\n");

        sb.Append("## Strongest weights (per unit of the raw feature)\n\n| feature | weight |\n|---|---:|\n");
        var names = FeatureSchema.FeatureNames;
        foreach (int k in Enumerable.Range(0, names.Count).OrderByDescending(k => Math.Abs(model.Weights[k])).Take(12))
            sb.Append($"| `{names[k]}` | {F(model.Weights[k])} |\n");
        sb.Append($"| (bias) | {F(model.Bias)} |\n\n");
        sb.Append($"Training took {report.Elapsed.TotalSeconds:F0} s on this machine (corpus building cached in `.cache/`).\n");
        return sb.ToString();
    }
}
