using System.Text.Json.Serialization;
using CompilerLLM.Analysis;

namespace CompilerLLM.Variants;

/// <summary>
/// How a unit was compiled and why: the variant, the policy's score for it (speed) or its code size (size), every
/// candidate's score, the unit's profile, and a note when a wanted variant could not be used (a stale profile).
/// </summary>
public sealed record VariantDecision(string Variant, float? Score, IReadOnlyDictionary<string, float>? Scores, UnitProfile? Profile, string? Note)
{
    /// <summary>.text bytes of each candidate (size objective).</summary>
    public IReadOnlyDictionary<string, long>? TextBytes { get; init; }

    /// <summary>Tune mode: the measured speedup of this variant over the unit's zero-shot choice (null when tune mode kept that choice).</summary>
    public double? MeasuredSpeedup { get; init; }

    /// <summary>The lower end of the 95% interval of <see cref="MeasuredSpeedup"/>.</summary>
    public double? MeasuredLow { get; init; }

    /// <summary>The upper end of the 95% interval of <see cref="MeasuredSpeedup"/>.</summary>
    public double? MeasuredHigh { get; init; }

    /// <summary>Tune mode's measurements and decision for the unit (null: the unit was not tuned).</summary>
    public TuneOutcome? Tuning { get; init; }

    /// <summary>The choice the variant policy made before tune mode measured anything.</summary>
    [JsonIgnore]
    public string ZeroShotVariant => Tuning?.ZeroShot ?? Variant;

    /// <summary>This decision as the variant policy made it, before tune mode (the same record when the unit was never tuned).</summary>
    public VariantDecision ZeroShot() => Tuning is null ? this : this with
    {
        Variant = Tuning.ZeroShot, Score = Scores?.GetValueOrDefault(Tuning.ZeroShot), MeasuredSpeedup = null, MeasuredLow = null, MeasuredHigh = null, Tuning = null,
    };

    /// <summary>This (zero-shot) decision after tune mode decided <paramref name="outcome"/>.</summary>
    public VariantDecision Tuned(TuneOutcome outcome)
    {
        var m = outcome.ChosenMeasurement;
        return this with
        {
            Variant = outcome.Chosen, Score = Scores?.TryGetValue(outcome.Chosen, out float s) == true ? s : null,
            MeasuredSpeedup = m?.Speedup, MeasuredLow = m?.Low, MeasuredHigh = m?.High, Tuning = outcome,
        };
    }

    [JsonIgnore]
    public bool IsBase => Variant == VariantTable.Base.Name;

    public static VariantDecision Base(UnitProfile? profile, string? note = null) => new(VariantTable.Base.Name, null, null, profile, note);
}
