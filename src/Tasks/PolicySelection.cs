using CompilerLLM.Pipeline;
using CompilerLLM.Inference;
using CompilerLLM.Inference.OnnxRuntime;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// What the optimizer will use to choose among candidates, resolved once per build node and cached
/// (<see cref="PolicyCache"/>). <see cref="Identity"/> goes into the optimize stamp, so changing the
/// policy or the model file re-optimizes everything. A loaded model is shared by every task of the node
/// (scoring is thread-safe) and released when MSBuild drops the cached instance at the end of the build.
/// </summary>
/// <param name="Kind">How candidates are chosen.</param>
/// <param name="Model">The loaded ONNX policy when <paramref name="Kind"/> is <see cref="PolicyKind.Model"/>.</param>
/// <param name="Identity">"all", "none", "unoptimized", or "onnx:" + SHA-256 of the model file.</param>
public sealed record PolicyInstance(PolicyKind Kind, RewritePolicy? Model, string Identity) : IDisposable
{
    public void Dispose() => Model?.Dispose();
}

/// <summary>
/// THE place where the <c>CompilerLlmPolicy</c> property becomes optimizer options. Values:
/// <c>default</c> (or empty: the model shipped in the package) | <c>all</c> | <c>none</c> | a path to an
/// <c>.onnx</c> file. A model that is missing or unusable (unreadable, refused by ONNX Runtime, built for
/// another feature schema) or an ONNX Runtime that does not load gives a coded warning and an
/// unoptimized build (<see cref="PolicyKind.None"/>): never an error, never a crash.
/// </summary>
public static class PolicySelection
{
    public const string PropertyName = "CompilerLlmPolicy";

    private static readonly Lock LibraryGate = new();
    private static readonly Dictionary<string, OrtLibrary> s_libraries = new(StringComparer.Ordinal);
    private const string RuntimeSeparator = "\n" + "ort:";

    /// <summary>The default model as packed next to the task assembly (tasks/net10.0/policy.onnx).</summary>
    public static string DefaultModelPath =>
        Path.Combine(Path.GetDirectoryName(typeof(PolicySelection).Assembly.Location) ?? ".", RewritePolicy.DefaultModelFileName);

    /// <summary>ONNX Runtime as packed next to the task assembly; passed to <c>OrtLibrary.Load</c> explicitly
    /// (MSBuild's AppContext.BaseDirectory is the SDK's folder, not ours).</summary>
    public static string PackagedOnnxRuntimePath =>
        Path.Combine(Path.GetDirectoryName(typeof(PolicySelection).Assembly.Location) ?? ".", OrtLibrary.LibraryFileName);

    /// <summary>
    /// Parses the property value. Returns null and a CLLM1001 error for a value that is neither a keyword nor
    /// something that looks like a model path; otherwise the cache key to load the policy under (it carries
    /// <c>CompilerLlmOnnxRuntimePath</c> when set, relative to the project).
    /// </summary>
    public static string? Parse(string? value, string projectDirectory, List<PendingDiagnostic> diagnostics, string? onnxRuntimePath = null)
    {
        string? key = ParsePolicy(value, projectDirectory, diagnostics);
        if (key is null || string.IsNullOrWhiteSpace(onnxRuntimePath) || key is "all" or "none") return key;
        return key + RuntimeSeparator + Path.GetFullPath(Path.Combine(projectDirectory, onnxRuntimePath.Trim()));
    }

    private static string? ParsePolicy(string? value, string projectDirectory, List<PendingDiagnostic> diagnostics)
    {
        string v = (value ?? string.Empty).Trim();
        switch (v.ToLowerInvariant())
        {
            case "":
            case "default":
                return "default";
            case "all":
                return "all";
            case "none":
                return "none";
        }
        if (v.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            return "file:" + Path.GetFullPath(Path.Combine(projectDirectory, v));
        diagnostics.Add(new PendingDiagnostic(Diagnostics.UnknownPropertyValue, null, 0,
            [PropertyName, v, "default, all, none or a path to an .onnx file"]));
        return null;
    }

    /// <summary>Builds the policy for a key from <see cref="Parse"/> (expensive work goes here; it is cached per node).</summary>
    public static PolicyInstance Load(string key, List<PendingDiagnostic> diagnostics)
    {
        switch (key)
        {
            case "all":
                return new PolicyInstance(PolicyKind.All, null, "all");
            case "none":
                return new PolicyInstance(PolicyKind.None, null, "none");
        }
        string? runtimePath = null;
        int separator = key.IndexOf(RuntimeSeparator, StringComparison.Ordinal);
        if (separator >= 0)
        {
            runtimePath = key[(separator + RuntimeSeparator.Length)..];
            key = key[..separator];
        }
        string path = key == "default" ? DefaultModelPath : key["file:".Length..];
        if (!File.Exists(path))
        {
            diagnostics.Add(new PendingDiagnostic(Diagnostics.PolicyFileMissing, null, 0, [path]));
            return new PolicyInstance(PolicyKind.None, null, "unoptimized");
        }
        try
        {
            var model = RewritePolicy.Load(path, Library(runtimePath));
            diagnostics.Add(new PendingDiagnostic(Diagnostics.DefaultPolicyChosen, null, 0,
                [$"ONNX model {path} (sha256 {model.ModelSha256[..12]}, threshold {model.Threshold})"], Microsoft.Build.Framework.MessageImportance.Low));
            return new PolicyInstance(PolicyKind.Model, model, "onnx:" + model.ModelSha256);
        }
        catch (PolicyLoadException e)
        {
            diagnostics.Add(new PendingDiagnostic(Diagnostics.PolicyModelUnusable, null, 0, [e.Message]));
            return new PolicyInstance(PolicyKind.None, null, "unoptimized");
        }
        catch (OnnxRuntimeException e)
        {
            diagnostics.Add(new PendingDiagnostic(Diagnostics.PolicyModelUnusable, null, 0, [$"{path}: ONNX Runtime is not available: {e.Message}"]));
            return new PolicyInstance(PolicyKind.None, null, "unoptimized");
        }
    }

    /// <summary>
    /// ONNX Runtime, resolved explicitly: <c>CompilerLlmOnnxRuntimePath</c> when set, else the library packed next to
    /// the task assembly (the normal case), else the runtime's own search. One instance per path per process.
    /// </summary>
    private static OrtLibrary Library(string? overridePath)
    {
        string? path = overridePath ?? (File.Exists(PackagedOnnxRuntimePath) ? PackagedOnnxRuntimePath : null);
        if (path is null) return OrtLibrary.Default;
        lock (LibraryGate)
        {
            if (!s_libraries.TryGetValue(path, out var library)) s_libraries[path] = library = OrtLibrary.Load(path);
            return library;
        }
    }

    /// <summary>The optimizer options for one build (policy plus the per-build knobs).</summary>
    public static OptimizerOptions ToOptions(PolicyInstance policy, bool validateWithSmt, string? faultInjectionFunction) => new()
    {
        Policy = policy.Kind,
        Model = policy.Model,
        ValidateWithSmt = validateWithSmt,
        FaultInjectionFunction = string.IsNullOrWhiteSpace(faultInjectionFunction) ? null : faultInjectionFunction.Trim(),
    };
}
