using CompilerLLM.Processes;

namespace CompilerLLM.Measurement;

/// <summary>What one run of a program did: its output and exit code, or that it timed out.</summary>
public sealed record ProgramOutcome(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, TimeSpan Elapsed)
{
    /// <summary>Same observable behaviour: exit code and standard output (standard error may carry addresses or timings).</summary>
    public bool SameBehaviourAs(ProgramOutcome other) =>
        !TimedOut && !other.TimedOut && ExitCode == other.ExitCode && StandardOutput == other.StandardOutput;
}

/// <summary>Links assembly or objects into an executable with gcc and runs it.</summary>
public static class NativeProgram
{
    /// <summary>Links <paramref name="inputs"/> (.s, .o or .c) into <paramref name="executable"/>; returns gcc's error text or null.</summary>
    public static string? Link(IReadOnlyList<string> inputs, string executable, IReadOnlyList<string>? flags = null)
    {
        var args = new List<string> { "-w", "-o", executable };
        args.AddRange(inputs);
        args.AddRange(flags ?? ["-lm"]);
        var r = ProcessRunner.Run(new ProcessSpec("gcc", args) { Timeout = TimeSpan.FromMinutes(2) });
        return r.Succeeded ? null : r.StandardError.Trim();
    }

    public static ProgramOutcome Run(string executable, IReadOnlyList<string>? args = null, string? stdin = null, TimeSpan? timeout = null,
        string? workingDirectory = null)
    {
        var r = ProcessRunner.Run(new ProcessSpec(executable, args ?? [])
        {
            StandardInput = stdin,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            WorkingDirectory = workingDirectory,
        });
        return new ProgramOutcome(r.ExitCode, r.StandardOutput, r.StandardError, r.TimedOut, r.Elapsed);
    }
}
