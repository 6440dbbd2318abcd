namespace CompilerLLM.Timing;

/// <summary>
/// What every timed run does, the same for every build: <c>[/bin/sh WRAPPER] EXE ARGS &lt; STDIN</c> in
/// <see cref="WorkingDirectory"/> with <see cref="Environment"/> on top of ours. A wrapper script runs the program
/// (perhaps several times) and its CPU time includes the program's (<c>wait4</c> counts waited-for children).
/// </summary>
/// <param name="Wrapper">A shell script run as <c>/bin/sh WRAPPER EXE ARGS</c>, or null to run the program directly.</param>
/// <param name="Arguments">The program's arguments.</param>
/// <param name="StandardInputFile">Standard input, or null for <c>/dev/null</c>.</param>
/// <param name="WorkingDirectory">Where the runs start.</param>
/// <param name="Environment">Variables set on top of ours (null values remove).</param>
/// <param name="ExpectedExitCode">The exit code every timed run must end with; null: not checked.</param>
public sealed record TimedWorkload(string? Wrapper, IReadOnlyList<string> Arguments, string? StandardInputFile = null,
    string? WorkingDirectory = null, IReadOnlyDictionary<string, string?>? Environment = null, int? ExpectedExitCode = null)
{
    /// <summary>
    /// Called with the build's executable before each of its runs, outside the timed region: tune mode puts the round's
    /// program where the project's benchmark command expects the artifact (a copy made inside the run would time a
    /// process start with every run). Null: nothing to do.
    /// </summary>
    public Action<string>? BeforeRun { get; init; }

    /// <summary>
    /// The program's file name in every run (relinked executables are written under it, and it is <c>argv[0]</c>): some
    /// programs act on their name (<c>gunzip</c>, <c>untoast</c>), so it should be the name the workload expects.
    /// </summary>
    public string ProgramName { get; init; } = "program";

    /// <summary>The program itself, with arguments, no input, in the current directory.</summary>
    public static TimedWorkload Direct(IReadOnlyList<string> arguments, string? stdin = null, string? workingDirectory = null) =>
        new(null, arguments, stdin, workingDirectory);
}
