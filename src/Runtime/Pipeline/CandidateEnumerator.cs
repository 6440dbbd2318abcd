using CompilerLLM.Analysis;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Pipeline;

/// <summary>
/// Every candidate of a function the optimizer considers: each rule of the catalogue at every window, block
/// schedules and loop-header alignment, each already guarded (<see cref="Candidate.IsValid"/>). Shared by the
/// optimizer, the policy benchmark and the trainer so that all three see the same candidate set.
/// Not thread-safe (the finder reuses one encoder to size replacements): one instance per thread.
/// </summary>
public sealed class CandidateEnumerator
{
    private readonly CandidateFinder _finder;
    private readonly bool _schedules, _alignment;

    /// <param name="rules">Only these rules and pseudo-rules (by name); null for every rule applied by default.</param>
    public CandidateEnumerator(IReadOnlySet<string>? rules = null)
    {
        _finder = new CandidateFinder(RuleCatalogue.All.Where(r => rules is null ? r.AppliedByDefault : rules.Contains(r.Name)).ToList());
        _schedules = rules is null || rules.Contains(BlockScheduler.Rule.Name);
        _alignment = rules is null || rules.Contains(LoopAlignment.Rule.Name);
    }

    public List<Candidate> Find(FunctionAnalysis analysis)
    {
        var candidates = _finder.Find(analysis);
        if (_schedules) candidates.AddRange(BlockScheduler.Find(analysis));
        if (_alignment) candidates.AddRange(LoopAlignment.Find(analysis));
        return candidates;
    }
}
