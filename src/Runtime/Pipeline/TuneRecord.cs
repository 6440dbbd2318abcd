using System.Text.Json;
using System.Text.Json.Serialization;
using CompilerLLM.Variants;

namespace CompilerLLM.Pipeline;

/// <summary>
/// One measurement of tune mode, for the variant trainer: the unit's features (<see cref="VariantFeatures.UnitNames"/>
/// of version <paramref name="FeatureVersion"/>), the variant it was compared with and the candidate, and what the timing
/// protocol measured. Written as one JSON line per measured candidate.
/// </summary>
/// <param name="Schema">This record's layout (<see cref="CurrentSchema"/>).</param>
/// <param name="Program">The program's key: records with the same key were measured on the same program.</param>
/// <param name="Unit">The unit's source.</param>
/// <param name="FeatureVersion">The version of the feature schema of <paramref name="Features"/>.</param>
/// <param name="Features">The unit's features as the variant policy sees them.</param>
/// <param name="ProfileShare">The unit's share of the profiled work (null without a profile).</param>
/// <param name="Current">The variant the unit had during the measurement (its zero-shot choice).</param>
/// <param name="Variant">The candidate.</param>
/// <param name="Flags">The candidate's options.</param>
/// <param name="Ratio">The current assignment's time over the candidate's (above 1: the candidate is faster; null when not timed), as the timing protocol reports it.</param>
/// <param name="Low">The 95% interval's lower end.</param>
/// <param name="High">Its upper end.</param>
/// <param name="LogRatios">The per-round log ratios behind it (the names and meanings of the lab's variant dataset, docs/variants.md).</param>
/// <param name="Rounds">Rounds of the timing protocol.</param>
/// <param name="Margin">The noise margin the verdict was made with.</param>
/// <param name="Verdict">What tune mode concluded.</param>
/// <param name="Taken">The unit ends with this variant.</param>
/// <param name="Benchmark">The benchmark command.</param>
public sealed record TuneRecord(
    int Schema, string Program, string Unit, int FeatureVersion, IReadOnlyList<float> Features, double? ProfileShare,
    string Current, string Variant, IReadOnlyList<string> Flags, double? Ratio, double? Low, double? High, IReadOnlyList<double> LogRatios, int Rounds, double Margin,
    TuneVerdict Verdict, bool Taken, string Benchmark)
{
    public const int CurrentSchema = 1;

    /// <summary>The file records are appended to, inside the records directory.</summary>
    public const string FileName = "tune-records.jsonl";

    /// <summary>Appends records to <see cref="FileName"/> in <paramref name="directory"/>, one JSON line each.</summary>
    public static void Append(string directory, IEnumerable<TuneRecord> records)
    {
        Directory.CreateDirectory(directory);
        var lines = records.Select(r => JsonSerializer.Serialize(r, TuneRecordJson.Default.TuneRecord)).ToList();
        if (lines.Count > 0) File.AppendAllLines(Path.Combine(directory, FileName), lines);
    }

    /// <summary>Reads every record of a records directory (for the trainer and tests).</summary>
    public static IReadOnlyList<TuneRecord> ReadAll(string directory)
    {
        string file = Path.Combine(directory, FileName);
        if (!File.Exists(file)) return [];
        return [.. File.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize(l, TuneRecordJson.Default.TuneRecord)!)];
    }
}

/// <summary>Records are single lines (no indentation), camelCase like every other file of the engine.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TuneRecord))]
internal sealed partial class TuneRecordJson : JsonSerializerContext;
