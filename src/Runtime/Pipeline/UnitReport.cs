using System.Text.Json;
using System.Text.Json.Serialization;

namespace CompilerLLM.Pipeline;

/// <summary>What a translation unit ended up as.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnitStatus>))]
public enum UnitStatus : byte
{
    /// <summary>At least one rewrite is in our object.</summary>
    [JsonStringEnumMemberName("optimized")]
    Optimized,
    /// <summary>Nothing was rewritten: our object is GCC's.</summary>
    [JsonStringEnumMemberName("unchanged")]
    Unchanged,
    /// <summary>Our object is GCC's because something failed (see <see cref="UnitFallback"/>).</summary>
    [JsonStringEnumMemberName("fallback")]
    FellBack,
}

/// <summary>Why a translation unit keeps GCC's object.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnitFallback>))]
public enum UnitFallback : byte
{
    /// <summary>GCC's assembly could not be read (GAS rejects it, or it is not x86-64 AT&amp;T text).</summary>
    [JsonStringEnumMemberName("unreadable-assembly")]
    UnreadableAssembly,
    /// <summary>The optimizer failed (a bug of ours).</summary>
    [JsonStringEnumMemberName("optimizer-failure")]
    OptimizerFailure,
    /// <summary>The assembler rejected the optimized assembly.</summary>
    [JsonStringEnumMemberName("assembler-rejected")]
    AssemblerRejected,
    /// <summary>Test replay found the unit behaving differently when optimized.</summary>
    [JsonStringEnumMemberName("test-replay")]
    TestReplay,
    /// <summary>The engine did not finish within the front's time budget.</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,
}

/// <summary>
/// What happened to one translation unit, written beside its objects as <c>x.report.json</c>. The unit's final
/// status is decided here: by the optimizer's run (<see cref="UnitBuilder.Optimize(TranslationUnit, OptimizerOptions, UnitCache?, CompilerLLM.Variants.VariantDecision?)"/>), then, after test replay,
/// by <see cref="AfterReplay"/>; report writers only read it.
/// </summary>
public sealed record UnitReport(
    string Source,
    UnitStatus Status,
    string? Reason,
    double OptimizerSeconds,
    int Functions,
    int Candidates,
    int Applied,
    int FunctionFallbacks,
    int SizeDelta,
    double EstimatedCycleDelta,
    OptimizationReport? Report)
{
    /// <summary>Why the unit fell back, when it did.</summary>
    public UnitFallback? Fallback { get; init; }

    /// <summary>The failing tool's or the optimizer's own words, when the unit fell back.</summary>
    public string? Detail { get; init; }

    /// <summary>True when the unit was restored from the content cache instead of optimized by this build.</summary>
    public bool FromCache { get; init; }

    /// <summary>How the unit was compiled (the variant and why); null when the build chose no variants.</summary>
    public CompilerLLM.Variants.VariantDecision? Variant { get; init; }

    /// <summary>The options every unit report is written and read with (camelCase, indented, source-generated).</summary>
    public static JsonSerializerOptions Json => PipelineJson.Default.Options;

    /// <summary>A unit that keeps GCC's object.</summary>
    public static UnitReport FellBackFor(string source, UnitFallback why, string reason, string detail, double seconds) =>
        new(source, UnitStatus.FellBack, reason, seconds, 0, 0, 0, 0, 0, 0, null) { Fallback = why, Detail = detail };

    /// <summary>
    /// The unit as the final artifact holds it: a unit test replay sent back to GCC's object (a culprit) is a
    /// fallback, and its rewrites are no longer applied; any other unit is unchanged by replay.
    /// </summary>
    public UnitReport AfterReplay(bool culprit) => culprit
        ? this with
        {
            Status = UnitStatus.FellBack, Fallback = UnitFallback.TestReplay, Reason = "test replay: behaves differently when optimized", Detail = null,
            Applied = 0, SizeDelta = 0, EstimatedCycleDelta = 0,
        }
        : this;

    /// <summary>The status as reports print it.</summary>
    public string StatusText => Status switch
    {
        UnitStatus.Optimized => "optimized",
        UnitStatus.Unchanged => "unchanged",
        _ => "fallback",
    };
}

/// <summary>Source-generated JSON for the engine's reports (no reflection warm-up in a build node).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UnitReport))]
[JsonSerializable(typeof(CompilerLLM.Variants.VariantDecision))]
[JsonSerializable(typeof(CompilerLLM.Variants.TuneOutcome))]
[JsonSerializable(typeof(TuneSummary))]
internal sealed partial class PipelineJson : JsonSerializerContext;

/// <summary>
/// The same JSON as <see cref="PipelineJson"/>, written by generated code only: metadata mode configures every type
/// of a unit report on first use, about 5 ms of each launcher process (measured, native AOT), for one write.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(UnitReport))]
internal sealed partial class PipelineJsonWriter : JsonSerializerContext;
