namespace CompilerLLM.Inference;

/// <summary>The rewrite policy's model contract: <see cref="ModelContract"/> over <see cref="FeatureSchema"/>.</summary>
public static class PolicyModelContract
{
    public const string InputName = ModelContract.InputName;
    public const string OutputName = ModelContract.OutputName;
    public const string SchemaVersionKey = "compilerllm.schema_version";
    public const string FeatureNamesKey = "compilerllm.feature_names";
    public const string ThresholdKey = ModelContract.ThresholdKey;

    public static ModelContract Contract { get; } = new("policy", SchemaVersionKey, FeatureSchema.Version, FeatureNamesKey, FeatureSchema.FeatureNames);

    /// <summary>The metadata a model trained on the current schema carries.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(float threshold = 0f) => Contract.Metadata(threshold);

    /// <summary>Null when the session meets the contract, otherwise the first violation in words.</summary>
    public static string? Check(OnnxRuntime.OnnxSession session, out float threshold) => Contract.Check(session, out threshold);
}
