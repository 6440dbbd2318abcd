using Iced.Intel;
using CompilerLLM.Assembly;

namespace CompilerLLM.Analysis;

/// <summary>Why one node must stay before another. Several kinds may hold for one pair.</summary>
[Flags]
public enum DependenceKind : byte
{
    None = 0,
    /// <summary>Read after write (true dependence) of a register or flag.</summary>
    Raw = 1,
    /// <summary>Write after read (anti dependence).</summary>
    War = 2,
    /// <summary>Write after write (output dependence).</summary>
    Waw = 4,
    /// <summary>Two memory accesses that may overlap, at least one a write.</summary>
    Memory = 8,
    /// <summary>Ordering forced by a barrier (call, verbatim line, fence, the block's terminator).</summary>
    Order = 16,
}

/// <summary>An edge <see cref="From"/> → <see cref="To"/> between nodes of one block (block-relative indices), 6 bytes.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 2)]
public readonly record struct Dependence(ushort From, ushort To, DependenceKind Kind)
{
    /// <summary>Blocks longer than this get no edges and keep their original order (<see cref="DependenceGraph.KeepsOriginalOrder"/>).</summary>
    public const int MaxNodes = ushort.MaxValue;
}

/// <summary>
/// The dependence graph of one basic block: register and flag RAW/WAR/WAW; memory accesses kept in
/// program order except that a load may pass an earlier store to a provably different place (same
/// unchanged base and index, same symbol, non-overlapping displacement ranges), as x86-TSO itself
/// allows; barriers (including every write to rsp, which moves the red zone) ordered against
/// everything. Any topological order of it is a valid schedule of the block.
/// </summary>
public sealed class DependenceGraph
{
    private readonly List<Dependence> _edges;
    private readonly int[] _predecessorStart; // CSR over edges sorted by To

    private DependenceGraph(int nodeCount, List<Dependence> edges)
    {
        NodeCount = nodeCount;
        _edges = edges;
        _predecessorStart = new int[nodeCount + 1];
        foreach (var e in edges) _predecessorStart[e.To + 1]++;
        for (int i = 0; i < nodeCount; i++) _predecessorStart[i + 1] += _predecessorStart[i];
    }

    public int NodeCount { get; }

