using System.Diagnostics;
using System.Globalization;
using CompilerLLM.Assembly;
using CompilerLLM.Lab.Corpus;
using CompilerLLM.Pipeline;
using CompilerLLM.Inference;

namespace CompilerLLM.Training.Supervised;

/// <summary>Prices instruction sequences: cycles per execution of each block given as instruction lines.</summary>
public delegate double[] BlockCostModel(IReadOnlyList<IReadOnlyList<string>> blocks);

public sealed record SupervisedOptions
{
    public int Programs { get; init; } = 300;
    public int FirstSeed { get; init; } = 1;
    public IReadOnlyList<GccFlagSet> FlagSets { get; init; } = [new("O2", "-O2"), new("O3", "-O3")];
    /// <summary>Programs whose seed is a multiple of this go to the validation split (by program, never by function).</summary>
    public int ValidationEvery { get; init; } = 5;
    public double L2 { get; init; } = 1e-3;
    /// <summary>|Δcycles| at or below this counts as no change (llvm-mca resolves 1/iterations = 0.01 cycles); then smaller code decides.</summary>
    public double Tie { get; init; } = 0.005;
}

/// <summary>How a way of choosing did on a split: estimated cycles saved per block execution, plain and loop-weighted.</summary>
public sealed record ChoiceOutcome(string Policy, int Applied, double CyclesSaved, double LoopWeightedCyclesSaved, int BytesSaved);

public sealed record SupervisedReport(
    int TrainPrograms, int ValidationPrograms, int TrainExamples, int ValidationExamples, double PositiveFraction,
    double TrainAccuracy, double ValidationAccuracy, double ValidationPrecision, double ValidationRecall,
    IReadOnlyList<ChoiceOutcome> Validation, TimeSpan Elapsed, int Iterations);

/// <summary>
/// The first policy: supervised on cost-model deltas. Every valid candidate of a csmith corpus is priced alone
/// (its block before and after, by the cost model); the label says whether applying it helps (fewer cycles per
/// execution, or equal cycles and fewer bytes). A logistic regression over the feature schema learns the label,
/// so its score is a log-odds that the rewrite helps, and the contract's threshold 0 means "more likely than not".
/// It cannot know more than the cost model: it is the ceiling the RL trainer starts from, not a speed claim.
/// </summary>
public static class SupervisedTrainer
{
    public static (LinearModel Model, SupervisedReport Report) Train(SupervisedOptions options, CorpusBuilder corpus,
        BlockCostModel cost, Action<string> progress)
    {
        var clock = Stopwatch.StartNew();
        var train = new List<(CandidateExample Example, double Delta)>();
        var validation = new List<(CandidateExample Example, double Delta)>();
        int trainPrograms = 0, validationPrograms = 0;
        var enumerator = new CandidateEnumerator();
        for (int p = 0; p < options.Programs; p++)
        {
            int seed = options.FirstSeed + p;
            bool isValidation = seed % options.ValidationEvery == 0;
            string c = corpus.Csmith(seed);
            var examples = new List<CandidateExample>();
            foreach (var flags in options.FlagSets)
            {
                var file = AsmReader.ReadFile(corpus.Assembly(c, flags));
                examples.AddRange(CandidateExamples.FromFile(file, $"csmith-{seed}-{flags.Name}", enumerator));
            }
            var blocks = new List<IReadOnlyList<string>>(examples.Count * 2);
            foreach (var e in examples) { blocks.Add(e.BlockBefore); blocks.Add(e.BlockAfter); }
            double[] cycles = cost(blocks);
            var target = isValidation ? validation : train;
            for (int i = 0; i < examples.Count; i++) target.Add((examples[i], cycles[2 * i + 1] - cycles[2 * i]));
            if (isValidation) validationPrograms++; else trainPrograms++;
            if ((p + 1) % 25 == 0 || p + 1 == options.Programs)
                progress($"corpus {p + 1}/{options.Programs} programs, {train.Count + validation.Count} candidates priced, {clock.Elapsed.TotalSeconds:F0} s");
        }
        if (train.Count == 0) throw new InvalidOperationException("the training split has no candidates");

        int width = FeatureSchema.Width;
        var rows = new float[train.Count * width];
        var labels = new float[train.Count];
        for (int i = 0; i < train.Count; i++)
        {
            train[i].Example.Features.CopyTo(rows, i * width);
            labels[i] = Helps(train[i].Example, train[i].Delta, options.Tie) ? 1 : 0;
        }
        progress($"fitting logistic regression on {train.Count} candidates × {width} features");
        var model = LogisticRegression.Fit(rows, width, labels, l2: options.L2);

        double trainAccuracy = train.Count(t => (model.Score(t.Example.Features) > 0) == Helps(t.Example, t.Delta, options.Tie)) / (double)train.Count;
        int tp = 0, fp = 0, fn = 0, correct = 0;
        foreach (var (e, delta) in validation)
        {
            bool predicted = model.Score(e.Features) > 0, actual = Helps(e, delta, options.Tie);
            if (predicted == actual) correct++;
            if (predicted && actual) tp++;
            if (predicted && !actual) fp++;
            if (!predicted && actual) fn++;
        }
        var outcomes = new List<ChoiceOutcome>
        {
            Outcome("none", validation, _ => false),
            Outcome("apply-all", validation, _ => true),
            Outcome("model", validation, t => model.Score(t.Example.Features) > 0),
            Outcome("cost-model oracle", validation, t => Helps(t.Example, t.Delta, options.Tie)),
        };
        var report = new SupervisedReport(trainPrograms, validationPrograms, train.Count, validation.Count,
            labels.Average(l => (double)l), trainAccuracy,
            validation.Count == 0 ? double.NaN : correct / (double)validation.Count,
            tp + fp == 0 ? double.NaN : tp / (double)(tp + fp), tp + fn == 0 ? double.NaN : tp / (double)(tp + fn),
            outcomes, clock.Elapsed, model.Iterations);
        return (model, report);
    }

    /// <summary>The label: fewer cycles per execution, or the same cycles in fewer bytes.</summary>
    public static bool Helps(CandidateExample e, double delta, double tie) => delta < -tie || (Math.Abs(delta) <= tie && e.SizeDelta > 0);

    private static ChoiceOutcome Outcome(string name, List<(CandidateExample Example, double Delta)> split, Func<(CandidateExample Example, double Delta), bool> choose)
    {
        int applied = 0, bytes = 0;
        double saved = 0, weighted = 0;
        foreach (var t in split)
        {
            if (!choose(t)) continue;
            applied++;
            saved -= t.Delta;
            weighted -= t.Delta * Math.Pow(8, Math.Min(t.Example.LoopDepth, 3));
            bytes += t.Example.SizeDelta;
        }
        return new ChoiceOutcome(name, applied, saved, weighted, bytes);
    }

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
