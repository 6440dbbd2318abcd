using CompilerLLM.Timing;
using System.Diagnostics;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Lab.Corpus;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Lab.Measurement;

/// <summary>Settings of one <c>compilerllm eval</c> run.</summary>
public sealed record EvalOptions
{
    /// <summary>GCC flags of the baseline; our build starts from the same assembly.</summary>
    public string BaselineFlags { get; init; } = "-O2";

    /// <summary>The tools both builds run (the same ones the package runs).</summary>
    public ToolchainOptions Toolchain { get; init; } = ToolchainOptions.Default;

    /// <summary>How our build optimizes each translation unit.</summary>
    public OptimizerOptions Optimizer { get; init; } = new();

    public EvalTimingOptions Timing { get; init; } = new();

    /// <summary>llvm-mca CPU; <c>native</c> is resolved.</summary>
    public string Mcpu { get; init; } = "native";

    /// <summary>Where profiles and llvm-mca results are cached (default: the repository's <c>.cache/eval</c>).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Where the builds go; null: a temporary folder removed afterwards.</summary>
    public string? WorkDirectory { get; init; }
}

/// <summary>
/// The outcome for one program. <see cref="Speedup"/> is baseline time / our time (above 1: we are faster),
/// null when the program was not timed (it did not build or pass its test).
/// </summary>
public sealed record ProgramEvaluation(string Name)
{
    public bool Compiled { get; init; }
    public bool Passed { get; init; }
    public double? Speedup { get; init; }
    public double? CiLow { get; init; }
    public double? CiHigh { get; init; }
    public TimingVerdict? Verdict { get; init; }
    public double? EstCyclesBase { get; init; }
    public double? EstCyclesOpt { get; init; }
    /// <summary>Rewrites our optimizer applied over all translation units.</summary>
    public int Rewrites { get; init; }
    public double? BaselineSeconds { get; init; }
    public double? OptimizedSeconds { get; init; }
    /// <summary>Median of the plain wall-time ratios (disturbed pairs included).</summary>
    public double? WallSpeedup { get; init; }
    public double? CpuSpeedup { get; init; }
    /// <summary>(max − min)/median of the baseline's times over the padded pairs.</summary>
    public double? LayoutSpread { get; init; }
    public int? DisturbedPairs { get; init; }
    /// <summary>Why the program did not build, pass or get an estimate; null when all went well.</summary>
    public string? Error { get; init; }
}

/// <summary>The suite's summary, exactly what the last line of <c>compilerllm eval</c> prints.</summary>
public sealed record EvalSummary(int Programs, int Compiled, int Passed, double MedianSpeedup, double GeomeanSpeedup, int Slower)
{
    public static EvalSummary Of(IReadOnlyList<ProgramEvaluation> results)
    {
        var speedups = results.Where(r => r.Speedup is > 0).Select(r => r.Speedup!.Value).ToList();
        double median = speedups.Count == 0 ? 0 : TimingStatistics.Median(speedups);
        double geomean = speedups.Count == 0 ? 0 : Math.Exp(speedups.Average(Math.Log));
        return new EvalSummary(results.Count, results.Count(r => r.Compiled), results.Count(r => r.Passed), median, geomean,
            results.Count(r => r.Verdict == TimingVerdict.Slower));
    }

    public string Line => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"eval: compile {Compiled}/{Programs}, tests {Passed}/{Programs}, median speedup {MedianSpeedup:F2}x, geomean {GeomeanSpeedup:F2}x, slower {Slower}");
}

/// <summary>
/// Evaluates a suite, program by program: both builds through the engine's per-unit pipeline
/// (<see cref="UnitBuilder"/>: GCC's objects and ours, exactly as the package and the launcher make them) and
/// the package's link, the test check of both binaries (expected stdout and exit code, or else the baseline's output), the
/// timing protocol, and the static estimate of both builds weighted by the baseline's execution counts.
/// A failure of our optimizer or of GAS on its output counts as "not compiled": the product falls back
/// to GCC's object in that case, but an evaluation must show it.
/// </summary>
public sealed class SuiteEvaluator
{
    private readonly EvalOptions _options;
    private readonly Action<string> _progress;
    private readonly StaticEstimator _estimator;
    private readonly ExecutionProfiler _profiler;
    private readonly CorpusBuilder _csmith;

    public SuiteEvaluator(EvalOptions options, Action<string>? progress = null)
    {
        _options = options;
        _progress = progress ?? (_ => { });
        string cache = options.CacheDirectory ?? Path.Combine(CompilerLLM.Lab.Repository.DefaultCacheDirectory(Environment.CurrentDirectory), "eval");
        _estimator = new StaticEstimator(new StaticEstimatorOptions { Mcpu = options.Mcpu, DiskCacheDirectory = Path.Combine(cache, "mca") });
        _profiler = new ExecutionProfiler(Path.Combine(cache, "profiles"));
        _csmith = new CorpusBuilder(cache);
    }

