using CompilerLLM.Lab.Measurement;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Training.Episodes;

/// <summary>What applying a set of actions to a function is worth.</summary>
public readonly record struct Outcome(double Saved, double Relative);

/// <summary>
/// The reward: llvm-mca cycles per execution of every touched block, before and after, weighted by block
/// execution counts (or the static stand-in) and summed: weighted cycles saved. Training uses it relative to
/// the function's weighted cycles (percent), which puts big and small functions on one scale for the
/// group and cross-group statistics. Every call prices all new block texts in one llvm-mca run; results are
/// cached by text, so repeated actions cost nothing.
/// </summary>
public sealed class RewardModel(StaticEstimator estimator)
{
    private static readonly Dictionary<string, RuleFamily> FamilyOf =
        RuleCatalogue.AllWithPseudoRules.ToDictionary(r => r.Name, r => r.Family, StringComparer.Ordinal);

    private readonly Dictionary<(FunctionInstance, int), double> _base = [];

    public StaticEstimator Estimator { get; } = estimator;

    /// <summary>Prices every block of each instance and every candidate alone; fills BaseCycles, SoloSaving and Embedding.</summary>
    public void Prepare(IReadOnlyList<FunctionInstance> instances)
    {
        var keys = new List<(FunctionInstance, int)>();
        var texts = new List<IReadOnlyList<string>>();
        foreach (var instance in instances)
            foreach (var block in instance.Blocks.Keys.Order())
            {
                keys.Add((instance, block));
                texts.Add(instance.BlockBefore(block));
            }
        double[] cycles = Estimator.CyclesPerExecution(texts);
        lock (_base)
            for (int i = 0; i < keys.Count; i++) _base[keys[i]] = cycles[i];
        foreach (var instance in instances)
            instance.BaseCycles = instance.Blocks.Values.Sum(b => b.Weight * Base(instance, b.Block));

        var solo = Evaluate([.. instances.SelectMany(i => Enumerable.Range(0, i.Count).Select(a => (i, (IReadOnlyList<int>)[a])))]);
        int k = 0;
        var families = Enum.GetValues<RuleFamily>();
        foreach (var instance in instances)
        {
            instance.SoloSaving = new double[instance.Count];
            var embedding = new float[families.Length + 2];
            for (int a = 0; a < instance.Count; a++)
            {
                var outcome = solo[k++];
                instance.SoloSaving[a] = outcome.Saved;
                var family = FamilyOf[instance.Actions[a].Rule];
                embedding[Array.IndexOf(families, family)] += (float)outcome.Relative;
                if (outcome.Saved > 0) embedding[families.Length] += 1f / instance.Count;
            }
            embedding[families.Length + 1] = MathF.Log2(1 + instance.Count) / 8;
            instance.Embedding = embedding;
        }
    }

    /// <summary>Outcomes of applying each episode's actions (already resolved: no overlaps), in one llvm-mca batch.</summary>
    public Outcome[] Evaluate(IReadOnlyList<(FunctionInstance Instance, IReadOnlyList<int> Applied)> episodes) =>
        [.. EvaluateByBlock(episodes).Select((blocks, e) =>
        {
            double saved = blocks.Values.Sum();
            double denominator = episodes[e].Instance.BaseCycles;
            return new Outcome(saved, denominator > 0 ? 100 * saved / denominator : 0);
        })];

    /// <summary>
    /// Per episode, the weighted cycles saved in each block its actions touch. The function's saving is their
    /// sum exactly: llvm-mca prices blocks independently, which is what lets training credit each block's
    /// decisions with that block's own saving.
    /// </summary>
    public Dictionary<int, double>[] EvaluateByBlock(IReadOnlyList<(FunctionInstance Instance, IReadOnlyList<int> Applied)> episodes)
    {
        var texts = new List<IReadOnlyList<string>>();
        var plan = new List<(int Episode, int Block)>();
        for (int e = 0; e < episodes.Count; e++)
        {
            var (instance, applied) = episodes[e];
            foreach (var group in applied.GroupBy(a => instance.Actions[a].Block))
            {
                if (group.All(a => instance.Actions[a].NodeCount == 0)) continue; // insertions only: same instructions
                plan.Add((e, group.Key));
                texts.Add(instance.BlockAfter(group.Key, group));
            }
        }
        double[] after = Estimator.CyclesPerExecution(texts);
        var saved = new Dictionary<int, double>[episodes.Count];
        for (int e = 0; e < saved.Length; e++) saved[e] = [];
        for (int i = 0; i < plan.Count; i++)
        {
            var (e, block) = plan[i];
            var instance = episodes[e].Instance;
            saved[e][block] = instance.Blocks[block].Weight * (Base(instance, block) - after[i]);
        }
        return saved;
    }

    /// <summary>How one way of choosing does on a set of functions: weighted cycles saved in total, mean relative saving, rewrites applied.</summary>
    public PolicyScore Score(string name, IReadOnlyList<FunctionInstance> functions, IReadOnlyList<IReadOnlyList<int>> choices)
    {
        var outcomes = Evaluate([.. functions.Select((f, i) => (f, choices[i]))]);
        return new PolicyScore(name, outcomes.Sum(o => o.Saved), functions.Count == 0 ? 0 : outcomes.Average(o => o.Relative), choices.Sum(c => c.Count));
    }

    private double Base(FunctionInstance instance, int block)
    {
        lock (_base) return _base[(instance, block)];
    }
}
