using CompilerLLM.Inference.OnnxRuntime;

namespace CompilerLLM.Inference;

/// <summary>Why a policy model could not be used.</summary>
public enum PolicyLoadFailure : byte
{
    /// <summary>The file is missing or unreadable.</summary>
    ModelFile,
    /// <summary>The ONNX Runtime native library is missing, of the wrong version, or failed to start.</summary>
    Runtime,
    /// <summary>ONNX Runtime refused the file (corrupt, truncated, not ONNX, unsupported operator).</summary>
    InvalidModel,
    /// <summary>A valid ONNX model that does not meet <see cref="PolicyModelContract"/>.</summary>
    Contract,
}

/// <summary>A policy model that cannot be used; the message names the file and the reason.</summary>
public sealed class PolicyLoadException(string modelPath, PolicyLoadFailure failure, string reason, Exception? inner = null)
    : Exception($"{modelPath}: {reason}", inner)
{
    public string ModelPath { get; } = modelPath;
    public PolicyLoadFailure Failure { get; } = failure;
    public string Reason { get; } = reason;
}

/// <summary>
/// The learned rewrite policy: an ONNX model, run by ONNX Runtime, that scores every candidate rewrite of
/// a function (one row of <see cref="FeatureSchema"/> features each) in one batched call. A candidate is
/// applied when its score exceeds <see cref="Threshold"/>. Loading checks the model against
/// <see cref="PolicyModelContract"/>; scoring is thread-safe, so one instance serves a whole build node.
/// </summary>
public sealed class RewritePolicy : IDisposable
{
    /// <summary>The file name of the model shipped next to the runtime assembly (and in the package's tasks folder).</summary>
    public const string DefaultModelFileName = "policy.onnx";

    private readonly Lazy<ScoringModel> _model;
    private readonly IScoringService? _service;
    private float? _servedThreshold;

    private RewritePolicy(ScoringModel model)
    {
        _model = new Lazy<ScoringModel>(model);
        ModelPath = model.ModelPath;
        ModelSha256 = model.ModelSha256;
    }

    private RewritePolicy(string path, string sha256, OrtLibrary? library, IScoringService? service)
    {
        _service = service;
        _model = new Lazy<ScoringModel>(() => ScoringModel.Load(path, PolicyModelContract.Contract, library), LazyThreadSafetyMode.ExecutionAndPublication);
        ModelPath = Path.GetFullPath(path);
        ModelSha256 = sha256;
    }

    public string ModelPath { get; }

    /// <summary>Lower-case hex SHA-256 of the model file: part of incremental-build stamps and reports.</summary>
    public string ModelSha256 { get; }

    /// <summary>The score above which a candidate is applied (from the model's metadata, default 0: p &gt; 0.5).</summary>
    public float Threshold => _servedThreshold ?? _model.Value.Threshold;

    /// <summary>The model the package ships: <c>policy.onnx</c> next to this assembly.</summary>
    public static string DefaultModelPath => Path.Combine(EngineFiles.Directory, DefaultModelFileName);

    /// <summary>The lower-case hex SHA-256 of a model file, as <see cref="ModelSha256"/>; <see cref="PolicyLoadException"/> when it cannot be read.</summary>
    public static string Sha256Of(string path) => ScoringModel.Sha256Of(path);

    /// <summary>Loads and checks a model. Throws <see cref="PolicyLoadException"/> (never anything else for a bad file or library).</summary>
    public static RewritePolicy Load(string path, OrtLibrary? library = null) =>
        new(ScoringModel.Load(path, PolicyModelContract.Contract, library));

    /// <summary>
    /// A model loaded (ONNX Runtime started, the contract checked) only when a candidate is first scored: a unit with
    /// nothing to score never pays for ONNX Runtime. The file's SHA-256 is taken now (a missing file fails here); any
    /// other <see cref="PolicyLoadException"/> is thrown by the first <see cref="Score"/> or <see cref="Threshold"/>.
    /// </summary>
    /// <remarks>
    /// With a <paramref name="service"/>, rows are scored by it while it answers, and the model is loaded here only when
    /// it does not (from then on the process scores by itself).
    /// </remarks>
    public static RewritePolicy LoadOnFirstUse(string path, OrtLibrary? library = null, IScoringService? service = null) =>
        new(path, Sha256Of(path), library, service);

    /// <summary>One score per row of <paramref name="rows"/> (row-major, <see cref="FeatureSchema.Width"/> floats a row).</summary>
    public float[] Score(ReadOnlySpan<float> rows)
    {
        if (_service is not null && !_model.IsValueCreated
            && _service.TryScore(ModelPath, ModelSha256, PolicyModelContract.Contract, rows) is { } served)
        {
            _servedThreshold = served.Threshold;
            return served.Scores;
        }
        return _model.Value.Score(rows);
    }

    public void Dispose()
    {
        if (_model.IsValueCreated) _model.Value.Dispose();
    }
}
