using System.Collections.Frozen;
using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Cost;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Inference;

/// <summary>
/// The one definition of what the policy sees, shared by the build (inference) and the trainer, so
/// the two can never disagree. Version 1: per candidate a fixed-length float vector (the candidate's
/// own features followed by its function's context). A model records the version and the feature
/// names in its metadata and is refused when they differ.
/// </summary>
public static class FeatureSchema
{
    public const int Version = 1;

    /// <summary>Coarse instruction classes used to describe windows before and after.</summary>
    public enum OpClass { Move, Alu, Lea, Multiply, Divide, Shift, Compare, Load, Store, Vector, Other }

    private static readonly string[] OpClassNames = Enum.GetNames<OpClass>();

    /// <summary>Every rule the policy can choose, in a fixed order: its index is the rule id.</summary>
    public static IReadOnlyList<RewriteRule> Rules => RuleCatalogue.AllWithPseudoRules;

    public static IReadOnlyList<string> CandidateFeatureNames { get; } = BuildCandidateNames();

    public static IReadOnlyList<string> ContextFeatureNames { get; } =
    [
        "fn.instructions.log2", "fn.blocks.log2", "fn.loops", "fn.calls.fraction", "fn.memory.fraction",
        "fn.candidates.log2", "fn.verbatim.fraction",
    ];

    /// <summary>Candidate features then context features: the model's input row.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } = [.. CandidateFeatureNames, .. ContextFeatureNames];

    public static int Width => FeatureNames.Count;

    private static string[] BuildCandidateNames()
    {
        var names = new List<string>();
        names.AddRange(Rules.Select(r => "rule." + r.Name));
        names.AddRange(Enum.GetNames<RuleFamily>().Select(f => "family." + f));
        names.AddRange(OpClassNames.Select(c => "before." + c));
        names.AddRange(OpClassNames.Select(c => "after." + c));
        names.AddRange(
        [
            "window.instructions", "window.bytes.saved", "window.cycles.before", "window.cycles.after", "window.cycles.gain",
            "block.instructions.log2", "block.loop.depth", "block.frequency.log2", "block.position",
            "live.registers.after", "live.flags.after", "function.layout",
        ]);
        return [.. names];
    }
}

