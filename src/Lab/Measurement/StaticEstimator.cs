using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;

namespace CompilerLLM.Lab.Measurement;

/// <summary>Settings of a <see cref="StaticEstimator"/>; every estimate it makes depends only on these and the input.</summary>
public sealed record StaticEstimatorOptions
{
    /// <summary>llvm-mca's <c>-mcpu</c>; <c>native</c> is resolved once (see <see cref="LlvmMca.ResolveCpu"/>).</summary>
    public string Mcpu { get; init; } = "native";

    /// <summary>llvm-mca's <c>-iterations</c>: each block is simulated as a loop of this many executions.</summary>
    public int Iterations { get; init; } = 100;

    /// <summary>
    /// A directory for a persistent cache of block cycles (one small append-only file per CPU, iteration
    /// count and LLVM version); null keeps the cache in memory only.
    /// </summary>
    public string? DiskCacheDirectory { get; init; }
}

/// <summary>One basic block: llvm-mca cycles per execution, times how often it ran.</summary>
/// <param name="Block">CFG block index (<see cref="ControlFlowGraph.Blocks"/>).</param>
/// <param name="FirstLine">0-based line of the block's first label or instruction.</param>
/// <param name="Instructions">Instruction lines given to llvm-mca (verbatim lines are left out).</param>
/// <param name="CyclesPerExecution">llvm-mca's Total Cycles divided by its iterations (0 for a block with no instruction).</param>
/// <param name="Count">Executions of the block; 1 for every block in an unweighted estimate.</param>
public sealed record BlockEstimate(int Block, int FirstLine, int Instructions, double CyclesPerExecution, long Count)
{
    public double Cycles => CyclesPerExecution * Count;
}

/// <summary>One function: the sum over its blocks.</summary>
public sealed record FunctionEstimate(string Name, IReadOnlyList<BlockEstimate> Blocks)
{
    public double Cycles { get; } = Blocks.Sum(b => b.Cycles);
}

/// <summary>One translation unit.</summary>
public sealed record FileEstimate(string Path, IReadOnlyList<FunctionEstimate> Functions)
{
    public double Cycles { get; } = Functions.Sum(f => f.Cycles);
}

/// <summary>
/// A static estimate of a program's run time in cycles: Σ over blocks of llvm-mca cycles per
/// execution × executions. <see cref="Weighted"/> is false when no counts were given (every block counted once).
/// </summary>
public sealed record ProgramEstimate(string Cpu, int Iterations, bool Weighted, IReadOnlyList<FileEstimate> Files)
{
    public double Cycles { get; } = Files.Sum(f => f.Cycles);

    /// <summary>Instruction lines llvm-mca could not parse and skipped ("region: message"); normally empty.</summary>
    public IReadOnlyList<string> SkippedLines { get; init; } = [];
}

/// <summary>How much work the estimator did: blocks looked up, found in the cache, and llvm-mca runs.</summary>
public sealed record EstimatorStatistics(long BlocksRequested, long MemoryHits, long DiskHits, long BlocksSimulated, int McaInvocations, TimeSpan McaTime)
{
    public double HitRate => BlocksRequested == 0 ? 0 : (double)(MemoryHits + DiskHits) / BlocksRequested;
}

/// <summary>
/// The static cost signal: cycles of every basic block from <c>llvm-mca-14</c>, weighted by block
/// execution counts and summed per function, file and program. Meant to be called many times (the
/// trainer's reward): all blocks of a call that are not cached go to <b>one</b> llvm-mca process as
/// named regions, and results are cached by block text (in memory; on disk with
/// <see cref="StaticEstimatorOptions.DiskCacheDirectory"/>). Deterministic: the same text, CPU and
/// iteration count always give the same cycles, cached or not. Thread-safe.
/// </summary>
/// <remarks>
/// What llvm-mca sees of a block: its instruction lines as written, without comments, labels or
/// directives; verbatim lines are left out; local labels (<c>.L…</c>) are renamed to one name, which
/// llvm-mca ignores anyway (it does not follow branches or addresses) and which lets equal blocks of
/// different functions share a cache entry. Cycles per execution are llvm-mca's Total Cycles /
/// iterations, so they include 3/iterations cycles of pipeline fill and drain (dispatch, write-back, retire).
/// </remarks>
public sealed partial class StaticEstimator
{
    private readonly ConcurrentDictionary<string, double> _memory = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _disk = new(StringComparer.Ordinal);
    private readonly string? _diskFile;
    private readonly Lock _diskLock = new();
    private long _requested, _memoryHits, _diskHits, _simulated, _mcaTicks;
    private int _invocations;

