using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Launcher;

/// <summary>
/// The engine's part of one launcher unit, after GCC has written the unit's assembly: GCC's object unless the compile
/// made it already (the variant step and the optimizer read their model of GCC's assembly from it instead of running
/// the assembler on that text once more), the variant choice when a variant model is on, and the optimization. The launcher runs it in its own process
/// or has the resident server run it (<see cref="Scoring.UnitJob"/>); both run this, so the unit's files are the same.
/// </summary>
internal static class UnitWork
{
    /// <summary>Runs the unit's engine work; <see cref="GccObjectException"/> when GCC's own assembly does not assemble.</summary>
    public static UnitReport Run(UnitBuilder builder, TranslationUnit unit, Func<OptimizerOptions> options, Func<VariantPolicy?> variantPolicy)
    {
        // The compile made GCC's object beside cc1 when it could (the unit's folder is the launcher's, new for this
        // compile, so an object there is of this assembly); else it is made now.
        if (!File.Exists(unit.Files.Object))
        {
            using var phase = PhaseTimings.Start("unit.assemble-gcc-object");
            var assembledGcc = builder.AssembleGccObject(unit);
            if (!assembledGcc.Succeeded) throw new GccObjectException(unit.Source, assembledGcc);
        }
        VariantDecision? decision = null;
        if (variantPolicy() is { } policy)
        {
            using var phase = PhaseTimings.Start("launcher.choose-variant");
            decision = builder.ChooseVariant(unit, new VariantOptions(VariantObjective.Speed, policy, null));
        }
        using (PhaseTimings.Start("launcher.optimize")) return builder.Optimize(unit, options, null, decision);
    }

    /// <summary>The optimizer's options for a loaded policy and the launcher's settings.</summary>
    public static OptimizerOptions Options(LoadedPolicy policy, bool validateWithSmt, string? faultInjectionFunction) =>
        policy.ToOptions() with
        {
            ValidateWithSmt = validateWithSmt,
            BeforeApply = FaultInjection.For(faultInjectionFunction),
        };
}
