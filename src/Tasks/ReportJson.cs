using System.Text.Json.Serialization;
using CompilerLLM.Pipeline;

namespace CompilerLLM.Build.Tasks;

/// <summary>Source-generated JSON for the reports (no reflection warm-up in the build node; precompiled with the rest).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReplayReport))]
[JsonSerializable(typeof(ProjectReport))]
[JsonSerializable(typeof(TuneSummary))]
internal sealed partial class ReportJson : JsonSerializerContext;

/// <summary>The options the package's own reports (replay, project) are written and read with.</summary>
internal static class Reports
{
    public static System.Text.Json.JsonSerializerOptions Json => ReportJson.Default.Options;
}
