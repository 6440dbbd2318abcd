using CompilerLLM.Toolchain;

namespace CompilerLLM.Timing;

/// <summary>
/// One build against the base: <see cref="Ratio"/> = exp(median of the per-round log ratios) = base time / build time
/// (above 1: faster), with the bootstrap 95% interval of that median.
/// </summary>
/// <param name="Name">The build's name.</param>
/// <param name="Ratio">The speedup over the base.</param>
/// <param name="Low">The interval's lower end.</param>
/// <param name="High">The interval's upper end.</param>
/// <param name="Verdict">Faster or slower beyond the noise margin, or neither.</param>
/// <param name="LogRatios">One per round, in round order.</param>
/// <param name="MedianSeconds">The build's median time per run (wall, or CPU for runs that waited).</param>
public sealed record BuildComparison(string Name, double Ratio, double Low, double High, TimingVerdict Verdict,
    IReadOnlyList<double> LogRatios, double MedianSeconds);

/// <summary>One round: its layout and every build's kept run (indexed like the builds).</summary>
/// <param name="Layout">The round's layout and run order.</param>
/// <param name="Runs">The kept run of each build.</param>
/// <param name="Attempts">How many runs each build needed (more than one when a run waited for the core).</param>
public sealed record TimedRound(RoundLayout Layout, IReadOnlyList<TimedRun> Runs, IReadOnlyList<int> Attempts);

/// <summary>What a timing measured: every build against the base (the first build, which compares as ratio 1).</summary>
/// <param name="Builds">One per build, the base first.</param>
/// <param name="Rounds">The raw rounds.</param>
/// <param name="LoadAverageStart">The one-minute load average before the first run (NaN when unknown).</param>
/// <param name="LoadAverageEnd">The same after the last run.</param>
/// <param name="DisturbedRuns">Kept runs that waited for the core after every attempt (their rounds compare CPU times).</param>
public sealed record TimingOutcome(IReadOnlyList<BuildComparison> Builds, IReadOnlyList<TimedRound> Rounds,
    double LoadAverageStart, double LoadAverageEnd, int DisturbedRuns)
{
    /// <summary>The comparison of the build named <paramref name="name"/>.</summary>
    public BuildComparison this[string name] => Builds.First(b => b.Name == name);
}
