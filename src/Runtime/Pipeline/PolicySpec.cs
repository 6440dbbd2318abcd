namespace CompilerLLM.Pipeline;

/// <summary>
/// The one parser of the policy setting shared by the CLI (<c>--policy</c>), the MSBuild task
/// (<c>CompilerLlmPolicy</c>) and evaluation: <c>none</c>, <c>all</c>, <c>default</c> (the shipped model) or
/// a path to an <c>.onnx</c> model.
/// </summary>
public static class PolicySpec
{
    public const string Expected = "none, all, default or a path to an .onnx model";

    /// <summary>False (with <paramref name="error"/>) for a value that is none of the accepted forms.</summary>
    public static bool TryParse(string? value, out PolicyKind kind, out string? modelPath, out string? error)
    {
        kind = PolicyKind.None;
        modelPath = null;
        error = null;
        switch (value?.Trim())
        {
            case null or "":
                error = $"the policy is empty (expected {Expected})";
                return false;
            case "none":
                return true;
            case "all":
                kind = PolicyKind.All;
                return true;
            case "default":
                kind = PolicyKind.Model;
                modelPath = CompilerLLM.Inference.RewritePolicy.DefaultModelPath;
                return true;
            case { } v when v.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || v.Contains('/') || File.Exists(v):
                kind = PolicyKind.Model;
                modelPath = v;
                return true;
            case { } v:
                error = $"unknown policy '{v}' (expected {Expected})";
                return false;
        }
    }
}