    public StaticEstimator(StaticEstimatorOptions? options = null)
    {
        Options = options ?? new StaticEstimatorOptions();
        if (Options.Iterations < 1) throw new ArgumentOutOfRangeException(nameof(options), "Iterations must be at least 1");
        Cpu = LlvmMca.ResolveCpu(Options.Mcpu);
        if (Options.DiskCacheDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            string version = Hash(LlvmMca.Version())[..12];
            _diskFile = Path.Combine(dir, $"mca-{Sanitize(Cpu)}-i{Options.Iterations}-{version}.tsv");
            LoadDisk();
        }
    }

    public StaticEstimatorOptions Options { get; }

    /// <summary>The CPU model llvm-mca uses (<c>native</c> resolved).</summary>
    public string Cpu { get; }

    public EstimatorStatistics Statistics => new(Interlocked.Read(ref _requested), Interlocked.Read(ref _memoryHits),
        Interlocked.Read(ref _diskHits), Interlocked.Read(ref _simulated), Volatile.Read(ref _invocations), TimeSpan.FromTicks(Interlocked.Read(ref _mcaTicks)));

    /// <summary>Estimates one translation unit; without <paramref name="counts"/> every block counts once.</summary>
    public ProgramEstimate Estimate(AsmFile file, BlockCounts? counts = null) => Estimate([(file, counts)]);

    /// <summary>
    /// Estimates one function of <paramref name="file"/> (the trainer's usual question after rewriting
    /// it); the same numbers as the function's entry in <see cref="Estimate(AsmFile, BlockCounts?)"/>.
    /// </summary>
    public FunctionEstimate EstimateFunction(AsmFile file, AsmFunction function, BlockCounts? counts = null) =>
        Estimate([(file, counts)], function).Files[0].Functions[0];

    /// <summary>Estimates a program made of several translation units, with one llvm-mca run for all uncached blocks.</summary>
    public ProgramEstimate Estimate(IReadOnlyList<(AsmFile File, BlockCounts? Counts)> files) => Estimate(files, null);

    private ProgramEstimate Estimate(IReadOnlyList<(AsmFile File, BlockCounts? Counts)> files, AsmFunction? only)
    {
        // Collect every block's text first, so that all cache misses go to llvm-mca together.
        var plans = new List<(AsmFile File, List<(string Function, List<(BasicBlock Block, int FirstLine, string? Key, int Instructions, long Count)> Blocks)> Functions)>();
        var missing = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (file, counts) in files)
        {
            var functions = new List<(string, List<(BasicBlock, int, string?, int, long)>)>();
            foreach (var function in file.Functions)
            {
                if (only is not null && !ReferenceEquals(function, only)) continue;
                var cfg = ControlFlowGraph.Build(file, function);
                var blocks = new List<(BasicBlock, int, string?, int, long)>(cfg.Blocks.Length);
                foreach (var block in cfg.Blocks)
                {
                    var lines = BlockLines(file, cfg, block);
                    string? key = lines.Count == 0 ? null : string.Join('\n', lines);
                    long count = counts is null ? 1 : counts.CountOf(cfg, block);
                    if (key is not null)
                    {
                        Interlocked.Increment(ref _requested);
                        if (!TryCached(key, out _)) missing.TryAdd(key, lines);
                    }
                    blocks.Add((block, block.FirstLine, key, lines.Count, count));
                }
                functions.Add((function.Name, blocks));
            }
            plans.Add((file, functions));
        }

        var skipped = missing.Count > 0 ? Simulate(missing) : [];

