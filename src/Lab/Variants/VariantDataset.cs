using System.Text.Json;
using System.Text.Json.Serialization;
using CompilerLLM.Timing;

namespace CompilerLLM.Lab.Variants;

/// <summary>
/// The variant dataset (<c>compilerllm.variant-dataset/1</c>), the contract between <c>compilerllm variants</c> and the
/// trainer: per program, per unit features and static estimates, per variant the measured speedup over base (-O3).
/// The field names and meanings are those of docs/variants.md ("The dataset").
/// </summary>
public sealed record VariantDataset(
    string Schema, int FeatureVersion, IReadOnlyList<string> UnitFeatureNames, IReadOnlyList<string> Variants, string BaseFlags,
    MachineRecord Machine, ProtocolRecord Protocol, NoiseRecord? AaNoise, IReadOnlyList<ProgramRecord> Programs)
{
    public const string SchemaName = "compilerllm.variant-dataset/1";

    /// <summary>The serializer settings of the dataset and the assignment files (camelCase names, nulls left out).</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// True for generated test data (never measured): the trainer refuses to ship a model trained on it. Written only
    /// when true, so a measured dataset never carries the field.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Synthetic { get; init; }

    // Load's reading: every field the lab writes must be there (a record lacking one would otherwise read as null or
    // zero and surface later as a wrong number); only the nullable and defaulted members are optional.
    private static readonly JsonSerializerOptions s_strict = new(Json) { RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true };

    /// <summary>Writes <paramref name="path"/> atomically (a temporary file renamed over it): a reader never sees half a file.</summary>
    public void Write(string path) => WriteAtomically(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The dataset at <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static VariantDataset? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<VariantDataset>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The dataset at <paramref name="path"/> for a consumer (the trainer): <see cref="InvalidDataException"/> naming the
    /// file and the reason when it is missing or unreadable, not JSON, lacks a field, or has another schema.
    /// </summary>
    public static VariantDataset Load(string path)
    {
        VariantDataset? dataset;
        try
        {
            dataset = JsonSerializer.Deserialize<VariantDataset>(File.ReadAllText(path), s_strict);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        if (dataset is null) throw new InvalidDataException($"{path}: null, not a variant dataset");
        if (dataset.Schema != SchemaName) throw new InvalidDataException($"{path}: schema '{dataset.Schema}', expected '{SchemaName}'");
        return dataset;
    }

    /// <summary>
    /// One dataset of the programs of <paramref name="parts"/> (runs of the harness on disjoint programs, e.g. two at once
    /// on two cores): they must agree on the feature schema, the base flags and the protocol; a program in two parts is
    /// an error (which measurement to keep is a choice to make by hand). The A/A noise is computed again over all.
    /// </summary>
    public static VariantDataset Merge(IReadOnlyList<VariantDataset> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("nothing to merge", nameof(parts));
        var first = parts[0];
        foreach (var d in parts.Skip(1))
        {
            if (d.Schema != first.Schema || d.FeatureVersion != first.FeatureVersion || !d.UnitFeatureNames.SequenceEqual(first.UnitFeatureNames))
                throw new InvalidDataException($"the datasets have different feature schemas ({first.Schema} v{first.FeatureVersion}, {d.Schema} v{d.FeatureVersion})");
            if (d.BaseFlags != first.BaseFlags) throw new InvalidDataException($"the datasets have different base flags ('{first.BaseFlags}', '{d.BaseFlags}')");
            if (d.Protocol.Rounds != first.Protocol.Rounds || d.Protocol.NoiseMargin != first.Protocol.NoiseMargin)
                throw new InvalidDataException($"the datasets were measured with different protocols ({first.Protocol.Rounds} rounds, margin {first.Protocol.NoiseMargin}; {d.Protocol.Rounds}, {d.Protocol.NoiseMargin})");
            if (d.Synthetic != first.Synthetic) throw new InvalidDataException("a synthetic dataset cannot be merged with a measured one");
        }
        var programs = parts.SelectMany(d => d.Programs).ToList();
        if (programs.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidDataException($"program '{twice.Key}' is in more than one dataset");
        var machine = first.Machine with { LoadAverageEnd = parts[^1].Machine.LoadAverageEnd };
        return new VariantDataset(first.Schema, first.FeatureVersion, first.UnitFeatureNames,
            [.. parts.SelectMany(d => d.Variants).Distinct(StringComparer.Ordinal)], first.BaseFlags, machine, first.Protocol, NoiseRecord.Of(programs), programs)
        {
            Synthetic = first.Synthetic,
        };
    }

    internal static void WriteAtomically(string path, string text)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, full, overwrite: true);
    }
}

/// <summary>The machine while measuring: cores, the one-minute load average at the start and the end, the date (UTC).</summary>
public sealed record MachineRecord(int Cores, double LoadAverageStart, double LoadAverageEnd, string Date);

/// <summary>The protocol's settings as measured.</summary>
public sealed record ProtocolRecord(int Rounds, IReadOnlyList<string> LayoutRandomization, string Statistic, double NoiseMargin, string EstimateWeights);

/// <summary>A/A noise over the programs: |log ratio| of a second copy of base against base, same protocol, same rounds.</summary>
public sealed record NoiseRecord(double MedianAbsLogRatio, double P90AbsLogRatio, int Programs)
{
    /// <summary>The A/A figure over the programs that have an A/A copy; null when none has.</summary>
    public static NoiseRecord? Of(IEnumerable<ProgramRecord> programs)
    {
        var aa = programs.Where(r => r.Aa is not null).Select(r => Math.Abs(Math.Log(r.Aa!.Ratio))).Order().ToList();
        return aa.Count == 0 ? null : new NoiseRecord(TimingStatistics.Median(aa), TimingStatistics.Percentile(aa, 0.9), aa.Count);
    }
}

/// <summary>One program: its units, each variant's measurement, the A/A copy's, optional mixed assignments.</summary>
public sealed record ProgramRecord(
    string Name, string Package, IReadOnlyList<UnitRecord> Units, IReadOnlyDictionary<string, VariantMeasurement> Variants,
    IReadOnlyList<MixedRecord>? Mixed = null)
{
    /// <summary>A copy of base timed like a variant (A/A), for the noise figure.</summary>
    public VariantMeasurement? Aa { get; init; }

    /// <summary>Base's median time of one run (seconds: wall, or CPU for runs that waited for the core).</summary>
    public double BaseSeconds { get; init; }

    /// <summary>The one-minute load average before and after the program's timing.</summary>
    public IReadOnlyList<double>? LoadAverage { get; init; }

    /// <summary>Variants that could not be built, run or checked, with the reason (they have no entry in <see cref="Variants"/>).</summary>
    public IReadOnlyDictionary<string, string>? Failed { get; init; }

    /// <summary>
    /// What the profile variants' profile was trained on: <c>training</c> (an input other than the timed one, as a
    /// project's own training run would be) or <c>timed</c> (the timed input itself: its pgo ratios are an upper bound);
    /// absent when no profile variant was measured (and in datasets written before the field existed).
    /// </summary>
    public string? ProfileInput { get; init; }
}

/// <summary>One unit: its name (the source relative to the package tree), features, profile share, size and static estimates.</summary>
public sealed record UnitRecord(string Source, IReadOnlyList<float> Features, double ProfileShare, int Instructions,
    IReadOnlyDictionary<string, double> EstimatedCycles);

/// <summary>One variant (or method) applied to a program, against base.</summary>
public sealed record VariantMeasurement(double Ratio, double Low, double High, IReadOnlyList<double> LogRatios, long TextBytes, bool OutputOk)
{
    /// <summary>faster / slower beyond the noise margin, or none.</summary>
    public string? Verdict { get; init; }
}

/// <summary>A measured mixed assignment (unit → variant; units not listed are base).</summary>
public sealed record MixedRecord(IReadOnlyDictionary<string, string> Assignment, double Ratio, double Low, double High);
