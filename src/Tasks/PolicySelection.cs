using CompilerLLM.Inference;
using CompilerLLM.Pipeline;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// The <c>CompilerLlmPolicy</c> property as MSBuild sees it: parsed by the engine's one parser
/// (<see cref="PolicyRequest.TryParse"/>: <c>default</c> or empty | <c>all</c> | <c>none</c> | a model path, relative
/// to the project), and loaded with the package's rules: a model that is missing or unusable (unreadable, refused
/// by ONNX Runtime, built for another feature schema) or an ONNX Runtime that does not load gives a coded warning and
/// an unoptimized build (<see cref="LoadedPolicy.Unoptimized"/>): never an error, never a crash. The loaded policy's
/// identity goes into the optimize stamp, so changing the policy or the model file re-optimizes everything.
/// </summary>
public static class PolicySelection
{
    public const string PropertyName = "CompilerLlmPolicy";

    /// <summary>The default model: <c>policy.onnx</c> beside the engine (in the package: tasks/net10.0/).</summary>
    public static string DefaultModelPath => RewritePolicy.DefaultModelPath;

    /// <summary>
    /// The request for a property value, or null and a CLLM1001 error for a value that is neither a keyword nor a
    /// model path. <paramref name="onnxRuntimePath"/> is <c>CompilerLlmOnnxRuntimePath</c> (relative to the project).
    /// </summary>
    public static PolicyRequest? Parse(string? value, string projectDirectory, List<PendingDiagnostic> diagnostics, string? onnxRuntimePath = null)
    {
        if (PolicyRequest.TryParse(value, projectDirectory, out var request, out _, onnxRuntimePath)) return request;
        diagnostics.Add(new PendingDiagnostic(Diagnostics.UnknownPropertyValue, null, 0, [PropertyName, (value ?? "").Trim(), PolicyRequest.Expected]));
        return null;
    }

    /// <summary>Loads a request (expensive: it is cached per node by <see cref="PolicyCache"/>).</summary>
    public static LoadedPolicy Load(PolicyRequest request, List<PendingDiagnostic> diagnostics)
    {
        try
        {
            var loaded = request.Load();
            if (loaded.Model is { } model)
                diagnostics.Add(new PendingDiagnostic(Diagnostics.DefaultPolicyChosen, null, 0,
                    [$"ONNX model {model.ModelPath} (sha256 {model.ModelSha256[..12]}, threshold {model.Threshold})"], Microsoft.Build.Framework.MessageImportance.Low));
            return loaded;
        }
        catch (PolicyLoadException e) when (e.Failure == PolicyLoadFailure.ModelFile && !File.Exists(e.ModelPath))
        {
            diagnostics.Add(new PendingDiagnostic(Diagnostics.PolicyFileMissing, null, 0, [e.ModelPath]));
            return LoadedPolicy.Unoptimized;
        }
        catch (PolicyLoadException e)
        {
            diagnostics.Add(new PendingDiagnostic(Diagnostics.PolicyModelUnusable, null, 0, [e.Message]));
            return LoadedPolicy.Unoptimized;
        }
    }

    /// <summary>The optimizer options for one build (policy plus the per-build knobs).</summary>
    public static OptimizerOptions ToOptions(LoadedPolicy policy, bool validateWithSmt, string? faultInjectionFunction) => policy.ToOptions() with
    {
        ValidateWithSmt = validateWithSmt,
        BeforeApply = FaultInjection.For(faultInjectionFunction),
    };
}
