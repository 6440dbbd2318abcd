using CompilerLLM.Pipeline;
using CompilerLLM.Variants;

namespace CompilerLLM.Launcher;

/// <summary>
/// The unit's models (the variant policy, then the rewrite policy), loaded on a background thread while GCC compiles
/// the source: starting ONNX Runtime (its library, its environment, one session per model) costs tens of
/// milliseconds of CPU that would otherwise follow <c>gcc -S</c>, and on a two-core machine it runs beside the
/// compiler for nothing. What is loaded, and every failure, is exactly what loading in place would give: a failure
/// (<see cref="Inference.PolicyLoadException"/>) is thrown where the model is asked for, as before.
/// </summary>
internal sealed class ModelPrefetch
{
    private readonly Task<VariantPolicy?> _variant;
    private readonly Task<LoadedPolicy> _policy;

    private ModelPrefetch(Task<VariantPolicy?> variant, Task<LoadedPolicy> policy) => (_variant, _policy) = (variant, policy);

    /// <summary>Starts loading: the variant model when there is one, and the rewrite policy <paramref name="request"/> names.</summary>
    public static ModelPrefetch Start(PolicyRequest request, string? variantModel)
    {
        // One thread, variant first: the order a unit asks for them (the environment they share is made once).
        var variant = Task.Run(() => variantModel is null ? null : VariantPolicy.Load(variantModel));
        var policy = variant.ContinueWith(_ => request.Load(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new ModelPrefetch(variant, policy);
    }

    /// <summary>The variant policy (null: base everywhere); waits for it, and throws what loading it threw. Never disposed: the process ends with the unit.</summary>
    public VariantPolicy? Variant() => _variant.GetAwaiter().GetResult();

    /// <summary>The rewrite policy; waits for it, and throws what loading it threw. Never disposed, like the variant policy.</summary>
    public LoadedPolicy Policy() => _policy.GetAwaiter().GetResult();

    /// <summary>
    /// Waits until loading has ended, whatever its outcome: the process must not exit (running the native library's
    /// exit handlers) while another thread is still starting ONNX Runtime.
    /// </summary>
    public void Settle()
    {
        try
        {
            _policy.Wait();
        }
        catch (AggregateException) { }
    }
}
