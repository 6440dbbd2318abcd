namespace CompilerLLM.Pipeline;

/// <summary>
/// Times the project's benchmark on variant assignments of one program (each a list of objects, one per unit, in the
/// units' order): tune mode's measuring instrument, behind an interface so that the tuner's decisions can be tested
/// without a clock.
/// </summary>
public interface IAssignmentTimer
{
    /// <summary>Links the assignment and runs the benchmark once; null when it ran and exited 0, else what went wrong.</summary>
    string? Check(IReadOnlyList<string> objects);

    /// <summary>
    /// The speedup of each of <paramref name="candidates"/> over <paramref name="current"/>, timed together under the
    /// timing protocol (one comparison per candidate, in order).
    /// </summary>
    IReadOnlyList<TimedComparison> Compare(IReadOnlyList<string> current, IReadOnlyList<IReadOnlyList<string>> candidates);

    /// <summary>Benchmark runs so far (warm-ups and checks included).</summary>
    int Runs { get; }
}

/// <summary>
/// One comparison: the speedup (current time over candidate time; above 1 the candidate is faster) as the protocol
/// reports it, with its 95% interval and the per-round log ratios behind it; or why it could not be measured.
/// </summary>
public sealed record TimedComparison(double Speedup, double Low, double High, int Rounds, IReadOnlyList<double> LogRatios, string? Failure = null)
{
    public static TimedComparison Failed(string why, int rounds = 0) => new(double.NaN, double.NaN, double.NaN, rounds, [], why);
}
