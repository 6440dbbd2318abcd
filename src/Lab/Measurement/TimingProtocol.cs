namespace CompilerLLM.Lab.Measurement;

/// <summary>How a speed comparison came out.</summary>
public enum TimingVerdict : byte
{
    /// <summary>The interval contains 1.0, or the effect is smaller than the practical margin.</summary>
    NoMeasurableChange,
    Faster,
    Slower,
}

/// <summary>Settings of <see cref="TimingProtocol.Compare"/>; the defaults are the protocol of <c>docs/eval.md</c>.</summary>
public sealed record TimingOptions
{
    public const int MinimumPairs = 10;

    /// <summary>Measured pairs (baseline and optimized once each); at least <see cref="MinimumPairs"/>.</summary>
    public int Pairs { get; init; } = MinimumPairs;

    /// <summary>Runs of each binary before the pairs, discarded (page cache, CPU frequency, branch predictors).</summary>
    public int WarmupRuns { get; init; } = 1;

    /// <summary>The core to pin to; null: the last one (the first tends to take more interrupts).</summary>
    public int? Core { get; init; }

    /// <summary>
    /// The practical margin (a fraction: 0.02 = 2%): a change is claimed only when the whole 95% interval
    /// lies beyond it (above 1 + margin or below 1 − margin). The A/A noise of medians on these shared
    /// VMs is about 2% (<c>/work/shared/FACTS.md</c>), and noise that moves whole stretches of pairs
    /// together (a neighbour's load, the hypervisor) can push an interval of 10 pairs just off 1.0.
    /// </summary>
    public double PracticalMargin { get; init; } = 0.02;

    /// <summary>Bootstrap resamples for the 95% interval.</summary>
    public int BootstrapResamples { get; init; } = 4000;

    /// <summary>Seed of the bootstrap's random numbers, fixed so that the same timings give the same report.</summary>
    public int Seed { get; init; } = 20261122;

    /// <summary>Bytes of environment padding for pair <c>i</c> is <c>(i × this) mod 4096</c>: each pair sees another stack placement.</summary>
    public int PaddingStep { get; init; } = 784;

    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Times a pair is run before it is kept although disturbed. A run is disturbed when its wall time
    /// exceeds its CPU time by more than <see cref="DisturbedSlack"/>: it waited for the core (another
    /// process was scheduled on it), which says nothing about the code. On a shared 2-core VM this is the
    /// main source of wall-time outliers.
    /// </summary>
    public int AttemptsPerPair { get; init; } = 3;

    /// <summary>Wall time may exceed CPU time by this fraction plus 5 ms before a run counts as disturbed.</summary>
    public double DisturbedSlack { get; init; } = 0.05;
}

/// <summary>What to run: arguments, standard input (a file) and working directory, the same for both binaries.</summary>
public sealed record TimingWorkload(IReadOnlyList<string> Arguments, string? StandardInputFile = null, string? WorkingDirectory = null);

/// <summary>One pair: both binaries under the same environment padding, in the order given.</summary>
/// <param name="Disturbed">A run of the kept attempt waited for the core (wall time well above CPU time).</param>
public sealed record TimedPair(int Index, int Padding, bool BaselineFirst, TimedRun Baseline, TimedRun Optimized, bool Disturbed = false)
{
    /// <summary>Baseline wall time / optimized wall time: above 1 the optimized binary is faster.</summary>
    public double WallSpeedup => Baseline.WallSeconds / Optimized.WallSeconds;

    /// <summary>The same on user+system CPU time.</summary>
    public double CpuSpeedup => Baseline.CpuSeconds / Optimized.CpuSeconds;

    /// <summary>
    /// The pair's estimate of the undisturbed wall-time speedup: the wall-time ratio, or, when a run
    /// waited for the core, the CPU-time ratio (its wall time minus the waiting), because then the wall
    /// time measures the neighbours rather than the code.
    /// </summary>
    public double Speedup => Disturbed ? CpuSpeedup : WallSpeedup;
}

/// <summary>
/// The comparison: <see cref="Speedup"/> is the median of the per-pair speedups (<see cref="TimedPair.Speedup"/>),
/// with a bootstrap 95% interval of that median.
/// </summary>
/// <param name="WallSpeedup">The median of the plain wall-time ratios, disturbed pairs included, for reference.</param>
/// <param name="CpuSpeedup">The median of the CPU-time ratios, for reference.</param>
/// <param name="BaselineSpread">(max − min) / median of the baseline's wall times over the pairs: layout (padding) plus machine noise.</param>
/// <param name="RatioSpread">(max − min) / median of the per-pair speedups.</param>
/// <param name="DisturbedPairs">Pairs kept although a run waited for the core after every attempt (see <see cref="TimingOptions.AttemptsPerPair"/>).</param>
/// <param name="RepeatedPairs">Attempts thrown away because a run was disturbed.</param>
public sealed record TimingResult(
    double Speedup, double CiLow, double CiHigh, TimingVerdict Verdict, double WallSpeedup, double CpuSpeedup,
    double BaselineSpread, double RatioSpread, double BaselineMedianSeconds, double OptimizedMedianSeconds,
    int DisturbedPairs, int RepeatedPairs, IReadOnlyList<TimedPair> Pairs);

