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
    /// <remarks>
    /// Loop-header alignment is enumerated only when asked for by name. Its effect is pure layout: the proofs
    /// say it is safe, but neither the cost model (llvm-mca ignores addresses) nor the policy trained on it can
    /// see whether it helps, and measured runs go both ways by about 10% (eval: matrix_transpose 0.885x,
    /// kernel_matmul_stencil 1.065x, both from alignment alone). A rewrite chosen by a coin flip does not belong
    /// in a default build.
    /// </remarks>
    public CandidateEnumerator(IReadOnlySet<string>? rules = null)
    {
        _finder = new CandidateFinder(RuleCatalogue.All.Where(r => rules is null ? r.AppliedByDefault : rules.Contains(r.Name)).ToList());
        _schedules = rules is null || rules.Contains(BlockScheduler.Rule.Name);
        _alignment = rules is not null && rules.Contains(LoopAlignment.Rule.Name);
    }

    public List<Candidate> Find(FunctionAnalysis analysis)
    {
        var candidates = _finder.Find(analysis);
        if (_schedules) candidates.AddRange(BlockScheduler.Find(analysis));
        if (_alignment) candidates.AddRange(LoopAlignment.Find(analysis));
        return candidates;
    }
}
