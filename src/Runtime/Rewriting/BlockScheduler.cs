using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Cost;

namespace CompilerLLM.Rewriting;

/// <summary>
/// Basic-block-local list scheduling. A block is cut into segments at every directive that must keep
/// its place (<c>.cfi_*</c> …; <c>.loc</c> lines may be crossed) and at every barrier (verbatim
/// lines, calls, fences, the terminator), which never move; in each
/// segment, ready instructions are issued by longest latency-weighted path to the end, two per cycle
/// on a simple in-order model, keeping a flag-setting instruction next to the conditional branch
/// that reads it (macro-fusion). A schedule is proposed only when the model says the segment gets
/// shorter, and it is valid only if it respects every edge of the dependence graph
/// (<see cref="DependenceGraph.IsValidOrder"/>).
/// </summary>
public static class BlockScheduler
{
    /// <summary>The pseudo-rule under which schedules are reported (not a pattern rule; proven per site by the dependence graph).</summary>
    public static RewriteRule Rule { get; } = new("schedule-block", RuleFamily.Scheduling,
        "any order of a block's instructions respecting every dependence edge  ==  the original order", [64], [], [], RuleConditions.None);

    private const int IssueWidth = 2;

    public static List<Candidate> Find(FunctionAnalysis analysis)
    {
        var result = new List<Candidate>();
        var file = analysis.File;
        var cfg = analysis.Cfg;
        foreach (var block in cfg.Blocks)
        {
            if (block.NodeCount < 3) continue;
            var graph = analysis.Dependences(block.Index);
            if (graph.KeepsOriginalOrder) continue;
            int start = block.FirstNode;
            for (int node = block.FirstNode; node <= block.EndNode; node++)
            {
                bool end = node == block.EndNode;
                // Verbatim lines, calls, fences and the terminator never move: they bound segments.
                bool verbatim = !end && (file.Lines[cfg.Nodes[node]].Kind != LineKind.Instruction || analysis.Effects[node].Barrier != BarrierKind.None);
                bool fixedBefore = !end && !verbatim && node > start && HasFixedDirectiveBefore(file, cfg, node);
                if (!end && !verbatim && !fixedBefore) continue;
                // Segment [start, node): its last instruction stays last (a .cfi directive after it describes it).
                if (node - start >= 3 && TrySchedule(analysis, block, graph, start, node - start) is { } candidate) result.Add(candidate);
                start = verbatim ? node + 1 : node;
            }
        }
        return result;
    }

    private static bool HasFixedDirectiveBefore(AsmFile file, ControlFlowGraph cfg, int node)
    {
        for (int line = cfg.Nodes[node - 1] + 1; line < cfg.Nodes[node]; line++)
        {
            var kind = file.Lines[line].Kind;
            if (kind is LineKind.Blank or LineKind.Comment) continue;
            if (kind == LineKind.Directive && file.TextOf(line).TrimStart().StartsWith(".loc")) continue;
            return true;
        }
        return false;
    }

