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

    /// <summary>Measured in tune mode: the speedup over base and its 95% interval.</summary>
    public double? MeasuredSpeedup { get; init; }

    public double? MeasuredLow { get; init; }

    public double? MeasuredHigh { get; init; }

    [JsonIgnore]
    public bool IsBase => Variant == VariantTable.Base.Name;

    public static VariantDecision Base(UnitProfile? profile, string? note = null) => new(VariantTable.Base.Name, null, null, profile, note);
}
