using System.Globalization;
using CompilerLLM.Inference.OnnxRuntime;

namespace CompilerLLM.Inference;

/// <summary>
/// What an ONNX file must look like to be used as the rewrite policy. The trainer writes exactly this and
/// the build refuses anything else, so a model trained for another feature layout can never be fed rows it
/// would misread.
/// <list type="bullet">
/// <item>one input <see cref="InputName"/>: float[N, <see cref="FeatureSchema.Width"/>] (N symbolic or any);</item>
/// <item>one output <see cref="OutputName"/>: float[N, 1], the candidate's score (a logit: apply when above the threshold);</item>
/// <item>metadata <see cref="SchemaVersionKey"/> = <see cref="FeatureSchema.Version"/> and <see cref="FeatureNamesKey"/> =
/// the schema's feature names joined by newlines; optional <see cref="ThresholdKey"/> (invariant float, default 0).</item>
/// </list>
/// </summary>
public static class PolicyModelContract
{
    public const string InputName = "features";
    public const string OutputName = "scores";
    public const string SchemaVersionKey = "compilerllm.schema_version";
    public const string FeatureNamesKey = "compilerllm.feature_names";
    public const string ThresholdKey = "compilerllm.threshold";

    /// <summary>The metadata a model trained on the current schema carries.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(float threshold = 0f) => new Dictionary<string, string>
    {
        [SchemaVersionKey] = FeatureSchema.Version.ToString(CultureInfo.InvariantCulture),
        [FeatureNamesKey] = string.Join('\n', FeatureSchema.FeatureNames),
        [ThresholdKey] = threshold.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Null when the session meets the contract, otherwise the first violation in words.</summary>
    public static string? Check(OnnxSession session, out float threshold)
    {
        threshold = 0f;
        if (session.Inputs.Count != 1 || session.Inputs[0].Name != InputName)
            return $"expected one input '{InputName}', found {Describe(session.Inputs)}";
        if (session.Outputs.Count != 1 || session.Outputs[0].Name != OutputName)
            return $"expected one output '{OutputName}', found {Describe(session.Outputs)}";
        var input = session.Inputs[0];
        if (input.ElementType != OnnxElementType.Float || input.Shape.Count != 2 || input.Shape[1] != FeatureSchema.Width)
            return $"input '{InputName}' is {input}, expected Float[N,{FeatureSchema.Width}]";
        var output = session.Outputs[0];
        if (output.ElementType != OnnxElementType.Float || output.Shape.Count != 2 || output.Shape[1] != 1)
            return $"output '{OutputName}' is {output}, expected Float[N,1]";

        var meta = session.CustomMetadata;
        if (!meta.TryGetValue(SchemaVersionKey, out string? version))
            return $"metadata '{SchemaVersionKey}' is missing (not a CompilerLLM policy model?)";
        if (version != FeatureSchema.Version.ToString(CultureInfo.InvariantCulture))
            return $"feature schema version {version}, this build uses version {FeatureSchema.Version}";
        if (!meta.TryGetValue(FeatureNamesKey, out string? joined))
            return $"metadata '{FeatureNamesKey}' is missing";
        string[] names = joined.Split('\n');
        var expected = FeatureSchema.FeatureNames;
        for (int i = 0; i < Math.Max(names.Length, expected.Count); i++)
        {
            string? got = i < names.Length ? names[i] : null;
            string? want = i < expected.Count ? expected[i] : null;
            if (got != want)
                return $"feature {i} is '{got ?? "(none)"}' in the model but '{want ?? "(none)"}' in this build's schema";
        }
        if (meta.TryGetValue(ThresholdKey, out string? t) &&
            (!float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || !float.IsFinite(threshold)))
            return $"metadata '{ThresholdKey}' = '{t}' is not a finite number";
        return null;
    }

    private static string Describe(IReadOnlyList<OnnxTensorInfo> infos) =>
        infos.Count == 0 ? "none" : string.Join(", ", infos.Select(i => $"'{i.Name}'"));
}
