using CompilerLLM.Rewriting.Catalogues;

namespace CompilerLLM.Rewriting;

/// <summary>Every pattern rule of every family, in a fixed order (rule ids for the policy are indices here).</summary>
public static class RuleCatalogue
{
    public static IReadOnlyList<RewriteRule> All { get; } =
        [.. PeepholeRules.All, .. SubstitutionRules.All, .. AddressModeRules.All, .. FalseDependencyRules.All];

    /// <summary>Pattern rules plus the two rewrites that are not patterns: block schedules and loop alignment.</summary>
    public static IReadOnlyList<RewriteRule> AllWithPseudoRules { get; } = [.. All, BlockScheduler.Rule, LoopAlignment.Rule];

    public static RewriteRule? Find(string name) => All.FirstOrDefault(r => r.Name == name);

    /// <summary>Any rule name the optimizer accepts, pattern or not.</summary>
    public static bool IsKnown(string name) => AllWithPseudoRules.Any(r => r.Name == name);
}
