namespace CompilerLLM.Analysis;

/// <summary>Natural loops of a function's control-flow graph, found once and shared by every pass that needs them.</summary>
public static class Loops
{
    /// <summary>
    /// The first block in layout of every natural loop but one that starts at the function's entry. The top's
    /// layout predecessor is outside the loop, so code placed before it (alignment padding) runs at most once
    /// per loop entry, never per iteration (GCC's own placement).
    /// </summary>
    public static SortedSet<int> Tops(ControlFlowGraph cfg)
    {
        var tops = new SortedSet<int>();
        foreach (var body in Bodies(cfg))
        {
            int top = body.Min();
            if (top > 0) tops.Add(top); // the function's entry keeps the function's own alignment
        }
        return tops;
    }

    /// <summary>
    /// The blocks of every natural loop (one per header: the union of its back edges' bodies). Loops come from
    /// retreating edges of a depth-first walk from the entry (latch → header); a body is what reaches the latch
    /// without passing the header.
    /// </summary>
    public static List<HashSet<int>> Bodies(ControlFlowGraph cfg)
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

    /// <summary>How many loops each block is in (0 outside every loop).</summary>
    public static int[] Depths(ControlFlowGraph cfg) => Depths(cfg, Bodies(cfg));

    /// <summary>The loop depth of each block, from loop bodies already found.</summary>
    public static int[] Depths(ControlFlowGraph cfg, List<HashSet<int>> bodies)
    {
        var depth = new int[cfg.Blocks.Length];
        foreach (var body in bodies)
            foreach (int b in body) depth[b]++;
        return depth;
    }
}