    /// <summary>
    /// True for blocks too long to index in 16 bits: they have no edges, and the only valid order is
    /// the original one. Schedulers leave such blocks alone.
    /// </summary>
    public bool KeepsOriginalOrder { get; private init; }
    public ReadOnlySpan<Dependence> Edges => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_edges);

    /// <summary>Edges into node <paramref name="node"/> (none at all when <see cref="KeepsOriginalOrder"/>).</summary>
    public ReadOnlySpan<Dependence> Predecessors(int node) =>
        Edges.Slice(_predecessorStart[node], _predecessorStart[node + 1] - _predecessorStart[node]);

    /// <summary>True when <paramref name="order"/> (a permutation of block nodes) respects every edge.</summary>
    public bool IsValidOrder(ReadOnlySpan<int> order)
    {
        if (order.Length != NodeCount) return false;
        if (KeepsOriginalOrder)
        {
            for (int i = 0; i < order.Length; i++) if (order[i] != i) return false;
            return true;
        }
        Span<int> position = order.Length <= 512 ? stackalloc int[order.Length] : new int[order.Length];
        position.Fill(-1);
        for (int i = 0; i < order.Length; i++)
        {
            if ((uint)order[i] >= (uint)NodeCount || position[order[i]] >= 0) return false;
            position[order[i]] = i;
        }
        foreach (var e in Edges)
        {
            if (position[e.From] >= position[e.To]) return false;
        }
        return true;
    }

    public static DependenceGraph Build(AsmFile file, ControlFlowGraph cfg, BasicBlock block,
        ReadOnlySpan<InstructionEffects> nodeEffects, IReadOnlyList<MemoryAccess> memory)
    {
        int n = block.NodeCount;
        if (n > Dependence.MaxNodes) return new DependenceGraph(n, []) { KeepsOriginalOrder = true };
        var edges = new List<Dependence>(n * 2 + 4);
        Span<int> lastWriter = stackalloc int[Location.Count];
        lastWriter.Fill(-1);
        // Readers of each location since its last write, as linked lists threaded through one pool.
        Span<int> readerHead = stackalloc int[Location.Count];
        readerHead.Fill(-1);
        var readerNode = new List<int>(n * 4);
        var readerNext = new List<int>(n * 4);
        // Register versions: bumped on every write, so an address is "the same" only if its registers were not written in between.
        Span<int> version = stackalloc int[16];
        var memoryNodes = new List<(int Node, int Access, int BaseVersion, int IndexVersion)>();
        // Incoming edges of the current node, merged per source through a stamp/slot table.
        var stamp = n <= 1024 ? stackalloc int[n] : new int[n];
        var slot = n <= 1024 ? stackalloc int[n] : new int[n];
        stamp.Fill(-1);
        int lastBarrier = -1;

        for (int j = 0; j < n; j++)
        {
            var e = nodeEffects[block.FirstNode + j];

            if (e.Barrier != BarrierKind.None)
            {
                // Everything since the previous barrier goes before this one; everything after goes after it.
                // Any dependence across it is then implied, so the per-location state starts afresh.
                for (int i = lastBarrier < 0 ? 0 : lastBarrier; i < j; i++) Add(edges, stamp, slot, i, j, DependenceKind.Order);
                lastBarrier = j;
                lastWriter.Fill(-1);
                readerHead.Fill(-1);
                memoryNodes.Clear();
                continue;
            }
            if (lastBarrier >= 0) Add(edges, stamp, slot, lastBarrier, j, DependenceKind.Order);

            foreach (int l in e.Uses)
            {
                if (lastWriter[l] >= 0) Add(edges, stamp, slot, lastWriter[l], j, DependenceKind.Raw);
            }
            foreach (int l in e.Writes)
            {
                if (lastWriter[l] >= 0) Add(edges, stamp, slot, lastWriter[l], j, DependenceKind.Waw);
                for (int r = readerHead[l]; r >= 0; r = readerNext[r]) Add(edges, stamp, slot, readerNode[r], j, DependenceKind.War);
            }

            for (int m = 0; m < e.MemoryCount; m++)
            {
                var access = memory[e.MemoryStart + m];
                int baseVersion = GprVersion(access.Base, version), indexVersion = GprVersion(access.Index, version);
                foreach (var (node, other, otherBase, otherIndex) in memoryNodes)
                {
                    var o = memory[other];
                    // Program order of memory operations is what other threads (and compiled C11
                    // acquire/release, which are plain movs on x86) observe. Like the hardware (TSO),
                    // only a later load may pass an earlier store, and only to a provably different place.
                    bool storeThenLoad = o.Writes && !access.Writes;
                    if (storeThenLoad && Disjoint(file, access, baseVersion, indexVersion, o, otherBase, otherIndex)) continue;
                    Add(edges, stamp, slot, node, j, DependenceKind.Memory);
                }
            }

            for (int m = 0; m < e.MemoryCount; m++)
            {
                var access = memory[e.MemoryStart + m];
                memoryNodes.Add((j, e.MemoryStart + m, GprVersion(access.Base, version), GprVersion(access.Index, version)));
            }
            foreach (int l in e.Uses)
            {
                readerNode.Add(j);
                readerNext.Add(readerHead[l]);
                readerHead[l] = readerNode.Count - 1;
            }
            foreach (int l in e.Writes)
            {
                lastWriter[l] = j;
                readerHead[l] = -1;
                if (l < 16) version[l]++;
            }
        }
        // Edges were produced grouped by target in increasing order, as the CSR index needs.
        if (edges.Count < edges.Capacity * 3 / 4) edges.TrimExcess();
        return new DependenceGraph(n, edges);
    }

    private static void Add(List<Dependence> edges, Span<int> stamp, Span<int> slot, int from, int to, DependenceKind kind)
    {
        if (from == to) return;
        if (stamp[from] == to)
        {
            var e = edges[slot[from]];
            edges[slot[from]] = e with { Kind = e.Kind | kind };
            return;
        }
        stamp[from] = to;
        slot[from] = edges.Count;
        edges.Add(new Dependence((ushort)from, (ushort)to, kind));
    }


    private static int GprVersion(Register r, Span<int> version)
    {
        if (r == Register.None) return 0;
        if (r == Register.RIP || r == Register.EIP) return 0;
        int n = r.GetFullRegister() - Register.RAX;
        return (uint)n < 16 ? version[n] : int.MinValue;
    }

    private static bool Disjoint(AsmFile file, in MemoryAccess a, int aBase, int aIndex, in MemoryAccess b, int bBase, int bIndex)
    {
        if (a.Size == 0 || b.Size == 0) return false;                 // unknown extent (string instructions)
        if (a.Segment != b.Segment && (a.Segment is Register.FS or Register.GS || b.Segment is Register.FS or Register.GS)) return false;
        if (a.Base != b.Base || a.Index != b.Index || a.Scale != b.Scale) return false;
        if (a.Base == Register.None && a.Index == Register.None && !a.HasSymbol) return false;
        if (aBase != bBase || aIndex != bIndex || aBase == int.MinValue || aIndex == int.MinValue) return false;
        if (a.HasSymbol != b.HasSymbol) return false;
        long da = a.Displacement, db = b.Displacement;
        if (a.HasSymbol)
        {
            // Same symbol spelled the same way, compared by what the formatter would print apart from the constant.
            if (!SameSymbol(file.Source.AsSpan(a.SymbolStart, a.SymbolLength), file.Source.AsSpan(b.SymbolStart, b.SymbolLength), out long ka, out long kb))
                return false;
            da = ka;
            db = kb;
        }
        else if (a.Base is Register.RIP or Register.EIP) return false;   // absolute addresses in different sections could alias
        return da + a.Size <= db || db + b.Size <= da;
    }

    /// <summary>True when both expressions are <c>sym+const</c> of the same symbol; outputs the constants.</summary>
    internal static bool SameSymbol(ReadOnlySpan<char> a, ReadOnlySpan<char> b, out long ka, out long kb)
    {
        ka = kb = 0;
        Span<SymbolExpression.Term> ta = stackalloc SymbolExpression.Term[SymbolExpression.MaxTerms];
        Span<SymbolExpression.Term> tb = stackalloc SymbolExpression.Term[SymbolExpression.MaxTerms];
        int na = SymbolExpression.Parse(a, ta), nb = SymbolExpression.Parse(b, tb);
        if (na <= 0 || nb <= 0) return false;
        ReadOnlySpan<char> sa = default, sb = default;
        for (int i = 0; i < na; i++)
        {
            if (!ta[i].IsSymbol) { ka += ta[i].Sign * ta[i].Constant; continue; }
            if (!sa.IsEmpty || ta[i].Sign < 0 || ta[i].Modifier != SymbolModifier.None) return false;
            sa = a[ta[i].Symbol];
        }
        for (int i = 0; i < nb; i++)
        {
            if (!tb[i].IsSymbol) { kb += tb[i].Sign * tb[i].Constant; continue; }
            if (!sb.IsEmpty || tb[i].Sign < 0 || tb[i].Modifier != SymbolModifier.None) return false;
            sb = b[tb[i].Symbol];
        }
        return !sa.IsEmpty && sa.SequenceEqual(sb);
    }
}
