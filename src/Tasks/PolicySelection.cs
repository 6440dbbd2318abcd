using System.Security.Cryptography;
using CompilerLLM.Pipeline;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// What the optimizer will use to choose among candidates, resolved once per build node and cached
/// (<see cref="PolicyCache"/>). <see cref="Identity"/> goes into the optimize stamp, so changing the
/// policy or the model file re-optimizes everything.
/// </summary>
/// <param name="Kind">The optimizer's built-in policy used for now.</param>
/// <param name="ModelPath">The .onnx file the policy came from (null for built-in policies).</param>
/// <param name="Identity">"all", "none", or "onnx:" + SHA-256 of the model file.</param>
public sealed record PolicyInstance(PolicyKind Kind, string? ModelPath, string Identity);

/// <summary>
/// THE place where the <c>CompilerLlmPolicy</c> property becomes optimizer options. Values:
/// <c>default</c> (or empty) | <c>all</c> | <c>none</c> | a path to an <c>.onnx</c> file.
/// Until the ONNX policy lands, <c>default</c> maps to <see cref="PolicyKind.All"/> (with a
/// low-importance message) and a model path gives warning CLLM2004 and the same.
/// When the model lands: resolve <c>default</c> to <see cref="DefaultModelPath"/>, load the session
/// in <see cref="Load"/> (it runs once per node through <see cref="PolicyCache"/>), and carry it in
/// <see cref="PolicyInstance"/> into <see cref="ToOptions"/>.
/// </summary>
public static class PolicySelection
{
    public const string PropertyName = "CompilerLlmPolicy";

    /// <summary>The default model as packed next to the task assembly (tasks/net10.0/policy.onnx).</summary>
    public static string DefaultModelPath =>
        Path.Combine(Path.GetDirectoryName(typeof(PolicySelection).Assembly.Location) ?? ".", "policy.onnx");

    /// <summary>ONNX Runtime as packed next to the task assembly; pass it to <c>OrtLibrary.Load</c> explicitly
    /// (MSBuild's AppContext.BaseDirectory is the SDK's folder, not ours).</summary>
    public static string PackagedOnnxRuntimePath =>
        Path.Combine(Path.GetDirectoryName(typeof(PolicySelection).Assembly.Location) ?? ".", "libonnxruntime.so.1");

    /// <summary>
    /// Parses the property value. Returns null and a CLLM1001 error for a value that is neither a keyword nor
    /// something that looks like a model path; otherwise the cache key to load the policy under.
    /// </summary>
    public static string? Parse(string? value, string projectDirectory, List<PendingDiagnostic> diagnostics)
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
            case "default":
                diagnostics.Add(new PendingDiagnostic(Diagnostics.DefaultPolicyChosen, null, 0,
                    ["the ONNX policy is not available yet, every validated rewrite is applied ('all')"], Microsoft.Build.Framework.MessageImportance.Low));
                return new PolicyInstance(PolicyKind.All, null, "all");
            case "all":
                return new PolicyInstance(PolicyKind.All, null, "all");
            case "none":
                return new PolicyInstance(PolicyKind.None, null, "none");
        }
        string path = key["file:".Length..];
        if (!File.Exists(path))
        {
            diagnostics.Add(new PendingDiagnostic(Diagnostics.PolicyFileMissing, null, 0, [path]));
            return new PolicyInstance(PolicyKind.All, null, "all");
        }
        diagnostics.Add(new PendingDiagnostic(Diagnostics.PolicyFileNotSupported, null, 0, [path]));
        return new PolicyInstance(PolicyKind.All, path, "all;onnx-ignored:" + HashFile(path));
    }

    /// <summary>The optimizer options for one build (policy plus the per-build knobs).</summary>
    public static OptimizerOptions ToOptions(PolicyInstance policy, bool validateWithSmt, string? faultInjectionFunction) => new()
    {
        Policy = policy.Kind,
        ValidateWithSmt = validateWithSmt,
        FaultInjectionFunction = string.IsNullOrWhiteSpace(faultInjectionFunction) ? null : faultInjectionFunction.Trim(),
    };

    internal static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
