namespace CompilerLLM.Toolchain;

/// <summary>What one run of a program did: its output and exit code, or that it timed out.</summary>
public sealed record ProgramOutcome(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, TimeSpan Elapsed)
{
    /// <summary>Same observable behaviour: exit code and standard output (standard error may carry addresses or timings).</summary>
    public bool SameBehaviourAs(ProgramOutcome other) =>
        !TimedOut && !other.TimedOut && ExitCode == other.ExitCode && StandardOutput == other.StandardOutput;

    internal static ProgramOutcome Of(ProcessResult r) => new(r.ExitCode, r.StandardOutput, r.StandardError, r.TimedOut, r.Elapsed);
}

/// <summary>Runs the user's programs: a built executable, or the project's own test or workload command.</summary>
public static class UserProgram
{
    /// <summary>Runs <paramref name="executable"/> directly (no shell).</summary>
    public static ProgramOutcome Run(string executable, IReadOnlyList<string>? args = null, string? stdin = null, TimeSpan? timeout = null,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        ProgramOutcome.Of(ProcessRunner.Run(new ProcessSpec(executable, args ?? [])
        {
            StandardInput = stdin,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            WorkingDirectory = workingDirectory,
            Environment = environment,
        }));

    /// <summary>Runs a command line as the user wrote it, through <c>/bin/sh -c</c>.</summary>
    public static ProgramOutcome RunShell(string command, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        Run("/bin/sh", ["-c", command], null, timeout, workingDirectory, environment);
}
