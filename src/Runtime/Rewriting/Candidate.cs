namespace CompilerLLM.Rewriting;

/// <summary>
/// One place a rule matched: the window (consecutive nodes of one block), the bindings, the
/// replacement, and why it was rejected if it was.
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

    public RewriteRule Rule { get; }
    public int Block { get; }
    /// <summary>First node of the window (index into the function's <c>ControlFlowGraph.Nodes</c>).</summary>
    public int FirstNode { get; }
    public int NodeCount { get; }
    public int LastNode => FirstNode + NodeCount - 1;
    public RewriteSite Site => new(FirstNode, NodeCount);
    public Bindings Bindings { get; }
    public IReadOnlyList<RewrittenInstruction> Replacement { get; internal set; } = [];
    /// <summary>Null when every check at this site passed.</summary>
    public string? Rejection { get; internal set; }
    public bool IsValid => Rejection is null;

    /// <summary>The policy model's score, when a model chose (null otherwise).</summary>
    public float? Score { get; set; }
    /// <summary>
    /// Locations the replacement may leave different from the original after the window: what must be
    /// dead there (the rule's dead registers and flags; for a schedule, what the original has dead).
    /// </summary>
    public Analysis.LocationSet MayDiffer { get; internal set; }

    /// <summary>Cycles the scheduler's model expects to save (schedules only).</summary>
    public double EstimatedCycleGain { get; internal set; }

    /// <summary>Bytes saved by the replacement (positive is smaller), from Iced's encodings.</summary>
    public int SizeDelta { get; internal set; }

    /// <summary>Layout only: directives inserted before this line (the window is empty).</summary>
    public int InsertBeforeLine { get; internal set; } = -1;

    public string? InsertText { get; internal set; }

    public bool Overlaps(Candidate other) => Site.Overlaps(other.Site);
}