        var fileEstimates = new List<FileEstimate>(plans.Count);
        foreach (var (file, functions) in plans)
        {
            var functionEstimates = new List<FunctionEstimate>(functions.Count);
            foreach (var (name, blocks) in functions)
            {
                var estimates = blocks.Select(b => new BlockEstimate(b.Block.Index, b.FirstLine, b.Instructions,
                    b.Key is null ? 0 : _memory.GetValueOrDefault(b.Key), b.Count)).ToList();
                functionEstimates.Add(new FunctionEstimate(name, estimates));
            }
            fileEstimates.Add(new FileEstimate(file.Path, functionEstimates));
        }
        return new ProgramEstimate(Cpu, Options.Iterations, files.Any(f => f.Counts is not null), fileEstimates) { SkippedLines = skipped };
    }

    /// <summary>
    /// Cycles per execution of arbitrary instruction sequences (for example a block before and after a
    /// candidate rewrite), one llvm-mca run for all uncached ones. Lines are instruction text as GAS accepts
    /// it; comments, spacing and local label names are normalized as for blocks of a file. An empty
    /// sequence costs 0.
    /// </summary>
    public double[] CyclesPerExecution(IReadOnlyList<IReadOnlyList<string>> sequences)
    {
        var keys = new string?[sequences.Count];
        var missing = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (int i = 0; i < sequences.Count; i++)
        {
            var lines = new List<string>(sequences[i].Count);
            foreach (string raw in sequences[i])
            {
                string line = NormalizeLine(raw);
                if (line.Length > 0) lines.Add(line);
            }
            if (lines.Count == 0) continue;
            string key = keys[i] = string.Join('\n', lines);
            Interlocked.Increment(ref _requested);
            if (!TryCached(key, out _)) missing.TryAdd(key, lines);
        }
        if (missing.Count > 0) Simulate(missing);
        var cycles = new double[sequences.Count];
        for (int i = 0; i < cycles.Length; i++) cycles[i] = keys[i] is { } k ? _memory.GetValueOrDefault(k) : 0;
        return cycles;
    }

    /// <summary>One instruction line as llvm-mca is given it: no comment, single spaces, local labels renamed.</summary>
    public static string NormalizeLine(string text)
    {
        int comment = text.IndexOf('#');
        if (comment >= 0) text = text[..comment];
        text = text.Trim();
        return text.Length == 0 ? "" : LocalLabel().Replace(Whitespace().Replace(text, " "), ".Lx");
    }

    /// <summary>The instruction lines of a block as llvm-mca is given them (see the remarks on the class).</summary>
    public static List<string> BlockLines(AsmFile file, ControlFlowGraph cfg, BasicBlock block)
    {
        var lines = new List<string>(block.NodeCount);
        for (int node = block.FirstNode; node < block.EndNode; node++)
        {
            int line = cfg.Nodes[node];
            if (file.Lines[line].Kind != LineKind.Instruction) continue;
            string text = NormalizeLine(file.TextOf(line).ToString());
            if (text.Length > 0) lines.Add(text);
        }
        return lines;
    }

    private bool TryCached(string key, out double cycles)
    {
        if (_memory.TryGetValue(key, out cycles))
        {
            Interlocked.Increment(ref _memoryHits);
            return true;
        }
        if (_diskFile is not null)
        {
            lock (_diskLock)
            {
                if (_disk.TryGetValue(Hash(key), out cycles))
                {
                    _memory.TryAdd(key, cycles);
                    Interlocked.Increment(ref _diskHits);
                    return true;
                }
            }
        }
        return false;
    }

    private IReadOnlyList<string> Simulate(Dictionary<string, IReadOnlyList<string>> missing)
    {
        // Sorted so that one input always produces the same llvm-mca input (and the same messages).
        var keys = missing.Keys.Order(StringComparer.Ordinal).ToList();
        var regions = keys.Select((k, i) => new McaRegion("b" + i.ToString(CultureInfo.InvariantCulture), missing[k])).ToList();
        var watch = Stopwatch.StartNew();
        var run = LlvmMca.Run(regions, Cpu, Options.Iterations);
        Interlocked.Add(ref _mcaTicks, watch.Elapsed.Ticks);
        Interlocked.Increment(ref _invocations);
        var byName = run.Regions.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var newLines = new StringBuilder();
        for (int i = 0; i < keys.Count; i++)
        {
            // A region llvm-mca dropped entirely (every line rejected) costs 0: it is reported in SkippedLines.
            double cycles = byName.TryGetValue(regions[i].Name, out var r) ? r.CyclesPerIteration : 0;
            _memory[keys[i]] = cycles;
            Interlocked.Increment(ref _simulated);
            newLines.Append(Hash(keys[i])).Append('\t').Append(cycles.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        if (_diskFile is not null)
        {
            lock (_diskLock)
            {
                // One append per llvm-mca run; a line cut short by a crash is ignored when loading.
                File.AppendAllText(_diskFile, newLines.ToString());
            }
        }
        return run.RejectedLines;
    }

    private void LoadDisk()
    {
        if (_diskFile is null || !File.Exists(_diskFile)) return;
        foreach (var line in File.ReadLines(_diskFile))
        {
            int tab = line.IndexOf('\t');
            if (tab != 64) continue;
            if (double.TryParse(line.AsSpan(tab + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double cycles))
                _disk[line[..tab]] = cycles;
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Sanitize(string name) => Regex.Replace(name, "[^A-Za-z0-9_.-]", "_");

    [GeneratedRegex(@"\.L[A-Za-z0-9_.$]*")]
    private static partial Regex LocalLabel();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