    /// <summary>The llvm-mca CPU model in use.</summary>
    public string Cpu => _estimator.Cpu;

    public EstimatorStatistics EstimatorStatistics => _estimator.Statistics;

    public IReadOnlyList<ProgramEvaluation> Evaluate(IReadOnlyList<SuiteEntry> entries)
    {
        var results = new List<ProgramEvaluation>(entries.Count);
        TempDirectory? temp = _options.WorkDirectory is null ? new TempDirectory("compilerllm-eval-") : null;
        try
        {
            string work = _options.WorkDirectory ?? temp!.Path;
            for (int i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                string prefix = $"[{i + 1}/{entries.Count}] {entry.Name}";
                var watch = Stopwatch.StartNew();
                ProgramEvaluation result;
                if (entry.Manifest is null)
                {
                    result = new ProgramEvaluation(entry.Name) { Error = entry.Error };
                }
                else
                {
                    try
                    {
                        result = EvaluateProgram(entry.Manifest, Path.Combine(work, entry.Name), m => _progress($"{prefix}: {m}"));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or CorpusException or ToolNotFoundException)
                    {
                        result = new ProgramEvaluation(entry.Name) { Error = e.Message };
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // A bug of ours must not hide the rest of the suite; the report names it.
                        result = new ProgramEvaluation(entry.Name) { Error = $"internal error: {e.GetType().Name}: {e.Message}" };
                    }
                }
                _progress($"{prefix}: {Describe(result)} ({watch.Elapsed.TotalSeconds:F1} s)");
                results.Add(result);
            }
        }
        finally
        {
            temp?.Dispose();
        }
        return results;
    }

    private static string Describe(ProgramEvaluation r) =>
        r.Error is not null && !r.Passed ? "FAILED: " + r.Error.Split('\n')[0]
        : r.Speedup is { } s ? $"speedup {s:F3}x [{r.CiLow:F3}, {r.CiHigh:F3}] {r.Verdict}" : "passed, not timed";

    public ProgramEvaluation EvaluateProgram(ProgramManifest program, string work, Action<string> progress)
    {
        var result = new ProgramEvaluation(program.Name);
        string baseDir = Path.Combine(work, "baseline"), optDir = Path.Combine(work, "ours"), unitDir = Path.Combine(work, "units");
        Directory.CreateDirectory(baseDir);
        Directory.CreateDirectory(optDir);
        var sources = program.Sources.ToList();
        var cflags = ShellWords.Split(program.CFlags);
        if (program.CsmithSeed is { } seed)
        {
            sources.Add(_csmith.Csmith(seed));
            cflags.Add("-I" + CorpusBuilder.CsmithIncludeDirectory);
        }

        // Builds: each source is a translation unit built by the engine's own per-unit pipeline, exactly as the
        // MSBuild package and the launcher build it (gcc -S in the program's folder with the source as written there,
        // GCC's object and ours through the driver with the unit's flags).
        progress("building");
        var builder = new UnitBuilder(new Gcc(_options.Toolchain, program.Directory));
        var arguments = ShellWords.Split(_options.BaselineFlags).Concat(cflags).ToList();
        var units = new List<TranslationUnit>();
        var optModels = new List<AsmFile>();
        int rewrites = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            string stem = $"{i}-{Path.GetFileNameWithoutExtension(sources[i])}";
            var unit = new TranslationUnit(Path.GetRelativePath(program.Directory, sources[i]), arguments, UnitFiles.At(Path.Combine(unitDir, stem)));
            var compiled = builder.Compile(unit, writeDependencies: false);
            if (!compiled.Compiler.Succeeded)
                return result with { Error = $"gcc -S {Path.GetFileName(sources[i])} failed: {FirstLines(compiled.Compiler.StandardError)}" };
            if (compiled.Assembler is { Succeeded: false } gas)
                return result with { Error = $"baseline: {FirstLines(gas.StandardError)}" };
            var report = builder.Optimize(unit, _options.Optimizer);
            // The product would keep GCC's object here; an evaluation must show that our build did not happen.
            if (report.Fallback is not null)
                return result with { Error = $"our build of {Path.GetFileName(sources[i])} failed: {report.Reason}" };
            rewrites += report.Applied;
            try
            {
                optModels.Add(AsmReader.ReadFile(unit.Files.OptimizedAsm));
            }
            catch (AsmReadException e)
            {
                return result with { Error = $"our build of {Path.GetFileName(sources[i])} failed: {FirstLines(e.Message)}" };
            }
            units.Add(unit);
        }
        var baseAsm = units.Select(u => u.Files.Asm).ToList();
        result = result with { Rewrites = rewrites };
        var ldflags = ShellWords.Split(program.LdFlags);
        string baseExe = Path.Combine(baseDir, "program"), optExe = Path.Combine(optDir, "program");
        if (Link(builder.Gcc, units.Select(u => u.Files.Object).ToList(), baseExe, ldflags) is { } baseError) return result with { Error = "baseline: " + baseError };
        if (Link(builder.Gcc, units.Select(u => u.Files.OptimizedObject).ToList(), optExe, ldflags) is { } optError) return result with { Error = "our build: " + optError };
        result = result with { Compiled = true };

