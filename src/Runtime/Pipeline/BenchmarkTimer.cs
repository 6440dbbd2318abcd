using CompilerLLM.Timing;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Pipeline;

/// <summary>
/// The project's benchmark command under the engine's timing protocol (<see cref="InterleavedTiming"/>): every
/// assignment is a <see cref="RelinkedBuild"/>, relinked each round under the round's layout (link order, code padding,
/// environment padding), and before each run (outside the timed region) the round's program is copied to the artifact's
/// path, where the command expects it. A run is the command through <c>/bin/sh</c>, exactly as a plain run of it
/// would be (the command is the script the protocol runs). Every timed run must exit 0.
/// </summary>
public sealed class BenchmarkTimer(Gcc gcc, TuneOptions options) : IAssignmentTimer
{
    private readonly TimingOptions _timing = new() { Rounds = options.Rounds, NoiseMargin = options.Margin, RunTimeout = options.Timeout };
    private int _runs;

    public int Runs => _runs;

    /// <summary>The artifact's path as the commands see it.</summary>
    private string Artifact => Path.GetFullPath(options.ArtifactPath);

    private IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["COMPILERLLM_ARTIFACT"] = Artifact,
    };

    /// <summary>Replaces the artifact by a new file (never writing through a link or into a program that may still be mapped).</summary>
    private void Place(string program)
    {
        File.Delete(Artifact);
        File.Copy(program, Artifact);
    }

    public string? Check(IReadOnlyList<string> objects)
    {
        string output = Path.Combine(options.WorkDirectory, "tune-check" + Path.GetExtension(options.ArtifactPath));
        Directory.CreateDirectory(options.WorkDirectory);
        var linked = gcc.Link(options.Kind, objects, output, options.LinkFlags);
        if (!linked.Succeeded) return "the program does not link: " + UnitBuilder.FirstErrorLine(linked.StandardError);
        Place(output);
        _runs++;
        var run = UserProgram.RunShell(options.BenchmarkCommand, options.WorkingDirectory, options.Timeout, Environment);
        if (run.TimedOut) return $"it did not finish within {options.Timeout.TotalSeconds:0} s";
        return run.ExitCode == 0 ? null : $"it exited with code {run.ExitCode}";
    }

    public IReadOnlyList<TimedComparison> Compare(IReadOnlyList<string> current, IReadOnlyList<IReadOnlyList<string>> candidates)
    {
        // The command is the script: /bin/sh SCRIPT EXE runs it as /bin/sh -c would (the program's path in $1 is not used).
        string script = Path.Combine(options.WorkDirectory, "tune-benchmark.sh");
        Directory.CreateDirectory(options.WorkDirectory);
        File.WriteAllText(script, options.BenchmarkCommand + "\n");
        IReadOnlyList<string> linkFlags = options.Kind == NativeOutputKind.SharedLibrary ? ["-shared", .. options.LinkFlags] : options.LinkFlags;
        var builds = new List<TimedBuild> { new RelinkedBuild("current", LinkCommand.Of(current, linkFlags, options.WorkingDirectory)) };
        builds.AddRange(candidates.Select((c, i) => new RelinkedBuild($"candidate{i + 1}", LinkCommand.Of(c, linkFlags, options.WorkingDirectory))));
        var workload = new TimedWorkload(script, [], null, options.WorkingDirectory, Environment, ExpectedExitCode: 0)
        {
            BeforeRun = Place, ProgramName = Path.GetFileName(Artifact),
        };
        var protocol = new InterleavedTiming(gcc, _timing);
        try
        {
            var outcome = protocol.Measure(builds, workload, Path.Combine(options.WorkDirectory, "timing"));
            _runs += outcome.Rounds.Sum(r => r.Attempts.Sum()) + _timing.WarmupRuns * builds.Count;
            return [.. outcome.Builds.Skip(1).Select(b => new TimedComparison(b.Ratio, b.Low, b.High, outcome.Rounds.Count, b.LogRatios))];
        }
        catch (TimingRunException e)
        {
            // The protocol stops at the first failing run; which build failed is in its message.
            _runs += builds.Count;
            return [.. candidates.Select(_ => TimedComparison.Failed(e.Message))];
        }
    }
}
