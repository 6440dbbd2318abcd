using System.Globalization;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Timing;

/// <summary>A timed run failed (did not start, timed out, a link of a round failed, or ended with an unexpected exit code).</summary>
public sealed class TimingRunException(string message) : Exception(message);

/// <summary>
/// The timing protocol: K builds (the first is the base) compared in rounds. Each round draws a layout
/// (<see cref="LayoutPlan"/>: environment padding, link order, code padding), relinks every <see cref="RelinkedBuild"/>
/// with it, and runs every build once, pinned to one core (<see cref="PinnedRunner"/>), in the round's random order; a
/// run that waited for the core is repeated. Per round and build the log ratio against the base is taken
/// (<see cref="TimingStatistics.LogRatio"/>); the result per build is their median with a bootstrap 95% interval and a
/// verdict against <see cref="TimingOptions.NoiseMargin"/>. Layout is randomized per round, the same for all builds in
/// a round, so a build's placement luck is noise in its interval rather than a bias in its ratio.
/// </summary>
public sealed class InterleavedTiming(Gcc gcc, TimingOptions options)
{
    /// <summary>The protocol's settings.</summary>
    public TimingOptions Options { get; } = options;

    /// <summary>
    /// Times <paramref name="builds"/> (base first) on <paramref name="workload"/>. Relinked executables go to
    /// <paramref name="workDirectory"/> under names of one length, so argv (on the stack) does not differ between builds.
    /// </summary>
    public TimingOutcome Measure(IReadOnlyList<TimedBuild> builds, TimedWorkload workload, string workDirectory, Action<string>? progress = null)
    {
        if (builds.Count < 1) throw new ArgumentException("nothing to time", nameof(builds));
        if (Options.Rounds < TimingOptions.MinimumRounds)
            throw new ArgumentOutOfRangeException(nameof(Options), $"the protocol needs at least {TimingOptions.MinimumRounds} rounds");
        int core = Options.Core ?? Math.Max(0, Environment.ProcessorCount - 1);
        var plan = LayoutPlan.Create(Options, builds.Count);
        Directory.CreateDirectory(workDirectory);
        double loadStart = LoadAverage();

        // Warm-up: every build once under the first round's layout (links the first round's executables too).
        var firstExecutables = Link(builds, plan[0], workDirectory, workload.ProgramName);
        for (int w = 0; w < Options.WarmupRuns; w++)
            foreach (int b in plan[0].RunOrder) Run(firstExecutables[b], workload, core, plan[0].EnvironmentPadding);

        var rounds = new List<TimedRound>(plan.Count);
        int disturbed = 0;
        foreach (var layout in plan)
        {
            var executables = layout.Round == 0 ? firstExecutables : Link(builds, layout, workDirectory, workload.ProgramName);
            var runs = new TimedRun[builds.Count];
            var attempts = new int[builds.Count];
            foreach (int b in layout.RunOrder)
            {
                int max = Math.Max(1, Options.AttemptsPerRun);
                for (int a = 1; a <= max; a++)
                {
                    runs[b] = Run(executables[b], workload, core, layout.EnvironmentPadding);
                    attempts[b] = a;
                    if (!runs[b].WaitedForCore(Options.DisturbedSlack)) break;
                    if (a == max) disturbed++;
                }
            }
            rounds.Add(new TimedRound(layout, runs, attempts));
            progress?.Invoke($"round {layout.Round + 1}/{plan.Count}: " + string.Join(" ", builds.Select((b, i) =>
                string.Create(CultureInfo.InvariantCulture, $"{b.Name} {runs[i].WallSeconds:F3}s/{runs[i].CpuSeconds:F3}cpu"))));
        }
        var comparisons = Summarize(builds.Select(b => b.Name).ToList(), rounds);
        return new TimingOutcome(comparisons, rounds, loadStart, LoadAverage(), disturbed);
    }

    /// <summary>The statistics over rounds already measured (builds indexed like the rounds' runs, the base first).</summary>
    public IReadOnlyList<BuildComparison> Summarize(IReadOnlyList<string> names, IReadOnlyList<TimedRound> rounds) =>
        names.Select((name, b) =>
        {
            var logs = rounds.Select(r => TimingStatistics.LogRatio(r.Runs[0], r.Runs[b], Options.DisturbedSlack)).ToList();
            double median = TimingStatistics.Median(rounds.Select(r => Seconds(r.Runs[b])).ToList());
            return TimingStatistics.Compare(name, logs, median, Options.NoiseMargin, Options.BootstrapResamples, Options.Seed + b);
        }).ToList();

    private double Seconds(in TimedRun run) => run.WaitedForCore(Options.DisturbedSlack) ? run.CpuSeconds : run.WallSeconds;

    private string[] Link(IReadOnlyList<TimedBuild> builds, RoundLayout layout, string workDirectory, string programName)
    {
        var executables = new string[builds.Count];
        string? padding = builds.Any(b => b is RelinkedBuild) ? CodePadding.ObjectFor(gcc, layout.TextPadding, Path.Combine(workDirectory, "padding")) : null;
        for (int b = 0; b < builds.Count; b++)
        {
            switch (builds[b])
            {
                case PrebuiltBuild p:
                    executables[b] = Path.GetFullPath(p.Executable);
                    break;
                case RelinkedBuild r:
                    // One name length for every build and round: argv[0]'s path is on the stack too.
                    string exe = Path.Combine(Path.GetFullPath(workDirectory), string.Create(CultureInfo.InvariantCulture, $"b{b:D3}"), programName);
                    Directory.CreateDirectory(Path.GetDirectoryName(exe)!);
                    var linked = new Gcc(gcc.Options, r.Link.WorkingDirectory).Invoke([.. r.Link.ArgumentsUnder(layout, padding), "-o", exe]);
                    if (!linked.Succeeded)
                        throw new TimingRunException($"{r.Name}: the link of round {layout.Round + 1} failed: {FirstLine(linked.StandardError)}");
                    executables[b] = exe;
                    break;
                default:
                    throw new ArgumentException($"unknown build kind {builds[b].GetType().Name}", nameof(builds));
            }
        }
        return executables;
    }

    private TimedRun Run(string executable, TimedWorkload workload, int core, int padding)
    {
        TimedRun run;
        workload.BeforeRun?.Invoke(executable);
        try
        {
            run = workload.Wrapper is { } wrapper
                ? PinnedRunner.Run("/bin/sh", [Path.GetFullPath(wrapper), executable, .. workload.Arguments], workload.StandardInputFile,
                    workload.WorkingDirectory, core, padding, Options.RunTimeout, workload.Environment, Options.Niceness)
                : PinnedRunner.Run(executable, workload.Arguments, workload.StandardInputFile, workload.WorkingDirectory, core, padding,
                    Options.RunTimeout, workload.Environment, Options.Niceness, workload.ProgramName);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new TimingRunException($"{executable}: {e.Message}");
        }
        if (workload.ExpectedExitCode is { } expected && run.ExitCode != expected)
            throw new TimingRunException($"{executable}: exited with code {run.ExitCode}, expected {expected}");
        return run;
    }

    /// <summary>The one-minute load average (<c>/proc/loadavg</c>), NaN when unavailable.</summary>
    public static double LoadAverage()
    {
        try
        {
            string text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    private static string FirstLine(string text) => text.Trim().Split('\n')[0];
}
