namespace CompilerLLM.Pipeline;

/// <summary>
/// Times the project's benchmark on two variant assignments of one program (each a list of objects, one per unit, in
/// the units' order): tune mode's measuring instrument, so that the tuner's decisions can be tested without a clock.
/// </summary>
public interface IAssignmentTimer
{
    /// <summary>Links the assignment and runs the benchmark once; null when it ran and exited 0, else what went wrong.</summary>
    string? Check(IReadOnlyList<string> objects);

    /// <summary>The speedup of <paramref name="candidate"/> over <paramref name="current"/> under the timing protocol.</summary>
    TimedComparison Compare(IReadOnlyList<string> current, IReadOnlyList<string> candidate);

    /// <summary>Benchmark runs so far (warm-ups and checks included).</summary>
    int Runs { get; }
}

/// <summary>
/// One comparison: the median of the per-round speedups (current time over candidate time; above 1 the candidate is
/// faster) and a 95% interval of it; or why it could not be measured.
/// </summary>
public sealed record TimedComparison(double Speedup, double Low, double High, int Rounds, string? Failure = null)
{
    public static TimedComparison Failed(string why) => new(double.NaN, double.NaN, double.NaN, 0, why);
}
