using System.Globalization;
using CompilerLLM.Inference.OnnxRuntime;

namespace CompilerLLM.Inference;

/// <summary>
/// What an ONNX file must look like to score rows of one feature schema. The trainer writes exactly this and the
/// build refuses anything else, so a model trained for another feature layout is never fed rows it would misread:
/// <list type="bullet">
/// <item>one input <see cref="InputName"/>: float[N, <see cref="Width"/>] (N symbolic or any);</item>
/// <item>one output <see cref="OutputName"/>: float[N, 1], one score per row;</item>
/// <item>metadata <see cref="VersionKey"/> = <see cref="Version"/> and <see cref="NamesKey"/> = the feature names joined by
/// newlines (compared one by one); optional <see cref="ThresholdKey"/> (an invariant float, default 0).</item>
/// </list>
/// </summary>
/// <param name="Kind">What the model decides, for messages ("policy", "variant policy").</param>
public sealed record ModelContract(string Kind, string VersionKey, int Version, string NamesKey, IReadOnlyList<string> FeatureNames)
{
    public const string InputName = "features";
    public const string OutputName = "scores";
    public const string ThresholdKey = "compilerllm.threshold";

    public int Width => FeatureNames.Count;

    /// <summary>The metadata a model trained on this schema carries (plus <paramref name="extra"/> entries).</summary>
    public IReadOnlyDictionary<string, string> Metadata(float threshold = 0f, IReadOnlyDictionary<string, string>? extra = null)
    {
        var meta = new Dictionary<string, string>
        {
            [VersionKey] = Version.ToString(CultureInfo.InvariantCulture),
            [NamesKey] = string.Join('\n', FeatureNames),
            [ThresholdKey] = threshold.ToString("R", CultureInfo.InvariantCulture),
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) meta[k] = v;
        return meta;
    }

    /// <summary>Null when the session meets the contract, otherwise the first violation in words.</summary>
    public string? Check(OnnxSession session, out float threshold)
    {
        threshold = 0f;
        if (session.Inputs.Count != 1 || session.Inputs[0].Name != InputName)
            return $"expected one input '{InputName}', found {Describe(session.Inputs)}";
        if (session.Outputs.Count != 1 || session.Outputs[0].Name != OutputName)
            return $"expected one output '{OutputName}', found {Describe(session.Outputs)}";
        var input = session.Inputs[0];
        if (input.ElementType != OnnxElementType.Float || input.Shape.Count != 2 || input.Shape[1] != Width)
            return $"input '{InputName}' is {input}, expected Float[N,{Width}]";
        var output = session.Outputs[0];
        if (output.ElementType != OnnxElementType.Float || output.Shape.Count != 2 || output.Shape[1] != 1)
            return $"output '{OutputName}' is {output}, expected Float[N,1]";

        var meta = session.CustomMetadata;
        if (!meta.TryGetValue(VersionKey, out string? version))
            return $"metadata '{VersionKey}' is missing (not a CompilerLLM {Kind} model?)";
        if (version != Version.ToString(CultureInfo.InvariantCulture))
            return $"feature schema version {version}, this build uses version {Version}";
        if (!meta.TryGetValue(NamesKey, out string? joined))
            return $"metadata '{NamesKey}' is missing";
        string[] names = joined.Split('\n');
        for (int i = 0; i < Math.Max(names.Length, FeatureNames.Count); i++)
        {
            string? got = i < names.Length ? names[i] : null;
            string? want = i < FeatureNames.Count ? FeatureNames[i] : null;
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
