using CompilerLLM.Assembly;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Pipeline;

/// <summary>
/// One function's rows of the run's <see cref="DecisionTable"/>: every candidate of the function, in the enumerator's
/// order, and what became of it. The rows start as the site guard's verdicts; the policy, the selection, the hook before
/// applying and the checks after the choice write to them; the report reads them. The candidates themselves never change.
/// </summary>
internal sealed class FunctionDecisions
{
    private readonly Decision[] _rows;
    private readonly List<int> _chosen = [];
    // The rewrites a hook put in place of chosen candidates (ReplaceChosen), by candidate index; null while there are none.
    private Dictionary<int, Candidate>? _replaced;

    public FunctionDecisions(AsmFunction function, IReadOnlyList<Candidate> candidates)
    {
        Function = function;
        Candidates = candidates;
        _rows = new Decision[candidates.Count];
        for (int i = 0; i < _rows.Length; i++)
            if (candidates[i].Rejection is { } verdict) _rows[i] = new Decision(DecisionKind.Rejected, verdict);
    }

    public AsmFunction Function { get; }
    public IReadOnlyList<Candidate> Candidates { get; }
    public Decision this[int candidate] => _rows[candidate];

    /// <summary>The chosen candidates still standing, in program order.</summary>
    public IReadOnlyList<int> Chosen => _chosen;

    /// <summary>Why the function is emitted unchanged, when it is.</summary>
    public string? FallbackReason { get; private set; }

    /// <summary>The rewrite applied for a chosen candidate: the candidate itself unless another was put in its place (<see cref="ReplaceChosen"/>).</summary>
    public Candidate Applied(int candidate) =>
        _replaced is not null && _replaced.TryGetValue(candidate, out var replacement) ? replacement : Candidates[candidate];

    /// <summary>The site guard accepted it and nothing has rejected it since: the policy may choose it.</summary>
    public bool IsOpen(int candidate) => Candidates[candidate].IsValid && _rows[candidate].Kind != DecisionKind.Rejected;

    public void Score(int candidate, float score) => _rows[candidate] = _rows[candidate] with { Score = score };

    /// <summary>Records the selection's result (in the order taken); <see cref="Chosen"/> keeps it in program order.</summary>
    public void Choose(List<int> taken)
    {
        taken.Sort((a, b) => Candidates[a].FirstNode.CompareTo(Candidates[b].FirstNode));
        foreach (int i in taken) _rows[i] = _rows[i] with { Kind = DecisionKind.Chosen };
        _chosen.AddRange(taken);
    }

    public void Reject(int candidate, Rejection why)
    {
        _rows[candidate] = _rows[candidate] with { Kind = DecisionKind.Rejected, Rejection = why };
        _chosen.Remove(candidate);
    }

    /// <summary>The function's rewrites failed as a whole: every chosen one is rejected and the function is emitted unchanged.</summary>
    public void FallBack(string reason)
    {
        var why = Rejection.FunctionFellBack(reason);
        foreach (int i in _chosen) _rows[i] = _rows[i] with { Kind = DecisionKind.Rejected, Rejection = why };
        _chosen.Clear();
        FallbackReason = reason;
    }

    /// <summary>The chosen rewrites as they will be applied, in program order.</summary>
    public IReadOnlyList<Candidate> ChosenRewrites() => [.. _chosen.Select(Applied)];

    /// <summary>
    /// Takes the rewrites to apply in place of the chosen ones (the answer of <see cref="OptimizerOptions.BeforeApply"/>
    /// to <see cref="ChosenRewrites"/>): one for one, at the same sites, so a hook can change what a rewrite writes but
    /// never which rewrites are applied.
    /// </summary>
    /// <exception cref="InvalidOperationException">The hook answered with other sites or another number of rewrites.</exception>
    public void ReplaceChosen(IReadOnlyList<Candidate> applied)
    {
        if (applied.Count != _chosen.Count)
            throw new InvalidOperationException($"{Function.Name}: the hook before applying returned {applied.Count} rewrites for {_chosen.Count} chosen");
        for (int k = 0; k < applied.Count; k++)
        {
            var chosen = Candidates[_chosen[k]];
            var replacement = applied[k];
            if (ReferenceEquals(replacement, chosen)) continue;
            if (!ReferenceEquals(replacement.Rule, chosen.Rule) || replacement.Site != chosen.Site)
                throw new InvalidOperationException($"{Function.Name}: the hook before applying moved a rewrite ({chosen.Rule.Name} at node {chosen.FirstNode})");
            (_replaced ??= [])[_chosen[k]] = replacement;
        }
    }
}
