namespace CompilerLLM.Timing;

/// <summary>
/// The protocol's statistics, one definition for the lab, the trainer's data and tune mode: per-round log ratios of
/// a build against the base, their median, a percentile-bootstrap 95% interval of the median (fixed seed: the same
/// timings give the same report), and a verdict against a noise margin.
/// </summary>
public static class TimingStatistics
{
    /// <summary>
    /// The round's log ratio base/build (above 0: the build is faster): of wall times, or of CPU times when either run
    /// waited for the core, because then its wall time measures the neighbours rather than the code.
    /// </summary>
    public static double LogRatio(in Toolchain.TimedRun baseRun, in Toolchain.TimedRun buildRun, double disturbedSlack)
    {
        bool disturbed = baseRun.WaitedForCore(disturbedSlack) || buildRun.WaitedForCore(disturbedSlack);
        return disturbed ? Math.Log(baseRun.CpuSeconds / buildRun.CpuSeconds) : Math.Log(baseRun.WallSeconds / buildRun.WallSeconds);
    }

    /// <summary>The comparison of one build from its per-round log ratios.</summary>
    public static BuildComparison Compare(string name, IReadOnlyList<double> logRatios, double medianSeconds, double margin, int resamples, int seed)
    {
        double median = Median(logRatios);
        var (low, high) = BootstrapMedianInterval(logRatios, resamples, seed);
        double ratio = Math.Exp(median), lowRatio = Math.Exp(low), highRatio = Math.Exp(high);
        return new BuildComparison(name, ratio, lowRatio, highRatio, Verdict(ratio, lowRatio, highRatio, margin), logRatios, medianSeconds);
    }

    /// <summary>Slower or faster only when the median and the whole interval lie beyond the margin (so it excludes 1.0 too).</summary>
    public static TimingVerdict Verdict(double ratio, double low, double high, double margin)
    {
        if (high < 1.0 - margin && ratio < 1.0 - margin) return TimingVerdict.Slower;
        if (low > 1.0 + margin && ratio > 1.0 + margin) return TimingVerdict.Faster;
        return TimingVerdict.NoMeasurableChange;
    }

    /// <summary>The median (NaN for no values).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The geometric mean of ratios (NaN for none).</summary>
    public static double GeometricMean(IReadOnlyList<double> ratios) =>
        ratios.Count == 0 ? double.NaN : Math.Exp(ratios.Average(Math.Log));

    /// <summary>Percentile bootstrap (2.5%, 97.5%) of the median; deterministic for a given seed.</summary>
    public static (double Low, double High) BootstrapMedianInterval(IReadOnlyList<double> values, int resamples, int seed)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
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

    /// <summary>The <paramref name="q"/> quantile of sorted values, linearly interpolated.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        double position = q * (sorted.Count - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
