using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting.Guards;

/// <summary>
/// A condition a rule needs beyond its pattern, written once for both users: <see cref="Holds"/>
/// decides it at a real site (<see cref="RewriteRule.Match"/>), <see cref="Precondition"/> is what
/// <see cref="RuleProver"/> assumes in every proof obligation. Conditions over immediates and
/// displacements have an SMT meaning over the proof's symbolic terms; conditions over registers are
/// decided on the proof's instantiation (its registers are concrete).
/// <para>
/// The set is closed (the constructor is <c>private protected</c>): every kind is one sealed type
/// in this folder, and the agreement test checks each kind's decision against z3's evaluation of
/// its meaning.
/// </para>
/// </summary>
public abstract class RuleGuard
{
    private protected RuleGuard() { }

    /// <summary>Whether the condition holds for these bindings. Allocation-free: it runs at every match.</summary>
    public abstract bool Holds(Bindings bindings);

    /// <summary>
    /// Its meaning as an SMT Bool term over <see cref="Bindings.TermOf"/> terms and bound values; for
    /// a condition on registers, the literal decision on the bindings.
    /// </summary>
    public abstract string Meaning(Bindings bindings);

    /// <summary>True when the condition reads a value that is symbolic in these (proof) bindings.</summary>
    public abstract bool IsSymbolic(Bindings bindings);

    /// <summary>
    /// What a proof on these bindings assumes: the SMT meaning where it reads symbolic values, else
    /// the literal decision (<c>true</c>, or <c>false</c>: the instantiation is outside the guard).
    /// </summary>
    public string Precondition(Bindings bindings) => IsSymbolic(bindings) ? Meaning(bindings) : Literal(Holds(bindings));

    /// <summary>The condition in words, from the expression itself (<c>d1+d2 fits in 32 bits</c>).</summary>
    public abstract override string ToString();

    private protected static string Literal(bool value) => value ? Smt.True : Smt.False;
}
