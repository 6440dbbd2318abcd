using CompilerLLM.Inference;
using CompilerLLM.Inference.OnnxRuntime;

namespace CompilerLLM.Variants;

/// <summary>
/// The learned choice of how a unit is compiled: an ONNX model (run by ONNX Runtime) that scores each (unit, variant)
/// row of <see cref="VariantFeatures"/> with the predicted log speedup of the variant over the user's flags.
/// Zero-shot: nothing is timed at build time.
/// </summary>
public sealed class VariantPolicy : IDisposable
{
    /// <summary>The file name of the model shipped beside the engine.</summary>
    public const string DefaultModelFileName = "variants.onnx";

    public static ModelContract Contract { get; } = new("variant policy", "compilerllm.variant_schema_version", VariantFeatures.Version,
        "compilerllm.variant_feature_names", VariantFeatures.Names);

    private readonly ScoringModel _model;

    private VariantPolicy(ScoringModel model) => _model = model;

    /// <summary>The model the package ships: <c>variants.onnx</c> beside the engine.</summary>
    public static string DefaultModelPath => Path.Combine(EngineFiles.Directory, DefaultModelFileName);

    public string ModelPath => _model.ModelPath;

    public string ModelSha256 => _model.ModelSha256;

    /// <summary>The margin a variant's score must clear over base's to be chosen (the model's threshold).</summary>
    public float Margin => _model.Threshold;

    /// <summary>The metadata key of <see cref="RequiresProfile"/> (the trainer writes <c>true</c> or <c>false</c>).</summary>
    public const string RequiresProfileKey = "compilerllm.requires_profile";

    /// <summary>
    /// True when the model is to choose only for units with profile data: the trainer found its cross-validated choices
    /// for builds without a profile no faster than the user's flags, so such units keep them. Models without the key:
    /// false.
    /// </summary>
    public bool RequiresProfile => _model.Metadata.TryGetValue(RequiresProfileKey, out string? v) && v == "true";

    /// <summary>The metadata key of <see cref="TrainingDatasetSha256"/> (the trainer writes it).</summary>
    public const string TrainingDatasetKey = "compilerllm.variant_dataset_sha256";

    /// <summary>SHA-256 of the variant dataset the model was trained on (lower-case hex), or null when it does not say.</summary>
    public string? TrainingDatasetSha256 => _model.Metadata.TryGetValue(TrainingDatasetKey, out string? v) ? v : null;

    /// <summary>Loads and checks a model; <see cref="PolicyLoadException"/> for anything wrong with the file or ONNX Runtime.</summary>
    public static VariantPolicy Load(string path, OrtLibrary? library = null) => new(ScoringModel.Load(path, Contract, library));

    /// <summary>
    /// The variant to compile a unit with: the best-scored of <paramref name="candidates"/> when it clears
    /// <see cref="Margin"/> over base (base when it is not among the candidates: the best), else base.
    /// </summary>
    public VariantChoice Choose(ReadOnlySpan<float> unitFeatures, IReadOnlyList<CompileVariant> candidates)
    {
        float[] scores = _model.Score(VariantFeatures.Rows(unitFeatures, candidates));
        int best = 0;
        for (int i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
        int baseIndex = -1;
        for (int i = 0; i < candidates.Count; i++) if (candidates[i] == VariantTable.Base) baseIndex = i;
        bool clears = baseIndex < 0 || scores[best] > scores[baseIndex] + Margin;
        var chosen = clears ? candidates[best] : candidates[baseIndex];
        return new VariantChoice(chosen, candidates.Select((v, i) => (v.Name, scores[i])).ToDictionary(x => x.Name, x => x.Item2));
    }

    public void Dispose() => _model.Dispose();
}

/// <summary>The variant chosen for a unit and every candidate's score (for the report).</summary>
public sealed record VariantChoice(CompileVariant Variant, IReadOnlyDictionary<string, float> Scores)
{
    public float Score => Scores.TryGetValue(Variant.Name, out float s) ? s : 0;
}
