using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Inference;

namespace CompilerLLM.Variants;

/// <summary>
/// What the variant policy sees of a translation unit: the shape of GCC's baseline assembly (size, loops, the
/// instruction mix) and, when the project has a profile, how much of the unit ran and how hot it is. One row per
/// (unit, variant): the unit's features followed by the variant as one-hot. A model records <see cref="Version"/> and
/// <see cref="Names"/> and is refused when they differ (<see cref="VariantPolicy.Contract"/>).
/// </summary>
public static class VariantFeatures
{
    public const int Version = 1;

    /// <summary>The unit's features (the first part of a row).</summary>
    public static IReadOnlyList<string> UnitNames { get; } =
    [
        "unit.instructions.log2", "unit.functions.log2", "unit.function.size.log2", "unit.loops.per.kinstr", "unit.loop.depth.max",
        "unit.in.loops.fraction", "unit.vector.fraction", "unit.wide.vector.fraction", "unit.memory.fraction",
        "unit.branch.fraction", "unit.call.fraction", "unit.multiply.fraction", "unit.divide.fraction",
        "unit.indirect.jumps.per.kinstr", "unit.verbatim.fraction",
        "profile.present", "profile.coverage", "profile.total.log2", "profile.max.log2", "profile.share",
    ];

    /// <summary>The variants a model scores, in a fixed order (the one-hot part of a row): the speed variants.</summary>
    public static IReadOnlyList<CompileVariant> Variants { get; } = VariantTable.For(VariantObjective.Speed);

    public static IReadOnlyList<string> Names { get; } = [.. UnitNames, .. Variants.Select(v => "variant." + v.Name)];

    public static int UnitWidth => UnitNames.Count;

    public static int Width => Names.Count;

    /// <summary>The unit part of the rows for GCC's baseline assembly of a unit and its profile (null: none).</summary>
    /// <param name="file">GCC's assembly of the unit with the user's flags.</param>
    /// <param name="profile">The unit's profile summary, when the project has one.</param>
    /// <param name="programTotal">The sum of every unit's profile counts (for the unit's share of the work); 0 when unknown.</param>
    public static float[] OfUnit(AsmFile file, UnitProfile? profile, long programTotal)
    {
        var f = new float[UnitWidth];
        int instructions = file.Instructions.Length;
        int functions = file.Functions.Count;
        double n = Math.Max(1, instructions);
        int loops = 0, maxDepth = 0, inLoops = 0, vector = 0, wide = 0, memory = 0, branch = 0, call = 0, mul = 0, div = 0, indirect = 0;
        foreach (var function in file.Functions)
        {
            var cfg = ControlFlowGraph.Build(file, function);
            var bodies = Loops.Bodies(cfg);
            loops += bodies.Count;
            var depth = Loops.Depths(cfg, bodies);
            foreach (var block in cfg.Blocks)
            {
                maxDepth = Math.Max(maxDepth, depth[block.Index]);
                for (int node = block.FirstNode; node < block.EndNode; node++)
                {
                    var line = file.Lines[cfg.Nodes[node]];
                    if (line.Kind != LineKind.Instruction) continue;
                    if (depth[block.Index] > 0) inLoops++;
                }
            }
        }
        foreach (var asm in file.Instructions)
        {
            var i = asm.Instruction;
            var cls = FeatureExtractor.Classify(i);
            if (cls == FeatureSchema.OpClass.Vector) vector++;
            if (UsesWideVector(i)) wide++;
            for (int k = 0; k < i.OpCount; k++) if (i.GetOpKind(k) == OpKind.Memory) { memory++; break; }
            switch (i.FlowControl)
            {
                case FlowControl.ConditionalBranch: branch++; break;
                case FlowControl.Call or FlowControl.IndirectCall: call++; break;
                case FlowControl.IndirectBranch: indirect++; break;
            }
            if (cls == FeatureSchema.OpClass.Multiply) mul++;
            if (cls == FeatureSchema.OpClass.Divide) div++;
        }
        f[0] = Log2(instructions);
        f[1] = Log2(functions);
        f[2] = Log2(functions == 0 ? 0 : instructions / functions);
        f[3] = (float)(1000.0 * loops / n);
        f[4] = maxDepth;
        f[5] = (float)(inLoops / n);
        f[6] = (float)(vector / n);
        f[7] = (float)(wide / n);
        f[8] = (float)(memory / n);
        f[9] = (float)(branch / n);
        f[10] = (float)(call / n);
        f[11] = (float)(mul / n);
        f[12] = (float)(div / n);
        f[13] = (float)(1000.0 * indirect / n);
        f[14] = (float)(file.VerbatimCount / Math.Max(1.0, file.Lines.Length));
        if (profile is not null)
        {
            f[15] = 1;
            f[16] = (float)profile.Coverage;
            f[17] = Log2(profile.TotalCount);
            f[18] = Log2(profile.MaxCount);
            f[19] = programTotal > 0 ? (float)((double)profile.TotalCount / programTotal) : 0;
        }
        return f;
    }

    /// <summary>The full rows for one unit: its features followed by each variant's one-hot, one row per variant.</summary>
    public static float[] Rows(ReadOnlySpan<float> unit, IReadOnlyList<CompileVariant> variants)
    {
        var rows = new float[variants.Count * Width];
        for (int r = 0; r < variants.Count; r++)
        {
            var row = rows.AsSpan(r * Width, Width);
            unit.CopyTo(row);
            int index = IndexOf(variants[r]);
            if (index < 0) throw new ArgumentException($"variant '{variants[r].Name}' is not one the policy scores", nameof(variants));
            row[UnitWidth + index] = 1;
        }
        return rows;
    }

    private static int IndexOf(CompileVariant v)
    {
        for (int i = 0; i < Variants.Count; i++) if (Variants[i].Name == v.Name) return i;
        return -1;
    }

    private static bool UsesWideVector(in Instruction i)
    {
        for (int k = 0; k < i.OpCount; k++)
        {
            if (i.GetOpKind(k) != OpKind.Register) continue;
            var r = i.GetOpRegister(k);
            if (r.IsYMM() || r.IsZMM()) return true;
        }
        return false;
    }

    private static float Log2(double x) => (float)Math.Log2(1 + Math.Max(0, x));
}
