using CompilerLLM.Analysis;
using CompilerLLM.Assembly;

namespace CompilerLLM.Rewriting;

/// <summary>
/// Layout: align the top of every loop that GCC left unaligned (at -O0/-Os, or after a split), with
/// GCC's own choice for hot loops, <c>.p2align 4,,10</c> then <c>.p2align 3</c>. Padding NOPs change
/// no location: equivalent by construction.
/// </summary>
public static class LoopAlignment
{
    public const string Directives = "\t.p2align 4,,10\n\t.p2align 3";

    public static RewriteRule Rule { get; } = new("align-loop-header", RuleFamily.Layout,
        "L: (loop header)  ==  .p2align 4,,10; .p2align 3; L:  (padding NOPs only)", [64], [], [], RuleConditions.None);

    public static List<Candidate> Find(FunctionAnalysis analysis)
    {
        var result = new List<Candidate>();
        var file = analysis.File;
        var cfg = analysis.Cfg;
        foreach (int top in LoopTops(cfg))
        {
            var block = cfg.Blocks[top];
            if (block.Labels.Count == 0 || block.NodeCount == 0) continue;
            int label = block.FirstLine;
            if (file.Lines[label].Kind != LineKind.Label || IsAlignedAlready(file, label)) continue;
            result.Add(new Candidate(Rule, block.Index, block.FirstNode, 0, new Bindings { Width = 64 })
            {
                InsertBeforeLine = label,
                InsertText = Directives,
            });
        }
        return result;
    }

    /// <summary>
    /// The first block in layout of every natural loop. Loops come from retreating edges of a
    /// depth-first walk from the entry (latch → header); the body is what reaches the latch without
    /// passing the header. The padding goes before the top, whose layout predecessor is outside the
    /// loop, so NOPs run at most once per loop entry, never per iteration (GCC's own placement).
    /// </summary>
    internal static SortedSet<int> LoopTops(ControlFlowGraph cfg)
    {
        var tops = new SortedSet<int>();
        foreach (var body in LoopBodies(cfg))
        {
            int top = body.Min();
            if (top > 0) tops.Add(top); // the function's entry keeps the function's own alignment
        }
        return tops;
    }

    /// <summary>The blocks of every natural loop (one per header: the union of its back edges' bodies).</summary>
    internal static List<HashSet<int>> LoopBodies(ControlFlowGraph cfg)
    {
        int n = cfg.Blocks.Length;
        var loops = new List<HashSet<int>>();
        if (n == 0) return loops;
        var state = new byte[n]; // 0 new, 1 on stack, 2 done
        var backEdges = new List<(int Latch, int Header)>();
        var stack = new Stack<(int Block, int Next)>();
        stack.Push((0, 0));
        state[0] = 1;
        while (stack.Count > 0)
        {
            var (b, next) = stack.Pop();
            var successors = cfg.Blocks[b].Successors;
            if (next < successors.Count)
            {
                stack.Push((b, next + 1));
                int s = successors[next];
                if (state[s] == 1) backEdges.Add((b, s));
                else if (state[s] == 0)
                {
                    state[s] = 1;
                    stack.Push((s, 0));
                }
            }
            else state[b] = 2;
        }
        // One loop per header: the union of the bodies of all its back edges.
        foreach (var group in backEdges.GroupBy(e => e.Header))
        {
            var body = new HashSet<int> { group.Key };
            var work = new Stack<int>();
            foreach (var (latch, _) in group)
                if (body.Add(latch)) work.Push(latch);
            while (work.Count > 0)
                foreach (int p in cfg.Blocks[work.Pop()].Predecessors)
                    if (body.Add(p)) work.Push(p);
            loops.Add(body);
        }
        return loops;
    }

    private static bool IsAlignedAlready(AsmFile file, int label)
    {
        for (int line = label - 1; line >= 0; line--)
        {
            var kind = file.Lines[line].Kind;
            if (kind is LineKind.Blank or LineKind.Comment or LineKind.Label) continue;
            var text = file.TextOf(line).TrimStart();
            return kind == LineKind.Directive && (text.StartsWith(".p2align") || text.StartsWith(".align") || text.StartsWith(".balign"));
        }
        return false;
    }
}
