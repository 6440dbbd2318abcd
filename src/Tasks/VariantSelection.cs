using CompilerLLM.Inference;
using CompilerLLM.Pipeline;
using CompilerLLM.Variants;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// The <c>CompilerLlmVariants</c> and <c>CompilerLlmObjective</c> properties as MSBuild sees them: <c>default</c> (the
/// variant model shipped beside the engine; when the package has none, every unit keeps its flags), <c>base</c> (never
/// change the project's flags), or a model path relative to the project; objective <c>speed</c> or <c>size</c>. A model
/// that is missing or unusable is a coded warning and every unit keeps its flags: never an error. The loaded model is
/// kept once per build node.
/// </summary>
public static class VariantSelection
{
    public const string PropertyName = "CompilerLlmVariants";
    public const string ObjectivePropertyName = "CompilerLlmObjective";

    /// <summary>The model path to load (null: none), or false with a CLLM1001 error for a value that is none of the forms.</summary>
    public static bool TryParse(string? value, string projectDirectory, List<PendingDiagnostic> diagnostics, out string? modelPath)
    {
        modelPath = null;
        string v = (value ?? "").Trim();
        switch (v.ToLowerInvariant())
        {
            case "" or "default":
                modelPath = VariantPolicy.DefaultModelPath;
                return true;
            case "base" or "none":
                return true;
        }
        if (v.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || v.Contains('/'))
        {
            modelPath = Path.GetFullPath(Path.Combine(projectDirectory, v));
            return true;
        }
        diagnostics.Add(new PendingDiagnostic(Diagnostics.UnknownPropertyValue, null, 0, [PropertyName, v, "default, base or a path to an .onnx model"]));
        return false;
    }

    public static bool TryParseObjective(string? value, List<PendingDiagnostic> diagnostics, out VariantObjective objective)
    {
        objective = VariantObjective.Speed;
        switch ((value ?? "").Trim().ToLowerInvariant())
        {
            case "" or "speed":
                return true;
            case "size":
                objective = VariantObjective.Size;
                return true;
            default:
                diagnostics.Add(new PendingDiagnostic(Diagnostics.UnknownPropertyValue, null, 0, [ObjectivePropertyName, value, "speed or size"]));
                return false;
        }
    }

    /// <summary>The variant model of a node (loaded once); null when there is none to use, with the warning that says why.</summary>
    public static VariantPolicy? Load(IBuildEngine engine, string? modelPath, List<PendingDiagnostic> diagnostics)
    {
        if (modelPath is null) return null;
        // The package's default model is optional: without one, the project's flags are kept, silently.
        if (!File.Exists(modelPath))
        {
            if (modelPath != VariantPolicy.DefaultModelPath) diagnostics.Add(new PendingDiagnostic(Diagnostics.VariantModelMissing, null, 0, [modelPath]));
            return null;
        }
        var key = (typeof(VariantSelection), modelPath);
        if (engine is IBuildEngine4 cache && cache.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is LoadedVariantPolicy cached)
            return cached.Policy;
        VariantPolicy? policy = null;
        try
        {
            policy = VariantPolicy.Load(modelPath);
        }
        catch (PolicyLoadException e)
        {
            diagnostics.Add(new PendingDiagnostic(Diagnostics.VariantModelUnusable, null, 0, [e.Message]));
        }
        if (engine is IBuildEngine4 node) node.RegisterTaskObject(key, new LoadedVariantPolicy(policy), RegisteredTaskObjectLifetime.Build, false);
        return policy;
    }

    /// <summary>A node's variant model (or the knowledge that it cannot be loaded), disposed by MSBuild at the end of the build.</summary>
    private sealed record LoadedVariantPolicy(VariantPolicy? Policy) : IDisposable
    {
        public void Dispose() => Policy?.Dispose();
    }

    /// <summary>The stamp text of the variant configuration: the model's hash, the objective and the training workload.</summary>
    public static string Identity(string? modelPath, VariantObjective objective, string? workload) =>
        $"model={(modelPath is not null && File.Exists(modelPath) ? ScoringModel.Sha256Of(modelPath) : "none")};objective={objective};workload={workload}";
}
