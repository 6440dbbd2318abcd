using CompilerLLM.Inference;
using CompilerLLM.Inference.OnnxRuntime;

namespace CompilerLLM.Pipeline;

/// <summary>
/// How a user asked candidates to be chosen: the one parse of <c>default | all | none | PATH</c> shared by the
/// command line (<c>--policy</c>), the MSBuild property <c>CompilerLlmPolicy</c> and evaluation. Keywords are
/// case-insensitive and an empty value means <c>default</c> (the shipped model beside the engine); anything else
/// that ends in <c>.onnx</c>, contains a directory separator or names an existing file is a model path, resolved
/// against the caller's directory. Being a record, a request is also the key under which a build node keeps one
/// loaded policy.
/// </summary>
/// <param name="Kind">How candidates are chosen.</param>
/// <param name="ModelPath">The model file (full path) when <paramref name="Kind"/> is <see cref="PolicyKind.Model"/>.</param>
/// <param name="OnnxRuntimePath">A <c>libonnxruntime.so.1</c> to load instead of the one found by <see cref="OrtLibrary"/>'s resolution (full path), or null.</param>
public sealed record PolicyRequest(PolicyKind Kind, string? ModelPath = null, string? OnnxRuntimePath = null)
{
    /// <summary>The accepted forms, for messages.</summary>
    public const string Expected = "default, all, none or a path to an .onnx model";

    /// <summary>Apply nothing.</summary>
    public static PolicyRequest None { get; } = new(PolicyKind.None);

    /// <summary>Apply every valid candidate.</summary>
    public static PolicyRequest All { get; } = new(PolicyKind.All);

    /// <summary>The model shipped beside the engine.</summary>
    public static PolicyRequest Default => new(PolicyKind.Model, RewritePolicy.DefaultModelPath);

    /// <summary>
    /// Parses <paramref name="text"/>; false with an error message (naming the value and the accepted forms) for a
    /// value that is none of them. <paramref name="onnxRuntimePath"/> (relative to <paramref name="baseDirectory"/>)
    /// is kept only for a model: the built-in policies need no ONNX Runtime.
    /// </summary>
    public static bool TryParse(string? text, string baseDirectory, out PolicyRequest request, out string? error, string? onnxRuntimePath = null)
    {
        error = null;
        request = None;
        string value = (text ?? string.Empty).Trim();
        string? runtime = string.IsNullOrWhiteSpace(onnxRuntimePath) ? null : Path.GetFullPath(Path.Combine(baseDirectory, onnxRuntimePath.Trim()));
        switch (value.ToLowerInvariant())
        {
            case "none":
                return true;
            case "all":
                request = All;
                return true;
            case "" or "default":
                request = Default with { OnnxRuntimePath = runtime };
                return true;
        }
        string path = Path.GetFullPath(Path.Combine(baseDirectory, value));
        if (value.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || value.Contains('/') || File.Exists(path))
        {
            request = new PolicyRequest(PolicyKind.Model, path, runtime);
            return true;
        }
        error = $"unknown policy '{value}' (expected {Expected})";
        return false;
    }

    /// <summary>
    /// What <see cref="Load"/> would give as <see cref="LoadedPolicy.Identity"/>, without starting ONNX Runtime: for a
    /// model, the SHA-256 of its file (a cache lookup needs no more). Throws <see cref="PolicyLoadException"/> when
    /// the model file cannot be read.
    /// </summary>
    public string Identity() => Kind switch
    {
        PolicyKind.None => LoadedPolicy.None.Identity,
        PolicyKind.All => LoadedPolicy.All.Identity,
        _ => "onnx:" + RewritePolicy.Sha256Of(ModelPath ?? throw new InvalidOperationException("a model request without a path")),
    };

    /// <summary>
    /// Loads what the request names. The built-in policies always load; a model throws
    /// <see cref="PolicyLoadException"/> (never anything else) when the file, ONNX Runtime or the model's contract fails.
    /// </summary>
    public LoadedPolicy Load() => LoadModel(deferred: false);

    /// <summary>
    /// As <see cref="Load"/>, but a model is loaded only when the optimizer first scores a candidate
    /// (<see cref="RewritePolicy.LoadOnFirstUse"/>): a unit with nothing to score never starts ONNX Runtime. A model
    /// that cannot be loaded then throws <see cref="PolicyLoadException"/> from the optimizer.
    /// </summary>
    /// <param name="service">Scores rows while it answers (the launcher's scoring server); the model is loaded here only when it does not.</param>
    public LoadedPolicy LoadOnFirstUse(IScoringService? service = null) => LoadModel(deferred: true, service);

    private LoadedPolicy LoadModel(bool deferred, IScoringService? service = null)
    {
        switch (Kind)
        {
            case PolicyKind.None:
                return LoadedPolicy.None;
            case PolicyKind.All:
                return LoadedPolicy.All;
            case PolicyKind.Model when ModelPath is not null:
                OrtLibrary? library = null;
                if (OnnxRuntimePath is not null)
                {
                    try
                    {
                        library = OrtLibrary.Load(OnnxRuntimePath);
                    }
                    catch (OnnxRuntimeException e)
                    {
                        throw new PolicyLoadException(ModelPath, PolicyLoadFailure.Runtime, $"ONNX Runtime is not available: {e.Message}", e);
                    }
                }
                var model = deferred ? RewritePolicy.LoadOnFirstUse(ModelPath, library, service) : RewritePolicy.Load(ModelPath, library);
                return new LoadedPolicy(PolicyKind.Model, model, "onnx:" + model.ModelSha256);
            default:
                throw new InvalidOperationException($"a {Kind} policy request cannot be loaded");
        }
    }

    /// <summary>The request as a user would write it.</summary>
    public override string ToString() => Kind switch
    {
        PolicyKind.Model => ModelPath == RewritePolicy.DefaultModelPath ? "default" : ModelPath ?? "?",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
