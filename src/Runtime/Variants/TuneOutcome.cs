using System.Text.Json.Serialization;

namespace CompilerLLM.Variants;

/// <summary>What tune mode concluded about one measured variant of a unit.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TuneVerdict>))]
public enum TuneVerdict : byte
{
    /// <summary>The whole interval of its speedup lies above 1 + margin: the unit takes it.</summary>
    [JsonStringEnumMemberName("faster")]
    Faster,
    /// <summary>Faster beyond the margin, but a better candidate of the same unit was taken.</summary>
    [JsonStringEnumMemberName("faster-not-best")]
    FasterNotBest,
    /// <summary>Neither faster nor slower beyond the margin: no change that the measurement can vouch for.</summary>
    [JsonStringEnumMemberName("not-clear")]
    NotClear,
    /// <summary>The median and the whole interval lie below 1 − margin: slower.</summary>
    [JsonStringEnumMemberName("slower")]
    Slower,
    /// <summary>GCC produced the same object as the current assignment's: nothing to measure.</summary>
    [JsonStringEnumMemberName("identical")]
    Identical,
    /// <summary>GCC refused the variant for this unit (a stale profile, for example).</summary>
    [JsonStringEnumMemberName("does-not-compile")]
    DoesNotCompile,
    /// <summary>The program did not link with it, or the benchmark command failed with it.</summary>
    [JsonStringEnumMemberName("benchmark-failed")]
    BenchmarkFailed,
    /// <summary>Measured faster, but the test command behaves differently with it: the unit keeps its zero-shot choice.</summary>
    [JsonStringEnumMemberName("test-differs")]
    TestDiffers,
}

/// <summary>
/// One variant of a unit measured against the unit's zero-shot choice (the rest of the program as assigned at the time).
/// </summary>
/// <param name="Variant">The candidate.</param>
/// <param name="Speedup">The current assignment's time over the candidate's (above 1: faster), a median over rounds; null when not timed.</param>
/// <param name="Low">The lower end of the 95% interval of <paramref name="Speedup"/>.</param>
/// <param name="High">The upper end.</param>
/// <param name="Rounds">Rounds of the timing protocol behind it (0: not timed).</param>
/// <param name="Verdict">What tune mode made of it.</param>
/// <param name="Detail">GCC's, the linker's or the benchmark's words when it failed.</param>
public sealed record MeasuredVariant(string Variant, double? Speedup, double? Low, double? High, int Rounds, TuneVerdict Verdict, string? Detail = null)
{
    /// <summary>The timing protocol's per-round log ratios (current over candidate), in round order; empty when not timed.</summary>
    public IReadOnlyList<double> LogRatios { get; init; } = [];
}

/// <summary>
/// Tune mode's decision for one unit: the zero-shot choice it started from, the variant it ends with, and every
/// candidate measured. Cached by content, so an unchanged program is not measured again (<see cref="FromCache"/>).
/// </summary>
public sealed record TuneOutcome(string ZeroShot, string Chosen, IReadOnlyList<MeasuredVariant> Measured)
{
    /// <summary>Taken from the tune cache: nothing was run for it in this build.</summary>
    public bool FromCache { get; init; }

    /// <summary>The measurement of the chosen variant, when tune mode changed the unit's variant.</summary>
    [JsonIgnore]
    public MeasuredVariant? ChosenMeasurement => Chosen == ZeroShot ? null : Measured.FirstOrDefault(m => m.Variant == Chosen);
}
