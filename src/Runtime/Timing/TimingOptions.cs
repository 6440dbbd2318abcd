namespace CompilerLLM.Timing;

/// <summary>Settings of <see cref="InterleavedTiming"/>; the defaults are the protocol of <c>docs/variants.md</c>.</summary>
public sealed record TimingOptions
{
    /// <summary>The fewest rounds the protocol accepts: fewer give no usable interval of the median.</summary>
    public const int MinimumRounds = 3;

    /// <summary>Rounds: each runs every build once, in a random order, under one random layout.</summary>
    public int Rounds { get; init; } = 7;

    /// <summary>Runs of each build before the rounds, discarded (page cache, CPU frequency, branch predictors).</summary>
    public int WarmupRuns { get; init; } = 1;

    /// <summary>The core to pin to; null: the last one (the first tends to take more interrupts).</summary>
    public int? Core { get; init; }

    /// <summary>
    /// The noise margin (a fraction: 0.02 = 2%): a change is claimed only when the median and the whole 95% interval
    /// lie beyond it. The A/A noise of medians on these shared VMs is about 2% (<c>/work/shared/FACTS.md</c>).
    /// </summary>
    public double NoiseMargin { get; init; } = 0.02;

    /// <summary>Bootstrap resamples for the 95% interval.</summary>
    public int BootstrapResamples { get; init; } = 4000;

    /// <summary>Seed of the layouts, the run orders and the bootstrap: the same seed gives the same plan.</summary>
    public int Seed { get; init; } = 20261207;

    /// <summary>Environment padding of a round is uniform in [0, this) bytes (moves the initial stack).</summary>
    public int MaxEnvironmentPadding { get; init; } = 4096;

    /// <summary>Code padding of a round is a multiple of 16 in [0, this) bytes (moves every function and loop).</summary>
    public int MaxTextPadding { get; init; } = 4096;

    /// <summary>Shuffle the program's objects in the link each round (moves functions and data relative to each other).</summary>
    public bool ShuffleLinkOrder { get; init; } = true;

    /// <summary>
    /// Niceness of the timed programs (−20 … 19; 0: ours). On a machine with many runnable tasks a negative niceness
    /// keeps the pinned core's other tasks from preempting the measured program every few milliseconds (each preemption
    /// costs it its caches, which shows in CPU time too). Needs root; silently not applied otherwise.
    /// </summary>
    public int Niceness { get; init; }

    /// <summary>Bounds one timed run.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Times a run is made before it is kept although it waited for the core (<see cref="Toolchain.TimedRun.WaitedForCore"/>).
    /// On a shared 2-core VM waiting is the main source of wall-time outliers.
    /// </summary>
    public int AttemptsPerRun { get; init; } = 2;

    /// <summary>Wall time may exceed CPU time by this fraction plus 5 ms before a run counts as having waited.</summary>
    public double DisturbedSlack { get; init; } = 0.05;
}
