using CompilerLLM.Assembly;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Pipeline;

/// <summary>
/// The one record of a run's decisions: for every candidate of every function, whether it was chosen, or rejected and
/// why (a <see cref="RejectionKind"/> and the reason in words), and the model's score when a model chose. The passes
/// write to it, never to the candidates; the report is built from it.
/// </summary>
internal sealed class DecisionTable
{
    private readonly List<FunctionDecisions> _functions = [];

    /// <summary>Per function of the file, in file order.</summary>
    public IReadOnlyList<FunctionDecisions> Functions => _functions;

    public FunctionDecisions Add(AsmFunction function, IReadOnlyList<Candidate> candidates)
    {
        var rows = new FunctionDecisions(function, candidates);
        _functions.Add(rows);
        return rows;
    }

    public int Candidates => _functions.Sum(f => f.Candidates.Count);
    public int Chosen => _functions.Sum(f => f.Chosen.Count);
    public int Fallbacks => _functions.Count(f => f.FallbackReason is not null);
}