/// <summary>
/// Protocolized wall time of a baseline against an optimized binary: both pinned to one core
/// (<see cref="PinnedRunner"/>), warm-up runs discarded, then pairs run interleaved — AB, BA, AB, … so
/// that neither binary always runs first — each pair under its own environment padding (moving the
/// stack, one source of layout noise). A pair in which a run waited for the core is repeated, and if it
/// stays disturbed its CPU-time ratio stands in for the wall-time ratio. The result is the median of the
/// per-pair speedups and a percentile-bootstrap 95% interval of it with a fixed seed. Unless the whole
/// interval lies beyond <see cref="TimingOptions.PracticalMargin"/> (so in particular whenever it
/// contains 1.0) the verdict is "no measurable change".
/// </summary>
public static class TimingProtocol
{
    public static TimingResult Compare(string baseline, string optimized, TimingWorkload workload, TimingOptions? options = null,
        Action<string>? progress = null)
    {
        options ??= new TimingOptions();
        if (options.Pairs < TimingOptions.MinimumPairs)
            throw new ArgumentOutOfRangeException(nameof(options), $"the protocol needs at least {TimingOptions.MinimumPairs} pairs");
        int core = options.Core ?? Math.Max(0, Environment.ProcessorCount - 1);
        TimedRun Run(string exe, int padding)
        {
            var r = PinnedRunner.Run(exe, workload.Arguments, workload.StandardInputFile, workload.WorkingDirectory, core, padding, options.RunTimeout);
            return r;
        }
        for (int w = 0; w < options.WarmupRuns; w++)
        {
            Run(baseline, 0);
            Run(optimized, 0);
        }
        var pairs = new List<TimedPair>(options.Pairs);
        int disturbedPairs = 0, repeated = 0;
        for (int i = 0; i < options.Pairs; i++)
        {
            int padding = (int)((long)i * options.PaddingStep % 4096);
            bool baselineFirst = i % 2 == 0;
            TimedRun a = default, b = default;
            bool disturbed = false;
            for (int attempt = 1; attempt <= Math.Max(1, options.AttemptsPerPair); attempt++)
            {
                if (baselineFirst)
                {
                    a = Run(baseline, padding);
                    b = Run(optimized, padding);
                }
                else
                {
                    b = Run(optimized, padding);
                    a = Run(baseline, padding);
                }
                disturbed = IsDisturbed(a, options) || IsDisturbed(b, options);
                if (!disturbed) break;
                if (attempt == Math.Max(1, options.AttemptsPerPair)) disturbedPairs++;
                else repeated++;
            }
            pairs.Add(new TimedPair(i, padding, baselineFirst, a, b, disturbed));
            progress?.Invoke($"pair {i + 1}/{options.Pairs}: {a.WallSeconds:F3} s / {b.WallSeconds:F3} s");
        }
        return Summarize(pairs, options) with { DisturbedPairs = disturbedPairs, RepeatedPairs = repeated };
    }

    private static bool IsDisturbed(TimedRun run, TimingOptions options) =>
        run.WallSeconds > run.CpuSeconds * (1 + options.DisturbedSlack) + 0.005;

    /// <summary>The statistics of <see cref="Compare"/> over pairs already measured.</summary>
    public static TimingResult Summarize(IReadOnlyList<TimedPair> pairs, TimingOptions options)
    {
        var speedups = pairs.Select(p => p.Speedup).ToArray();
        double median = Median(speedups);
        var (low, high) = BootstrapMedianInterval(speedups, options.BootstrapResamples, options.Seed);
        var verdict = Verdict(median, low, high, options.PracticalMargin);
        var baseTimes = pairs.Select(p => p.Baseline.WallSeconds).ToArray();
        double baseMedian = Median(baseTimes);
        return new TimingResult(median, low, high, verdict, Median(pairs.Select(p => p.WallSpeedup).ToArray()), Median(pairs.Select(p => p.CpuSpeedup).ToArray()),
            (baseTimes.Max() - baseTimes.Min()) / baseMedian, (speedups.Max() - speedups.Min()) / median,
            baseMedian, Median(pairs.Select(p => p.Optimized.WallSeconds).ToArray()), pairs.Count(p => p.Disturbed), 0, pairs);
    }

    /// <summary>Slower or faster only when the whole interval lies beyond the margin (so it excludes 1.0 too).</summary>
    public static TimingVerdict Verdict(double speedup, double ciLow, double ciHigh, double margin)
    {
        if (ciHigh < 1.0 - margin && speedup < 1.0 - margin) return TimingVerdict.Slower;
        if (ciLow > 1.0 + margin && speedup > 1.0 + margin) return TimingVerdict.Faster;
        return TimingVerdict.NoMeasurableChange;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Percentile bootstrap (2.5%, 97.5%) of the median; deterministic for a given seed.</summary>
    public static (double Low, double High) BootstrapMedianInterval(IReadOnlyList<double> values, int resamples, int seed)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        // System.Random with a seed uses the same legacy algorithm on every .NET version and platform.
        var random = new Random(seed);
        var medians = new double[resamples];
        var sample = new double[values.Count];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < sample.Length; i++) sample[i] = values[random.Next(values.Count)];
            medians[r] = Median(sample);
        }
        Array.Sort(medians);
        return (Percentile(medians, 0.025), Percentile(medians, 0.975));
    }

    private static double Percentile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
