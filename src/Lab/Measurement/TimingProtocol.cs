using CompilerLLM.Timing;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Lab.Measurement;

/// <summary>Settings of <see cref="TimingProtocol.Compare"/>: the engine's <see cref="CompilerLLM.Timing.TimingOptions"/> seen as pairs.</summary>
public sealed record EvalTimingOptions
{
    public const int MinimumPairs = 10;

    /// <summary>Measured pairs (rounds of the engine's protocol with two builds); at least <see cref="MinimumPairs"/>.</summary>
    public int Pairs { get; init; } = MinimumPairs;

    /// <summary>Runs of each binary before the pairs, discarded.</summary>
    public int WarmupRuns { get; init; } = 1;

    /// <summary>The core to pin to; null: the last one.</summary>
    public int? Core { get; init; }

    /// <summary>The noise margin (<see cref="CompilerLLM.Timing.TimingOptions.NoiseMargin"/>).</summary>
    public double PracticalMargin { get; init; } = 0.02;

    public int BootstrapResamples { get; init; } = 4000;

    public int Seed { get; init; } = 20261122;

    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Times a run is made before it is kept although it waited for the core.</summary>
    public int AttemptsPerPair { get; init; } = 3;

    public double DisturbedSlack { get; init; } = 0.05;

    /// <summary>The engine's options for the same protocol.</summary>
    public CompilerLLM.Timing.TimingOptions ToEngine() => new()
    {
        Rounds = Pairs, WarmupRuns = WarmupRuns, Core = Core, NoiseMargin = PracticalMargin, BootstrapResamples = BootstrapResamples,
        Seed = Seed, RunTimeout = RunTimeout, AttemptsPerRun = AttemptsPerPair, DisturbedSlack = DisturbedSlack,
    };
}

/// <summary>What to run: arguments, standard input (a file) and working directory, the same for both binaries.</summary>
public sealed record TimingWorkload(IReadOnlyList<string> Arguments, string? StandardInputFile = null, string? WorkingDirectory = null);

/// <summary>One pair (a round of two builds): both binaries under the same environment padding, in the round's order.</summary>
/// <param name="Disturbed">A run waited for the core after every attempt: the pair compares CPU times.</param>
public sealed record TimedPair(int Index, int Padding, bool BaselineFirst, TimedRun Baseline, TimedRun Optimized, bool Disturbed, double Speedup)
{
    /// <summary>Baseline wall time / optimized wall time: above 1 the optimized binary is faster.</summary>
    public double WallSpeedup => Baseline.WallSeconds / Optimized.WallSeconds;

    /// <summary>The same on user+system CPU time.</summary>
    public double CpuSpeedup => Baseline.CpuSeconds / Optimized.CpuSeconds;
}

/// <summary>
/// The comparison: <see cref="Speedup"/> is the engine protocol's ratio (exp of the median per-pair log ratio), with
/// its bootstrap 95% interval.
/// </summary>
public sealed record TimingResult(
    double Speedup, double CiLow, double CiHigh, TimingVerdict Verdict, double WallSpeedup, double CpuSpeedup,
    double BaselineSpread, double RatioSpread, double BaselineMedianSeconds, double OptimizedMedianSeconds,
    int DisturbedPairs, int RepeatedPairs, IReadOnlyList<TimedPair> Pairs);

/// <summary>
/// Two prebuilt binaries through the engine's one timing protocol (<see cref="InterleavedTiming"/>): rounds in a
/// random order, environment padding random per round, CPU-time ratios for rounds that waited for the core, median
/// and bootstrap interval. Prebuilt binaries cannot be relinked, so only the environment part of the layout applies;
/// <c>compilerllm variants</c> relinks per round.
/// </summary>
public static class TimingProtocol
{
    public static TimingResult Compare(string baseline, string optimized, TimingWorkload workload, EvalTimingOptions? options = null,
        Action<string>? progress = null)
    {
        options ??= new EvalTimingOptions();
        if (options.Pairs < EvalTimingOptions.MinimumPairs)
            throw new ArgumentOutOfRangeException(nameof(options), $"the protocol needs at least {EvalTimingOptions.MinimumPairs} pairs");
        var engine = options.ToEngine();
        string work = Path.Combine(Path.GetTempPath(), $"compilerllm-timing-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var outcome = new InterleavedTiming(new Gcc(ToolchainOptions.Default), engine).Measure(
                [new PrebuiltBuild("baseline", baseline), new PrebuiltBuild("optimized", optimized)],
                TimedWorkload.Direct(workload.Arguments, workload.StandardInputFile, workload.WorkingDirectory), work, progress);
            return Summarize(outcome, engine);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    private static TimingResult Summarize(TimingOutcome outcome, CompilerLLM.Timing.TimingOptions options)
    {
        var optimized = outcome.Builds[1];
        var pairs = outcome.Rounds.Select((r, i) => new TimedPair(i, r.Layout.EnvironmentPadding, r.Layout.RunOrder[0] == 0, r.Runs[0], r.Runs[1],
            r.Runs.Any(x => x.WaitedForCore(options.DisturbedSlack)), Math.Exp(optimized.LogRatios[i]))).ToList();
        var speedups = pairs.Select(p => p.Speedup).ToArray();
        var baseTimes = pairs.Select(p => p.Baseline.WallSeconds).ToArray();
        double baseMedian = TimingStatistics.Median(baseTimes);
        return new TimingResult(optimized.Ratio, optimized.Low, optimized.High, optimized.Verdict,
            TimingStatistics.Median(pairs.Select(p => p.WallSpeedup).ToArray()), TimingStatistics.Median(pairs.Select(p => p.CpuSpeedup).ToArray()),
            (baseTimes.Max() - baseTimes.Min()) / baseMedian, (speedups.Max() - speedups.Min()) / optimized.Ratio,
            baseMedian, TimingStatistics.Median(pairs.Select(p => p.Optimized.WallSeconds).ToArray()),
            pairs.Count(p => p.Disturbed), outcome.Rounds.Sum(r => r.Attempts.Sum() - r.Attempts.Count), pairs);
    }
}
