namespace CompilerLLM.Toolchain;

public enum SmtStatus
{
    Sat,
    Unsat,
    Unknown,
    Timeout,
    Error,
}

/// <summary>
/// z3's verdict on a script: the status of the first <c>(check-sat)</c> and everything z3 printed
/// (later responses such as <c>get-value</c> or <c>get-model</c> follow the first line).
/// </summary>
public sealed record SmtResult(SmtStatus Status, string Output)
{
    /// <summary>The response lines after the first (check-sat) answer.</summary>
    public string Rest
    {
        get
        {
            int nl = Output.IndexOf('\n');
            return nl < 0 ? string.Empty : Output[(nl + 1)..];
        }
    }
}

/// <summary>Thrown when the z3 binary is missing.</summary>
public sealed class Z3NotFoundException(string tool, Exception? inner = null)
    : Exception($"The SMT solver '{tool}' was not found on PATH or is not executable; install it with scripts/setup.sh (apt package z3).", inner)
{
    public string Tool { get; } = tool;
}

/// <summary>Runs the <c>z3</c> binary on a script given on stdin (<c>z3 -in -smt2 -T:seconds</c>).</summary>
public static class Z3Solver
{
    /// <summary>The z3 executable: a name looked up on PATH, or a path.</summary>
    public static string DefaultExecutable => ToolchainOptions.Default.Solver;

    // z3's own -T limit ends the solver cleanly (it prints "timeout"); the process timeout is a
    // backstop for a z3 that hangs while parsing or printing.
    private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(10);

    public static SmtResult Check(string script, TimeSpan timeout) => Check(script, timeout, DefaultExecutable);

    public static SmtResult Check(string script, TimeSpan timeout, string executable)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "must be positive");
        int seconds = (int)Math.Max(1, Math.Ceiling(timeout.TotalSeconds));
        var spec = new ProcessSpec(executable, ["-in", "-smt2", $"-T:{seconds}"])
        {
            StandardInput = script,
            Timeout = TimeSpan.FromSeconds(seconds) + Backstop,
        };
        ProcessResult run;
        try
        {
            run = ProcessRunner.Run(spec);
        }
        catch (ToolNotFoundException e)
        {
            throw new Z3NotFoundException(executable, e);
        }
        string output = run.StandardOutput;
        if (run.TimedOut) return new SmtResult(SmtStatus.Timeout, output + run.StandardError);
        return new SmtResult(Classify(output), run.StandardError.Length == 0 ? output : output + run.StandardError);
    }

    /// <summary>The status from z3's first response line; any <c>(error ...)</c> response makes it <see cref="SmtStatus.Error"/>.</summary>
    internal static SmtStatus Classify(string output)
    {
        if (output.Contains("(error ", StringComparison.Ordinal)) return SmtStatus.Error;
        string first = FirstLine(output);
        return first switch
        {
            "sat" => SmtStatus.Sat,
            "unsat" => SmtStatus.Unsat,
            "unknown" => SmtStatus.Unknown,
            "timeout" => SmtStatus.Timeout,
            _ => SmtStatus.Error,
        };
    }

    private static string FirstLine(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            string t = line.Trim();
            if (t.Length > 0) return t;
        }
        return string.Empty;
    }
}
