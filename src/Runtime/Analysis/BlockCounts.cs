using CompilerLLM.Assembly;

namespace CompilerLLM.Analysis;

/// <summary>How often each basic block of one function ran, in CFG block order, with each block's first label.</summary>
public sealed record FunctionCounts(IReadOnlyList<long> Counts, IReadOnlyList<string?> FirstLabels);

/// <summary>
/// Execution counts of the basic blocks of one translation unit (one <c>.s</c> file), keyed by
/// function name and CFG block index (<see cref="ControlFlowGraph.Build"/> order). Counts measured on
/// the original file apply to a rewritten version of it: rewrites stay inside blocks, so a function
/// with the same number of blocks is matched by index, otherwise block by block through the first label.
/// </summary>
public sealed class BlockCounts
{
    private readonly Dictionary<string, FunctionCounts> _functions;

    public BlockCounts(IReadOnlyDictionary<string, FunctionCounts> functions) =>
        _functions = new Dictionary<string, FunctionCounts>(functions, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, FunctionCounts> Functions => _functions;

    /// <summary>
    /// Block counts from per-line execution counts of <paramref name="file"/>: a block ran as often as its
    /// first instruction. Instructions with a <c>rep</c> prefix are skipped (profilers count each repetition).
    /// </summary>
    /// <param name="countOfLine">Executions of the instruction on a 0-based line; 0 when it never ran.</param>
    public static BlockCounts FromLineCounts(AsmFile file, Func<int, long> countOfLine)
    {
        var functions = new Dictionary<string, FunctionCounts>(StringComparer.Ordinal);
        foreach (var function in file.Functions)
        {
            var cfg = ControlFlowGraph.Build(file, function);
            var counts = new long[cfg.Blocks.Length];
            var labels = new string?[cfg.Blocks.Length];
            foreach (var block in cfg.Blocks)
            {
                labels[block.Index] = block.Labels.Count > 0 ? block.Labels[0] : null;
                for (int node = block.FirstNode; node < block.EndNode; node++)
                {
                    var line = file.Lines[cfg.Nodes[node]];
                    if (line.HasInstruction && file.Instructions[line.Instruction].Instruction is var i && (i.HasRepPrefix || i.HasRepnePrefix))
                        continue;
                    counts[block.Index] = countOfLine(cfg.Nodes[node]);
                    break;
                }
            }
            functions.TryAdd(function.Name, new FunctionCounts(counts, labels));
        }
        return new BlockCounts(functions);
    }

    /// <summary>Executions of <paramref name="block"/> of <paramref name="cfg"/>'s function; 0 when unknown.</summary>
    public long CountOf(ControlFlowGraph cfg, BasicBlock block)
    {
        if (!_functions.TryGetValue(cfg.Function.Name, out var f)) return 0;
        if (f.Counts.Count == cfg.Blocks.Length) return f.Counts[block.Index];
        if (block.Labels.Count == 0) return 0;
        for (int b = 0; b < f.FirstLabels.Count; b++)
        {
            if (f.FirstLabels[b] is { } label && block.Labels.Contains(label)) return f.Counts[b];
        }
        return 0;
    }

    /// <summary>Executions of the function's entry block (how often it was called), 0 when unknown.</summary>
    public long EntryCount(string function) =>
        _functions.TryGetValue(function, out var f) && f.Counts.Count > 0 ? f.Counts[0] : 0;
}
