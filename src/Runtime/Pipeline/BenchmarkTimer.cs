using CompilerLLM.Timing;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Pipeline;

/// <summary>
/// The project's benchmark command under the engine's timing protocol (<see cref="InterleavedTiming"/>): every
/// assignment is a <see cref="RelinkedBuild"/>, relinked each round under the round's layout (link order, code padding,
/// environment padding), and each run is the benchmark command with that round's program standing at the artifact's path.
/// The command runs through a small wrapper that links the round's program there first (<c>ln -f</c>, a copy when
/// that cannot be done): its cost is in every run of every build alike, a constant that dilutes a ratio by well under
/// 1% for benchmarks of a tenth of a second or more. Every timed run must exit 0.
/// </summary>
public sealed class BenchmarkTimer(Gcc gcc, TuneOptions options) : IAssignmentTimer
{
    private const string Wrapper = """
        # CompilerLLM tune mode: the round's program ($1) stands where the benchmark expects the artifact, then the benchmark runs.
        ln -f "$1" "$COMPILERLLM_TUNE_ARTIFACT" 2>/dev/null || cp -f "$1" "$COMPILERLLM_TUNE_ARTIFACT" || exit 126
        exec /bin/sh -c "$COMPILERLLM_TUNE_BENCHMARK"

        """;

    private readonly TimingOptions _timing = new() { Rounds = options.Rounds, NoiseMargin = options.Margin, RunTimeout = options.Timeout };
    private int _runs;

    public int Runs => _runs;

    /// <summary>The artifact's path as the commands see it.</summary>
    private string Artifact => Path.GetFullPath(options.ArtifactPath);

    private IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["COMPILERLLM_ARTIFACT"] = Artifact,
        ["COMPILERLLM_TUNE_ARTIFACT"] = Artifact,
        ["COMPILERLLM_TUNE_BENCHMARK"] = options.BenchmarkCommand,
    };

    public string? Check(IReadOnlyList<string> objects)
    {
        string output = Path.Combine(options.WorkDirectory, "tune-check" + Path.GetExtension(options.ArtifactPath));
        Directory.CreateDirectory(options.WorkDirectory);
        var linked = gcc.Link(options.Kind, objects, output, options.LinkFlags);
        if (!linked.Succeeded) return "the program does not link: " + UnitBuilder.FirstErrorLine(linked.StandardError);
        File.Copy(output, Artifact, overwrite: true);
        _runs++;
        var run = UserProgram.RunShell(options.BenchmarkCommand, options.WorkingDirectory, options.Timeout, Environment);
        if (run.TimedOut) return $"it did not finish within {options.Timeout.TotalSeconds:0} s";
        return run.ExitCode == 0 ? null : $"it exited with code {run.ExitCode}";
    }

    public IReadOnlyList<TimedComparison> Compare(IReadOnlyList<string> current, IReadOnlyList<IReadOnlyList<string>> candidates)
    {
        string wrapper = Path.Combine(options.WorkDirectory, "tune-benchmark.sh");
        Directory.CreateDirectory(options.WorkDirectory);
        File.WriteAllText(wrapper, Wrapper);
        IReadOnlyList<string> linkFlags = options.Kind == NativeOutputKind.SharedLibrary ? ["-shared", .. options.LinkFlags] : options.LinkFlags;
        var builds = new List<TimedBuild> { new RelinkedBuild("current", LinkCommand.Of(current, linkFlags, options.WorkingDirectory)) };
        builds.AddRange(candidates.Select((c, i) => new RelinkedBuild($"candidate{i + 1}", LinkCommand.Of(c, linkFlags, options.WorkingDirectory))));
        var workload = new TimedWorkload(wrapper, [], null, options.WorkingDirectory, Environment, ExpectedExitCode: 0);
        var protocol = new InterleavedTiming(gcc, _timing);
        try
        {
            var outcome = protocol.Measure(builds, workload, Path.Combine(options.WorkDirectory, "timing"));
            _runs += outcome.Rounds.Sum(r => r.Attempts.Sum()) + _timing.WarmupRuns * builds.Count;
            return [.. outcome.Builds.Skip(1).Select(b => new TimedComparison(b.Ratio, b.Low, b.High, outcome.Rounds.Count))];
        }
        catch (TimingRunException e)
        {
            // The protocol stops at the first failing run; which build failed is in its message.
            _runs += builds.Count;
            return [.. candidates.Select(_ => TimedComparison.Failed(e.Message))];
        }
    }
}
