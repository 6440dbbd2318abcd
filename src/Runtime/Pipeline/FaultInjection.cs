using Iced.Intel;
using CompilerLLM.Assembly;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Pipeline;

/// <summary>
/// A deliberate miscompile, for testing: in the named function, the first chosen rewrite that binds a register gets an
/// extra <c>not</c> of that register after its replacement. No site guard looks for it (the guards judged the rewrite
/// before), so it shows that the later safety nets catch what the guards cannot: translation validation, the test replay
/// and the package's fallbacks. Plugged in as <see cref="OptimizerOptions.BeforeApply"/>; the package's
/// <c>CompilerLlmFaultInjectionFunction</c> property sets it (with a warning).
/// </summary>
public sealed class FaultInjection : IChosenRewritesHook
{
    private FaultInjection(string function) => Function = function;

    /// <summary>The function whose rewrite is corrupted.</summary>
    public string Function { get; }

    /// <summary>The injector for a function named in a build property; null (no injection) for an empty or blank name.</summary>
    public static FaultInjection? For(string? function) => string.IsNullOrWhiteSpace(function) ? null : new(function.Trim());

    public IReadOnlyList<Candidate> Transform(AsmFunction function, IReadOnlyList<Candidate> chosen)
    {
        if (function.Name != Function) return chosen;
        for (int k = 0; k < chosen.Count; k++)
        {
            var victim = chosen[k];
            if (victim.Bindings.Registers.Count == 0) continue;
            var flip = new RewrittenInstruction(Instruction.Create(Code.Not_rm64, victim.Bindings.Registers.Values.First()), default);
            var result = chosen.ToArray();
            result[k] = victim.WithReplacement([.. victim.Replacement, flip]);
            return result;
        }
        return chosen;
    }
}
