using CompilerLLM.Rewriting;

namespace CompilerLLM.Pipeline;

/// <summary>What one original instruction (a node of the function's CFG) becomes when chosen rewrites are applied.</summary>
public enum InstructionFate : byte
{
    /// <summary>No chosen rewrite touches it: it stays as it is.</summary>
    Kept,
    /// <summary>The first instruction of a rewrite's window: the rewrite's replacement is written in its place.</summary>
    Replaced,
    /// <summary>Another instruction of a rewrite's window: gone (the replacement written at the first stands for the whole window).</summary>
    Deleted,
}

/// <summary>
/// The one apply of chosen rewrites, used by the optimizer to print the rewritten file (through <c>AsmPrinter</c>) and by
/// the trainer to write the rewritten blocks it prices with llvm-mca, so that both rewrite alike: each rewrite's replacement
/// takes the place of the first instruction of its window and the window's other instructions are deleted; every other
/// instruction is kept. A layout rewrite (an empty window) changes no instruction: the optimizer inserts its text before
/// its line (<see cref="Candidate.InsertBeforeLine"/>).
/// </summary>
public sealed class AppliedRewrites
{
    // Only the instructions some rewrite touches: for each, the rewrite (an index into the candidates) and its fate.
    private readonly Dictionary<int, (int Rewrite, InstructionFate Fate)> _touched = [];

    private AppliedRewrites()
    {
    }

    /// <param name="candidates">Every candidate of one function; <paramref name="chosen"/> indexes it.</param>
    /// <param name="chosen">The rewrites to apply, none overlapping another (as <see cref="RewriteSelection"/> takes them).</param>
    /// <exception cref="ArgumentException">Two chosen rewrites share an instruction.</exception>
    public static AppliedRewrites Of<T>(IReadOnlyList<T> candidates, IEnumerable<int> chosen) where T : IRewriteCandidate
    {
        var applied = new AppliedRewrites();
        foreach (int rewrite in chosen)
        {
            var site = candidates[rewrite].Site;
            for (int node = site.FirstNode; node <= site.LastNode; node++)
            {
                var fate = node == site.FirstNode ? InstructionFate.Replaced : InstructionFate.Deleted;
                if (!applied._touched.TryAdd(node, (rewrite, fate)))
                    throw new ArgumentException($"rewrites {applied._touched[node].Rewrite} and {rewrite} overlap at node {node}", nameof(chosen));
            }
        }
        return applied;
    }

    /// <summary>What node <paramref name="node"/> becomes; <paramref name="rewrite"/> is the rewrite whose window holds it (-1 when kept).</summary>
    public InstructionFate FateOf(int node, out int rewrite)
    {
        if (_touched.TryGetValue(node, out var edit))
        {
            rewrite = edit.Rewrite;
            return edit.Fate;
        }
        rewrite = -1;
        return InstructionFate.Kept;
    }

    /// <summary>Every instruction a rewrite touches (the others are kept), in no particular order.</summary>
    public IEnumerable<(int Node, int Rewrite, InstructionFate Fate)> Touched =>
        _touched.Select(kv => (kv.Key, kv.Value.Rewrite, kv.Value.Fate));
}