        // Test check.
        progress("testing");
        string? stdin = program.StandardInput is null ? null : File.ReadAllText(program.StandardInput);
        var timeout = TimeSpan.FromSeconds(program.TimeoutSeconds);
        var baseRun = UserProgram.Run(baseExe, program.Arguments, stdin, timeout, program.Directory);
        var optRun = UserProgram.Run(optExe, program.Arguments, stdin, timeout, program.Directory);
        string? expected = program.ExpectedStdout is null ? null : File.ReadAllText(program.ExpectedStdout);
        if (CheckRun(baseRun, expected, program.ExpectedExit) is { } baseFailure) return result with { Error = "the baseline fails its test: " + baseFailure };
        if (CheckRun(optRun, expected ?? baseRun.StandardOutput, program.ExpectedExit) is { } optFailure) return result with { Error = "our build fails the test: " + optFailure };
        result = result with { Passed = true };

        // Static estimate, weighted by the baseline's execution counts.
        progress("profiling");
        try
        {
            var profile = _profiler.Profile(new ProfileRequest(baseAsm)
            {
                LinkFlags = ldflags,
                Arguments = program.ProfileArguments ?? program.Arguments,
                StandardInput = stdin,
                WorkingDirectory = program.Directory,
                Timeout = TimeSpan.FromSeconds(program.TimeoutSeconds * 60),
            });
            var baseModels = baseAsm.Select(s => AsmReader.ReadFile(s)).ToList();
            // Counts of the profiled (baseline) text, applied to both builds: rewrites keep the blocks.
            var counts = baseModels.Select((m, i) => (BlockCounts?)profile.BlockCountsFor(i, m)).ToList();
            var baseEstimate = _estimator.Estimate(baseModels.Select((m, i) => (m, counts[i])).ToList());
            var optEstimate = _estimator.Estimate(optModels.Select((m, i) => (m, counts[i])).ToList());
            result = result with { EstCyclesBase = baseEstimate.Cycles, EstCyclesOpt = optEstimate.Cycles };
        }
        catch (Exception e) when (e is ProfilerException or LlvmMcaException or AsmReadException)
        {
            result = result with { Error = "static estimate: " + FirstLines(e.Message) };
        }

        // Timing.
        progress("timing");
        var timing = TimingProtocol.Compare(baseExe, optExe, new TimingWorkload(program.Arguments, program.StandardInput, program.Directory),
            _options.Timing with { RunTimeout = timeout }, m => progress(m));
        return result with
        {
            Speedup = timing.Speedup,
            CiLow = timing.CiLow,
            CiHigh = timing.CiHigh,
            Verdict = timing.Verdict,
            BaselineSeconds = timing.BaselineMedianSeconds,
            OptimizedSeconds = timing.OptimizedMedianSeconds,
            WallSpeedup = timing.WallSpeedup,
            CpuSpeedup = timing.CpuSpeedup,
            LayoutSpread = timing.BaselineSpread,
            DisturbedPairs = timing.DisturbedPairs,
        };
    }

    /// <summary>Links objects the way the package links an application; null, or the linker's complaint.</summary>
    private static string? Link(Gcc gcc, List<string> objects, string executable, List<string> ldflags)
    {
        var linked = gcc.Link(NativeOutputKind.Application, objects, executable, ldflags);
        return linked.Succeeded ? null : "link failed: " + FirstLines(linked.StandardError);
    }

    /// <summary>Null when the run behaved as expected, else what differed.</summary>
    private static string? CheckRun(ProgramOutcome run, string? expectedStdout, int expectedExit)
    {
        if (run.TimedOut) return "timed out";
        if (run.ExitCode != expectedExit) return $"exit code {run.ExitCode}, expected {expectedExit}";
        if (expectedStdout is not null && run.StandardOutput != expectedStdout)
        {
            int at = 0;
            while (at < run.StandardOutput.Length && at < expectedStdout.Length && run.StandardOutput[at] == expectedStdout[at]) at++;
            int line = expectedStdout.AsSpan(0, at).Count('\n') + 1;
            return $"standard output differs from the expected at line {line}";
        }
        return null;
    }

    private static string FirstLines(string text) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3));
}
