using CompilerLLM.Pipeline;
using CompilerLLM.Variants;

namespace CompilerLLM.Launcher;

/// <summary>
/// The unit's models. The variant policy, which every unit runs when variants are on, is loaded on a background thread
/// while GCC compiles the source: starting ONNX Runtime (its library, its environment: tens of milliseconds of CPU) then
/// runs beside the compiler instead of after it. The rewrite policy is loaded only when the optimizer first scores a
/// candidate (<see cref="PolicyRequest.LoadOnFirstUse"/>): a unit with nothing to score never starts ONNX Runtime for it.
/// What is loaded, and every failure, is what loading in place gives: a <see cref="Inference.PolicyLoadException"/> is
/// thrown where the model is used.
/// </summary>
internal sealed class ModelPrefetch
{
    private readonly Lazy<Task<VariantPolicy?>> _variant;
    private readonly Lazy<LoadedPolicy> _policy;

    private ModelPrefetch(Lazy<Task<VariantPolicy?>> variant, Lazy<LoadedPolicy> policy) => (_variant, _policy) = (variant, policy);

    /// <summary>Starts loading the variant model when there is one; the rewrite policy <paramref name="request"/> names waits for its first use.</summary>
    /// <param name="scoring">Scores the rewrite policy's rows while it answers (the scoring server); null: always in this process.</param>
    /// <param name="prefetch">
    /// False: the variant model, too, waits for its first use (the resident server is expected to run the unit, and
    /// then this process never needs it).
    /// </param>
    public static ModelPrefetch Start(PolicyRequest request, string? variantModel, Inference.IScoringService? scoring = null, bool prefetch = true)
    {
        var variant = new Lazy<Task<VariantPolicy?>>(() => variantModel is null
            ? Task.FromResult<VariantPolicy?>(null)
            : Task.Run(() => (VariantPolicy?)VariantPolicy.Load(variantModel)));
        if (prefetch) _ = variant.Value;
        return new ModelPrefetch(variant, new Lazy<LoadedPolicy>(() => request.LoadOnFirstUse(scoring)));
    }

    /// <summary>The variant policy (null: base everywhere); waits for it, and throws what loading it threw. Never disposed: the process ends with the unit.</summary>
    public VariantPolicy? Variant() => _variant.Value.GetAwaiter().GetResult();

    /// <summary>The rewrite policy, its model loaded on first use; throws what loading it threw. Never disposed, like the variant policy.</summary>
    public LoadedPolicy Policy() => _policy.Value;

    /// <summary>
    /// Waits until the background load has ended, whatever its outcome: the process must not exit (running the native
    /// library's exit handlers) while another thread is still starting ONNX Runtime.
    /// </summary>
    public void Settle()
    {
        if (!_variant.IsValueCreated) return;
        try
        {
            _variant.Value.Wait();
        }
        catch (AggregateException) { }
    }
}
