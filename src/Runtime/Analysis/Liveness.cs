namespace CompilerLLM.Analysis;

/// <summary>
/// Backward liveness over a function's CFG for every register, vector lane, mask register and
/// RFLAGS bit. A location is live after an instruction when some path may read it before it is
/// fully overwritten. Exits use the ABI sets of <see cref="SysVAbi"/>.
/// </summary>
public sealed class Liveness
{
    private readonly LocationSet[] _liveIn;
    private readonly LocationSet[] _liveOut;
    private readonly LocationSet[] _liveAfterNode;

    private Liveness(LocationSet[] liveIn, LocationSet[] liveOut, LocationSet[] liveAfterNode)
    {
        _liveIn = liveIn;
        _liveOut = liveOut;
        _liveAfterNode = liveAfterNode;
    }

    public LocationSet LiveIn(int block) => _liveIn[block];
    public LocationSet LiveOut(int block) => _liveOut[block];
    /// <summary>Live immediately after node <paramref name="node"/> (an index into <see cref="ControlFlowGraph.Nodes"/>).</summary>
    public LocationSet LiveAfter(int node) => _liveAfterNode[node];

    public static LocationSet ExitLiveness(BlockExit exit) => exit switch
    {
        BlockExit.Return => SysVAbi.ReturnUses,
        BlockExit.TailCall => SysVAbi.TailCallUses,
        BlockExit.Unknown => LocationSet.All,
        _ => LocationSet.Empty,
    };

    /// <param name="preservedAtExits">Live at every exit besides the ABI's sets: what callers may keep in registers this function never writes.</param>
    public static Liveness Compute(ControlFlowGraph cfg, ReadOnlySpan<InstructionEffects> nodeEffects, LocationSet preservedAtExits = default)
    {
        var blocks = cfg.Blocks;
        int n = blocks.Length;
        var gen = new LocationSet[n];
        var kill = new LocationSet[n];
        for (int b = 0; b < n; b++)
        {
            var g = LocationSet.Empty;
            var k = LocationSet.Empty;
            for (int i = blocks[b].EndNode - 1; i >= blocks[b].FirstNode; i--)
            {
                var e = nodeEffects[i];
                g = (g - e.Kills) | e.Uses;
                k = (k | e.Kills) - e.Uses;
            }
            gen[b] = g;
            kill[b] = k;
        }

        var liveIn = new LocationSet[n];
        var liveOut = new LocationSet[n];
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int b = n - 1; b >= 0; b--)
            {
                var block = blocks[b];
                var outSet = block.Exit == BlockExit.None ? LocationSet.Empty : ExitLiveness(block.Exit) | preservedAtExits;
                foreach (int s in block.Successors) outSet |= liveIn[s];
                var inSet = gen[b] | (outSet - kill[b]);
                if (outSet != liveOut[b] || inSet != liveIn[b])
                {
                    liveOut[b] = outSet;
                    liveIn[b] = inSet;
                    changed = true;
                }
            }
        }

        var after = new LocationSet[cfg.Nodes.Length];
        for (int b = 0; b < n; b++)
        {
            var live = liveOut[b];
            for (int i = blocks[b].EndNode - 1; i >= blocks[b].FirstNode; i--)
            {
                after[i] = live;
                live = (live - nodeEffects[i].Kills) | nodeEffects[i].Uses;
            }
        }
        return new Liveness(liveIn, liveOut, after);
    }
}
