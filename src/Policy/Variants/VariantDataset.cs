using System.Text.Json;
using System.Text.Json.Serialization;

namespace CompilerLLM.Training.Variants;

/// <summary>
/// The measured variant dataset written by the lab (<c>compilerllm variants SUITE --out FILE</c>; the contract is
/// docs/variants-dataset.md): per program, its units' features and the speedup of every variant applied to the whole
/// program over the base build. Read as data; <see cref="VariantCorpus"/> turns it into what the trainer uses.
/// </summary>
public sealed record VariantDataset
{
    public const string Schema = "compilerllm.variant-dataset/1";

    [JsonPropertyName("schema")] public string? SchemaName { get; init; }
    public int FeatureVersion { get; init; }
    public IReadOnlyList<string> UnitFeatureNames { get; init; } = [];
    public IReadOnlyList<string> Variants { get; init; } = [];
    public string? BaseFlags { get; init; }
    public JsonElement? Machine { get; init; }
    public JsonElement? Protocol { get; init; }
    public NoiseRecord? AaNoise { get; init; }
    public IReadOnlyList<ProgramRecord> Programs { get; init; } = [];
    /// <summary>True for generated test data (never measured): the trainer refuses to ship a model trained on it.</summary>
    public bool Synthetic { get; init; }

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static VariantDataset Parse(string json) =>
        JsonSerializer.Deserialize<VariantDataset>(json, s_options) ?? throw new InvalidDataException("the variant dataset is empty");

    public static VariantDataset Load(string path) => Parse(File.ReadAllText(path));

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions(s_options) { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
}

/// <summary>Base-vs-base (A/A) spread of the log ratio under the same protocol.</summary>
public sealed record NoiseRecord(double MedianAbsLogRatio, double P90AbsLogRatio);

/// <summary>One program of the dataset.</summary>
public sealed record ProgramRecord
{
    public string Name { get; init; } = "";
    public string? Package { get; init; }
    public IReadOnlyList<UnitRecord> Units { get; init; } = [];
    /// <summary>Variant name → the program measured with that variant on every unit (missing: failed to build or run).</summary>
    public IReadOnlyDictionary<string, MeasurementRecord> Variants { get; init; } = new Dictionary<string, MeasurementRecord>();
    /// <summary>Measured per-unit assignments (unit source → variant; units not listed are base).</summary>
    public IReadOnlyList<MixedRecord>? Mixed { get; init; }
}

/// <summary>One translation unit: <see cref="CompilerLLM.Variants.VariantFeatures.UnitNames"/> features, its profile share and static costs.</summary>
public sealed record UnitRecord
{
    public string Source { get; init; } = "";
    public float[] Features { get; init; } = [];
    public double ProfileShare { get; init; }
    public long Instructions { get; init; }
    public IReadOnlyDictionary<string, double>? EstimatedCycles { get; init; }
}

/// <summary>A program-level measurement: speedup over base (time(base)/time(variant)) with its interval.</summary>
public sealed record MeasurementRecord
{
    public double Ratio { get; init; }
    public double Low { get; init; }
    public double High { get; init; }
    public IReadOnlyList<double>? LogRatios { get; init; }
    public long TextBytes { get; init; }
    public bool OutputOk { get; init; } = true;
}

/// <summary>A measured mixed assignment.</summary>
public sealed record MixedRecord
{
    public IReadOnlyDictionary<string, string> Assignment { get; init; } = new Dictionary<string, string>();
    public double Ratio { get; init; }
    public double Low { get; init; }
    public double High { get; init; }
}
