using CompilerLLM.Inference;

namespace CompilerLLM.Pipeline;

/// <summary>
/// A policy ready to choose: the kind, the loaded model for <see cref="PolicyKind.Model"/>, and its identity, which
/// goes into incremental-build stamps and cache keys ("all", "none", "unoptimized", or "onnx:" + the model's SHA-256).
/// One instance serves every unit of a build (scoring is thread-safe); disposing releases the model's session.
/// </summary>
public sealed record LoadedPolicy(PolicyKind Kind, RewritePolicy? Model, string Identity) : IDisposable
{
    public static LoadedPolicy None { get; } = new(PolicyKind.None, null, "none");

    public static LoadedPolicy All { get; } = new(PolicyKind.All, null, "all");

    /// <summary>What a build uses when the requested model cannot be: nothing is applied.</summary>
    public static LoadedPolicy Unoptimized { get; } = new(PolicyKind.None, null, "unoptimized");

    /// <summary>Optimizer options that choose with this policy.</summary>
    public OptimizerOptions ToOptions() => new() { Policy = Kind, Model = Model };

    public void Dispose() => Model?.Dispose();
}
