namespace CompilerLLM.Rewriting.Guards;

/// <summary>
/// Two register variables bind different registers. The matcher already binds distinct variables
/// distinctly; a rule states it anyway where its equation depends on it, so the condition is
/// written where the rule is, not only in the matcher's convention.
/// </summary>
public sealed class DistinctRegistersGuard(string first, string second) : RuleGuard
{
    public string First { get; } = first;
    public string Second { get; } = second;

    public override bool Holds(Bindings bindings) => bindings.Register(First) != bindings.Register(Second);

    /// <summary>Registers are concrete in every proof instantiation: the decision itself.</summary>
    public override string Meaning(Bindings bindings) => Literal(Holds(bindings));

    public override bool IsSymbolic(Bindings bindings) => false;

    public override string ToString() => $"{First} is not {Second}";
}
