using CompilerLLM.Rewriting.Catalogues;

namespace CompilerLLM.Rewriting;

/// <summary>Every pattern rule of every family, in a fixed order (rule ids for the policy are indices here).</summary>
public static class RuleCatalogue
{
    public static IReadOnlyList<RewriteRule> All { get; } =
        [.. PeepholeRules.All, .. SubstitutionRules.All, .. AddressModeRules.All, .. FalseDependencyRules.All];

    public static RewriteRule? Find(string name) => All.FirstOrDefault(r => r.Name == name);
}
