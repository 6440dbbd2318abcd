using CompilerLLM.Analysis;

namespace CompilerLLM.Rewriting;

/// <summary>
/// One place a rule matched, as the finder (or the scheduler, or loop alignment) made it: the window, the bindings,
/// the replacement, what it may change, and the site guard's verdict. Immutable: what later becomes of it (the
/// policy's score, the choice, a rejection after the choice) is recorded in the run's <see cref="Pipeline.DecisionTable"/>.
/// </summary>
public sealed class Candidate : IRewriteCandidate
{
    internal Candidate(RewriteRule rule, int block, int firstNode, int nodeCount, Bindings bindings)
    {
        Rule = rule;
        Block = block;
        FirstNode = firstNode;
        NodeCount = nodeCount;
        Bindings = bindings;
    }

    private Candidate(Candidate other)
        : this(other.Rule, other.Block, other.FirstNode, other.NodeCount, other.Bindings)
    {
        Replacement = other.Replacement;
        Rejection = other.Rejection;
        MayDiffer = other.MayDiffer;
        EstimatedCycleGain = other.EstimatedCycleGain;
        SizeDelta = other.SizeDelta;
        InsertBeforeLine = other.InsertBeforeLine;
        InsertText = other.InsertText;
    }

    public RewriteRule Rule { get; }
    public int Block { get; }
    /// <summary>First node of the window (index into the function's <c>ControlFlowGraph.Nodes</c>).</summary>
    public int FirstNode { get; }
    public int NodeCount { get; }
    public int LastNode => FirstNode + NodeCount - 1;
    public RewriteSite Site => new(FirstNode, NodeCount);
    public Bindings Bindings { get; }
    public IReadOnlyList<RewrittenInstruction> Replacement { get; init; } = [];

    /// <summary>The site guard's verdict: null when every check at this site passed.</summary>
    public Rejection? Rejection { get; init; }
    public bool IsValid => Rejection is null;

    /// <summary>
    /// Locations the replacement may leave different from the original after the window: what must be
    /// dead there (the rule's dead registers and flags; for a schedule, what the original has dead).
    /// </summary>
    public LocationSet MayDiffer { get; init; }

    /// <summary>Cycles the scheduler's model expects to save (schedules only).</summary>
    public double EstimatedCycleGain { get; init; }

    /// <summary>Bytes saved by the replacement (positive is smaller), from Iced's encodings.</summary>
    public int SizeDelta { get; init; }

    /// <summary>Layout only: directives inserted before this line (the window is empty).</summary>
    public int InsertBeforeLine { get; init; } = -1;

    public string? InsertText { get; init; }

    public bool Overlaps(Candidate other) => Site.Overlaps(other.Site);

    /// <summary>
    /// The same candidate with another replacement (everything else, the site guard's verdict and the size included,
    /// is kept as it was judged): for a hook between choosing and applying (<see cref="Pipeline.IChosenRewritesHook"/>).
    /// </summary>
    public Candidate WithReplacement(IReadOnlyList<RewrittenInstruction> replacement) => new(this) { Replacement = replacement };
}
