using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Rewriting.Guards;

namespace CompilerLLM.Rewriting;

/// <summary>
/// What must hold at a site for a rule to apply, beyond its pattern. The prover shows that before and
/// after agree on every location except <see cref="DeadFlags"/> and the registers of
/// <see cref="DeadRegisters"/>; the guard at each site checks exactly those are dead afterwards.
/// </summary>
public sealed record RuleConditions
{
    public static RuleConditions None { get; } = new();

    /// <summary>Flags whose values may differ afterwards, so must be dead after the window.</summary>
    public LocationSet DeadFlags { get; init; }

    /// <summary>Register variables whose values may differ afterwards, so must be dead after the window.</summary>
    public IReadOnlyList<string> DeadRegisters { get; init; } = [];

    /// <summary>
    /// An extra condition on the bindings: checked at every match, and assumed by every proof
    /// obligation (its SMT meaning over symbolic values, its decision on the instantiation's registers).
    /// </summary>
    public RuleGuard? Guard { get; init; }

    /// <summary>The guard in words, from the guard expression itself; null without a guard.</summary>
    public string? GuardDescription => Guard?.ToString();

    public static RuleConditions FlagsDead(LocationSet flags) => new() { DeadFlags = flags };

    public static RuleConditions AllFlagsDead => new() { DeadFlags = LocationSet.StatusFlags };
}

/// <summary>
/// A named, declarative rewrite: a window of instruction patterns, the replacement templates, the
/// widths it applies at, and its side conditions. Every rule is proven for every width by
/// <c>compilerllm prove-rules</c> and checked at every use by <see cref="CandidateFinder"/>.
/// Building a rule resolves its templates' Iced codes at every width and throws a
/// <see cref="RuleDefinitionException"/> when one cannot be.
/// </summary>
public sealed record RewriteRule(
    string Name,
    RuleFamily Family,
    string Equation,
    IReadOnlyList<int> Widths,
    IReadOnlyList<InstructionPattern> Pattern,
    IReadOnlyList<InstructionTemplate> Replacement,
    RuleConditions Conditions)
{
    /// <summary>The replacement templates; each has been checked to name Iced codes at every one of <see cref="Widths"/>.</summary>
    public IReadOnlyList<InstructionTemplate> Replacement { get; init; } = CheckedReplacement(Name, Widths, Replacement);

    /// <summary>
    /// False for rules that only pay on some targets and undo another rule (inc ↔ add $1): the
    /// apply-everything policy leaves them to a policy that knows the target.
    /// </summary>
    public bool AppliedByDefault { get; init; } = true;

    /// <summary>Matches the pattern against consecutive instructions; returns the bindings or null.</summary>
    public Bindings? Match(ReadOnlySpan<AsmInstruction> window)
    {
        if (window.Length != Pattern.Count) return null;
        // Most windows fail on a mnemonic: decide that before allocating bindings for each width.
        for (int k = 0; k < window.Length; k++)
        {
            if (window[k].Instruction.Mnemonic != Pattern[k].Mnemonic) return null;
        }
        foreach (int width in Widths)
        {
            var bindings = new Bindings { Width = width };
            bool ok = true;
            for (int k = 0; k < window.Length && ok; k++) ok = Pattern[k].Match(window[k], width, bindings);
            if (ok && (Conditions.Guard is null || Conditions.Guard.Holds(bindings))) return bindings;
        }
        return null;
    }

    /// <summary>The replacement instructions for the bindings; null when one cannot be encoded.</summary>
    public IReadOnlyList<RewrittenInstruction>? Build(Bindings bindings)
    {
        var result = new List<RewrittenInstruction>(Replacement.Count);
        foreach (var template in Replacement)
        {
            var built = template.Build(bindings);
            if (built is null) return null;
            result.Add(new RewrittenInstruction(built.Value.Instruction, built.Value.Symbol));
        }
        return result;
    }

    /// <summary>The locations that may differ after the window for these bindings: what must be dead.</summary>
    public LocationSet MayDiffer(Bindings bindings)
    {
        var set = Conditions.DeadFlags;
        foreach (var name in Conditions.DeadRegisters)
            set = set.With(Location.GprBase + (bindings.Register(name) - Iced.Intel.Register.RAX));
        return set;
    }

    private static IReadOnlyList<InstructionTemplate> CheckedReplacement(string name, IReadOnlyList<int> widths, IReadOnlyList<InstructionTemplate> replacement)
    {
        foreach (var template in replacement)
        {
            foreach (int width in widths)
            {
                if (template.ProblemAt(width) is { } problem) throw new RuleDefinitionException(name, problem);
            }
        }
        return replacement;
    }
}

/// <summary>A new instruction produced by a rewrite, with the symbols it carries (a moved instruction keeps both of its own).</summary>
public readonly record struct RewrittenInstruction(Iced.Intel.Instruction Instruction, SymbolicOperand Symbol, SymbolicOperand Symbol1 = default);