/// <summary>Builds the schema's rows for the candidates of one function.</summary>
public static class FeatureExtractor
{
    // Built once: the extractor runs for every function of every build (median batch: one candidate).
    private static readonly FrozenDictionary<string, int> RuleIndex =
        FeatureSchema.Rules.Select((r, i) => (r.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal)
            .ToFrozenDictionary(StringComparer.Ordinal);
    private static readonly int Families = Enum.GetValues<RuleFamily>().Length;
    private static readonly int Classes = Enum.GetValues<FeatureSchema.OpClass>().Length;

    /// <summary>One row of <see cref="FeatureSchema.Width"/> floats per candidate, row-major.</summary>
    public static float[] Extract(FunctionAnalysis analysis, IReadOnlyList<Candidate> candidates)
    {
        int width = FeatureSchema.Width;
        var rows = new float[candidates.Count * width];
        // The loops are found once and give both the depths and the context's loop count.
        var bodies = Loops.Bodies(analysis.Cfg);
        var depth = Loops.Depths(analysis.Cfg, bodies);
        int loops = bodies.Select(b => b.Min()).Where(top => top > 0).Distinct().Count();
        var context = Context(analysis, candidates.Count, loops);
        var ruleIndex = RuleIndex;
        int rules = FeatureSchema.Rules.Count, families = Families, classes = Classes;

        for (int c = 0; c < candidates.Count; c++)
        {
            var candidate = candidates[c];
            var row = rows.AsSpan(c * width, width);
            int k = 0;
            if (ruleIndex.TryGetValue(candidate.Rule.Name, out int id)) row[k + id] = 1;
            k += rules;
            row[k + (int)candidate.Rule.Family] = 1;
            k += families;
            double cyclesBefore = 0, cyclesAfter = 0;
            for (int n = candidate.FirstNode; n <= candidate.LastNode; n++)
            {
                var i = analysis.File.Instructions[analysis.File.Lines[analysis.Cfg.Nodes[n]].Instruction].Instruction;
                row[k + (int)Classify(i)] += 1;
                cyclesBefore += StaticCost.Cycles(i);
            }
            k += classes;
            foreach (var r in candidate.Replacement)
            {
                row[k + (int)Classify(r.Instruction)] += 1;
                cyclesAfter += StaticCost.Cycles(r.Instruction);
            }
            k += classes;
            var block = analysis.Cfg.Blocks[candidate.Block];
            int anchor = Math.Max(candidate.FirstNode, Math.Min(candidate.LastNode, block.EndNode - 1));
            var liveAfter = candidate.NodeCount > 0 ? analysis.Liveness.LiveAfter(candidate.LastNode) : analysis.Liveness.LiveIn(candidate.Block);
            row[k++] = candidate.NodeCount;
            row[k++] = candidate.SizeDelta;
            row[k++] = (float)cyclesBefore;
            row[k++] = (float)cyclesAfter;
            row[k++] = (float)candidate.EstimatedCycleGain;
            row[k++] = MathF.Log2(1 + block.NodeCount);
            row[k++] = depth[candidate.Block];
            row[k++] = Math.Min(depth[candidate.Block], 6) * MathF.Log2(10); // frequency estimate 10^depth, as log2
            row[k++] = block.NodeCount == 0 ? 0 : (float)(anchor - block.FirstNode) / block.NodeCount;
            row[k++] = (liveAfter & LocationSet.Range(Location.GprBase, 16)).Count;
            row[k++] = (liveAfter & LocationSet.StatusFlags).Count;
            row[k++] = candidate.Rule.Family == RuleFamily.Layout ? 1 : 0;
            context.CopyTo(row[k..]);
        }
        return rows;
    }

    private static float[] Context(FunctionAnalysis analysis, int candidates, int loops)
    {
        var file = analysis.File;
        int nodes = analysis.Cfg.Nodes.Length, calls = 0, memory = 0, verbatim = 0;
        for (int n = 0; n < nodes; n++)
        {
            var e = analysis.Effects[n];
            if (e.Barrier == BarrierKind.Call) calls++;
            if (e.Barrier == BarrierKind.Verbatim) verbatim++;
            if (e.MemoryCount > 0) memory++;
        }
        float total = Math.Max(1, nodes);
        return
        [
            MathF.Log2(1 + nodes), MathF.Log2(1 + analysis.Cfg.Blocks.Length), loops,
            calls / total, memory / total, MathF.Log2(1 + candidates), verbatim / total,
        ];
    }

    public static FeatureSchema.OpClass Classify(in Instruction i)
    {
        bool memory = false, store = false;
        for (int k = 0; k < i.OpCount; k++)
        {
            if (i.GetOpKind(k) != OpKind.Memory) continue;
            memory = true;
            store |= k == 0;
        }
        if (i.Mnemonic == Mnemonic.Lea) return FeatureSchema.OpClass.Lea;
        if (i.Op0Register.IsVectorRegister() || (i.OpCount > 1 && i.Op1Register.IsVectorRegister())) return FeatureSchema.OpClass.Vector;
        return i.Mnemonic switch
        {
            Mnemonic.Imul or Mnemonic.Mul => FeatureSchema.OpClass.Multiply,
            Mnemonic.Div or Mnemonic.Idiv => FeatureSchema.OpClass.Divide,
            Mnemonic.Shl or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror => FeatureSchema.OpClass.Shift,
            Mnemonic.Cmp or Mnemonic.Test => FeatureSchema.OpClass.Compare,
            Mnemonic.Mov or Mnemonic.Movzx or Mnemonic.Movsx or Mnemonic.Movsxd when memory => store ? FeatureSchema.OpClass.Store : FeatureSchema.OpClass.Load,
            Mnemonic.Mov or Mnemonic.Movzx or Mnemonic.Movsx or Mnemonic.Movsxd => FeatureSchema.OpClass.Move,
            Mnemonic.Add or Mnemonic.Sub or Mnemonic.And or Mnemonic.Or or Mnemonic.Xor or Mnemonic.Inc or Mnemonic.Dec
                or Mnemonic.Neg or Mnemonic.Not or Mnemonic.Adc or Mnemonic.Sbb => FeatureSchema.OpClass.Alu,
            _ => FeatureSchema.OpClass.Other,
        };
    }
}
