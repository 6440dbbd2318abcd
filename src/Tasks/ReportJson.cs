using System.Text.Json.Serialization;

namespace CompilerLLM.Build.Tasks;

/// <summary>Source-generated JSON for the reports (no reflection warm-up in the build node; precompiled with the rest).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UnitReport))]
[JsonSerializable(typeof(ReplayReport))]
[JsonSerializable(typeof(ProjectReport))]
internal sealed partial class ReportJson : JsonSerializerContext;
