using Iced.Intel;
using CompilerLLM.Assembly;

namespace CompilerLLM.Analysis;

/// <summary>
/// Everything the rewrite engine asks about one function: its CFG, each node's effects, and
/// liveness. Dependence graphs are built per block on demand (most blocks are never scheduled).
/// </summary>
public sealed class FunctionAnalysis
{
    private readonly InstructionEffects[] _effects;
    private readonly List<MemoryAccess> _memory;
    private readonly DependenceGraph?[] _dependences;

    private FunctionAnalysis(AsmFile file, ControlFlowGraph cfg, InstructionEffects[] effects, List<MemoryAccess> memory, Liveness liveness)
    {
        File = file;
        Cfg = cfg;
        _effects = effects;
        _memory = memory;
        Liveness = liveness;
        _dependences = new DependenceGraph?[cfg.Blocks.Length];
    }

    public AsmFile File { get; }
    public ControlFlowGraph Cfg { get; }
    public Liveness Liveness { get; }
    public ReadOnlySpan<InstructionEffects> Effects => _effects;
    public IReadOnlyList<MemoryAccess> Memory => _memory;

    /// <param name="summaries">
    /// The call summaries to respect; by default this file's. When re-checking a rewritten file,
    /// pass the original file's: callers were compiled against the original clobber sets.
    /// </param>
    public static FunctionAnalysis Analyze(AsmFile file, AsmFunction function, EffectsBuilder? builder = null, CallSummaries? summaries = null)
    {
        var cfg = ControlFlowGraph.Build(file, function);
        summaries ??= CallSummaries.For(file);
        builder ??= new EffectsBuilder();
        builder.SymbolSource = file.Source;
        builder.TakeMemory();
        var effects = new InstructionEffects[cfg.Nodes.Length];
        for (int i = 0; i < effects.Length; i++)
        {
            var line = file.Lines[cfg.Nodes[i]];
            if (line.Kind != LineKind.Instruction)
            {
                effects[i] = EffectsBuilder.VerbatimEffects;
                continue;
            }
            var asm = file.Instructions[line.Instruction];
            LocationSet? local = asm.Instruction.FlowControl == FlowControl.Call && CallSummaries.TryLocalCallee(file, asm, out var callee)
                ? summaries.ClobbersOf(callee) : null;
            effects[i] = builder.Compute(asm, local);
        }
        var memory = builder.TakeMemory();
        // Callers compiled with -fipa-ra rely on this function not writing more than it does today.
        var preserved = summaries.PreservedAtExits(function.Name);
        return new FunctionAnalysis(file, cfg, effects, memory, Liveness.Compute(cfg, effects, preserved));
    }

    /// <summary>What is live just before node <paramref name="node"/>.</summary>
    public LocationSet LiveBefore(int node)
    {
        var e = _effects[node];
        return (Liveness.LiveAfter(node) - e.Kills) | e.Uses;
    }

    /// <summary>The node of a line, or -1 when the line is not one of the function's nodes.</summary>
    public int NodeOfLine(int line) => Math.Max(-1, Array.BinarySearch(Cfg.Nodes, line));

    public DependenceGraph Dependences(int block) =>
        _dependences[block] ??= DependenceGraph.Build(File, Cfg, Cfg.Blocks[block], _effects, _memory);
}
