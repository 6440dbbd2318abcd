namespace CompilerLLM.Rewriting;

/// <summary>
/// Where a rewrite applies in its function: a window of consecutive nodes of one block (indices into the function's
/// <c>ControlFlowGraph.Nodes</c>). A layout rewrite has an empty window at its block's first node: it changes no
/// instruction and overlaps nothing.
/// </summary>
public readonly record struct RewriteSite(int FirstNode, int NodeCount)
{
    public int LastNode => FirstNode + NodeCount - 1;

    public bool Overlaps(RewriteSite other) => FirstNode <= other.LastNode && other.FirstNode <= LastNode;
}
