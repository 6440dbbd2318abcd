using CompilerLLM.Pipeline;

namespace CompilerLLM.Training.Episodes;

/// <summary>
/// The choices a learned policy must beat, each returning the actions to apply (already resolved, no overlaps):
/// nothing; every valid candidate as <c>--policy all</c> takes them; the cost-model greedy (a candidate iff it
/// saves cycles alone, best first); and an oracle ceiling that searches each block's subsets with the reward
/// itself (exhaustively up to <see cref="ExhaustiveLimit"/> candidates in a block, otherwise it keeps the
/// cost-model greedy's choice for that block).
/// </summary>
public static class Baselines
{
    public const int ExhaustiveLimit = 6;

    public static IReadOnlyList<int> None(FunctionInstance instance) => [];

    /// <summary>The optimizer's PolicyKind.All order: rules before schedules, then program order.</summary>
    public static IReadOnlyList<int> ApplyAll(FunctionInstance instance) => RewriteSelection.Select(instance.Actions,
        Enumerable.Range(0, instance.Count).OrderBy(a => instance.Actions[a].Rule == "schedule-block").ThenBy(a => instance.Actions[a].FirstNode));

    public static IReadOnlyList<int> CostGreedy(FunctionInstance instance) => RewriteSelection.Select(instance.Actions,
        Enumerable.Range(0, instance.Count).Where(a => instance.SoloSaving[a] > 0).OrderByDescending(a => instance.SoloSaving[a]).ThenBy(a => a));

    /// <summary>The oracle for many instances at once (its block subsets are priced in one batch).</summary>
    public static List<IReadOnlyList<int>> Oracle(IReadOnlyList<FunctionInstance> instances, RewardModel reward)
    {
        var episodes = new List<(FunctionInstance, IReadOnlyList<int>)>();
        var owner = new List<(int Instance, int Block)>();
        var greedy = instances.Select(CostGreedy).ToList();
        for (int i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            foreach (var block in Enumerable.Range(0, instance.Count).GroupBy(a => instance.Actions[a].Block))
            {
                var actions = block.ToArray();
                if (actions.Length > ExhaustiveLimit) continue;
                for (int mask = 1; mask < 1 << actions.Length; mask++)
                {
                    var subset = actions.Where((_, k) => (mask >> k & 1) != 0).ToList();
                    if (RewriteSelection.Select(instance.Actions, subset).Count != subset.Count) continue; // overlapping: not a choice the optimizer can make
                    episodes.Add((instance, subset));
                    owner.Add((i, block.Key));
                }
            }
        }
        var outcomes = reward.Evaluate(episodes);
        var best = new Dictionary<(int, int), (double Saved, IReadOnlyList<int> Subset)>();
        for (int e = 0; e < episodes.Count; e++)
        {
            if (outcomes[e].Saved <= 0) continue;
            if (!best.TryGetValue(owner[e], out var current) || outcomes[e].Saved > current.Saved + 1e-12)
                best[owner[e]] = (outcomes[e].Saved, episodes[e].Item2);
        }
        var result = new List<IReadOnlyList<int>>(instances.Count);
        for (int i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var chosen = new List<int>();
            foreach (var block in Enumerable.Range(0, instance.Count).GroupBy(a => instance.Actions[a].Block))
            {
                if (block.Count() > ExhaustiveLimit) chosen.AddRange(greedy[i].Where(a => instance.Actions[a].Block == block.Key));
                else if (best.TryGetValue((i, block.Key), out var b)) chosen.AddRange(b.Subset);
            }
            result.Add(chosen);
        }
        return result;
    }
}