    private static Candidate? TrySchedule(FunctionAnalysis analysis, BasicBlock block, DependenceGraph graph, int first, int count)
    {
        var file = analysis.File;
        int offset = first - block.FirstNode; // segment node i is block-relative node offset + i
        var latency = new double[count];
        for (int i = 0; i < count; i++) latency[i] = StaticCost.Cycles(InstructionAt(analysis, first + i).Instruction);

        // Predecessors inside the segment (edges from outside it are satisfied by its position).
        var preds = new List<(int From, bool Raw)>[count];
        for (int i = 0; i < count; i++)
        {
            preds[i] = [];
            foreach (var e in graph.Predecessors(offset + i))
            {
                int from = e.From - offset;
                if (from >= 0 && from < count) preds[i].Add((from, (e.Kind & DependenceKind.Raw) != 0));
            }
        }
        // Longest path to the segment's end, by latency, as the priority.
        var height = new double[count];
        for (int i = count - 1; i >= 0; i--) height[i] = Math.Max(height[i], latency[i]);
        for (int i = count - 1; i >= 0; i--)
            foreach (var (from, _) in preds[i]) height[from] = Math.Max(height[from], height[i] + latency[from]);

        // Keep the producer of a fused compare-and-branch immediately before the branch.
        int fusedProducer = FusedProducer(analysis, first, count, preds);

        var order = new List<int>(count);
        var scheduled = new bool[count];
        while (order.Count < count)
        {
            int best = -1;
            for (int i = 0; i < count; i++)
            {
                if (scheduled[i] || !preds[i].All(p => scheduled[p.From])) continue;
                if (i == fusedProducer && order.Count < count - 2) continue; // wait until only the pair is left
                if (i == count - 1 && order.Count < count - 1) continue;      // the last node stays last (terminator or fall-through end)
                if (best < 0 || height[i] > height[best] + 1e-9 || (Math.Abs(height[i] - height[best]) < 1e-9 && i < best)) best = i;
            }
            if (best < 0) return null; // the fusion pin cannot be honoured: keep the original order
            scheduled[best] = true;
            order.Add(best);
        }

        if (order.Select((n, i) => n == i).All(x => x)) return null;
        double before = Simulate(Enumerable.Range(0, count).ToList(), latency, preds);
        double after = Simulate(order, latency, preds);
        if (after >= before) return null;

        var blockOrder = Enumerable.Range(0, graph.NodeCount).ToArray();
        for (int i = 0; i < count; i++) blockOrder[offset + i] = offset + order[i];
        if (!graph.IsValidOrder(blockOrder)) return null;

        var candidate = new Candidate(Rule, block.Index, first, count, new Bindings { Width = 64 })
        {
            Replacement = [.. order.Select(i => InstructionAt(analysis, first + i)).Select(a => new RewrittenInstruction(a.Instruction, a.Symbol0, a.Symbol1))],
            EstimatedCycleGain = before - after,
            // Same instructions, same values, except where an instruction leaves a result undefined:
            // only what the original has dead after the segment may differ.
            MayDiffer = LocationSet.All - analysis.Liveness.LiveAfter(first + count - 1),
        };
        return candidate;
    }

    private static AsmInstruction InstructionAt(FunctionAnalysis analysis, int node) =>
        analysis.File.Instructions[analysis.File.Lines[analysis.Cfg.Nodes[node]].Instruction];

    private static int FusedProducer(FunctionAnalysis analysis, int first, int count, List<(int From, bool Raw)>[] preds)
    {
        var last = InstructionAt(analysis, first + count - 1).Instruction;
        if (last.FlowControl != FlowControl.ConditionalBranch) return -1;
        int producer = count - 2;
        var p = InstructionAt(analysis, first + producer).Instruction;
        bool fusible = p.Mnemonic is Mnemonic.Cmp or Mnemonic.Test or Mnemonic.Add or Mnemonic.Sub or Mnemonic.And
            or Mnemonic.Inc or Mnemonic.Dec;
        return fusible && preds[count - 1].Any(e => e.From == producer && e.Raw) ? producer : -1;
    }

    /// <summary>Cycles of an in-order, two-wide machine issuing the segment in <paramref name="order"/>.</summary>
    private static double Simulate(List<int> order, double[] latency, List<(int From, bool Raw)>[] preds)
    {
        var finish = new double[latency.Length];
        double cycle = 0, end = 0;
        int issuedThisCycle = 0;
        foreach (int i in order)
        {
            double ready = 0;
            foreach (var (from, raw) in preds[i]) ready = Math.Max(ready, raw ? finish[from] : 0);
            if (ready > cycle) { cycle = Math.Ceiling(ready); issuedThisCycle = 0; }
            if (issuedThisCycle == IssueWidth) { cycle++; issuedThisCycle = 0; }
            issuedThisCycle++;
            finish[i] = cycle + latency[i];
            end = Math.Max(end, finish[i]);
        }
        return end;
    }
}
