using System.Globalization;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Pipeline;

/// <summary>
/// How tune mode measures a program's variant assignment: the project's benchmark command (run as the user wrote it,
/// with the candidate program at <see cref="ArtifactPath"/>), how many of the policy's alternatives per unit, the timing
/// protocol's rounds and noise margin, and the test command that gates the final assignment.
/// </summary>
/// <param name="BenchmarkCommand">A shell command run in <see cref="WorkingDirectory"/>; its time is what tune mode improves.</param>
/// <param name="TestCommand">The project's test command (null or blank: no gate beyond the benchmark's exit code).</param>
/// <param name="Candidates">Alternatives per unit: the policy's best-scored variants other than the zero-shot choice.</param>
/// <param name="Rounds">Interleaved rounds of the timing protocol per comparison.</param>
/// <param name="Margin">A variant is taken only when the whole 95% interval of its speedup lies above 1 + margin.</param>
/// <param name="MaxUnits">At most this many units are tuned, the hottest first.</param>
/// <param name="Timeout">One run of the benchmark or test command.</param>
/// <param name="WorkingDirectory">Where the commands run (the project directory).</param>
/// <param name="ArtifactPath">Where each candidate program is placed for a run (<c>NativeOutputPath</c>).</param>
/// <param name="Kind">Application or library.</param>
/// <param name="LinkFlags">The project's link flags.</param>
/// <param name="WorkDirectory">Candidate links and cache temporaries.</param>
public sealed record TuneOptions(
    string BenchmarkCommand, string? TestCommand, int Candidates, int Rounds, double Margin, int MaxUnits, TimeSpan Timeout,
    string WorkingDirectory, string ArtifactPath, NativeOutputKind Kind, IReadOnlyList<string> LinkFlags, string WorkDirectory)
{
    /// <summary>The default cap on tuned units.</summary>
    public const int DefaultMaxUnits = 8;

    /// <summary>
    /// The least share of the profiled work a unit must have to be tuned: a unit doing a fraction s of the work makes
    /// the program at most 1/(1 − s) times faster even if its code took no time, so below margin/(1 + margin) no
    /// variant of it can clear the margin.
    /// </summary>
    public double MinimumShare => Margin / (1 + Margin);

    /// <summary>What else a tune decision depends on, for the cache key (every field that changes what is measured or how).</summary>
    public string Identity => string.Create(CultureInfo.InvariantCulture,
        $"benchmark {BenchmarkCommand}\ntest {TestCommand}\ncandidates {Candidates}\nrounds {Rounds}\nmargin {Margin:R}\nkind {Kind}\nlink {string.Join(' ', LinkFlags)}\nartifact {ArtifactPath}");
}
