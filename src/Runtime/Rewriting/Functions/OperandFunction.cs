namespace CompilerLLM.Rewriting.Functions;

/// <summary>
/// A value a rule computes from its bindings for a replacement operand (an immediate, a
/// displacement, a scale), with its meaning written once for both users: <see cref="Evaluate"/> is
/// what runs at a site, <see cref="Meaning"/> is what z3 sees in the rule's proof. Values are 64-bit
/// two's complement and wrap, exactly as <c>(_ BitVec 64)</c> arithmetic does.
/// <para>
/// The set is closed (the constructor is <c>private protected</c>): every kind is one sealed type
/// in this folder, and the agreement test checks each kind's evaluation against z3's evaluation of
/// its meaning, so a new kind cannot go unchecked.
/// </para>
/// </summary>
public abstract class OperandFunction
{
    private protected OperandFunction(IReadOnlyList<string> inputs) => Inputs = inputs;

    /// <summary>The immediate variables it reads (names the rule's pattern binds), without repeats.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Its value at a site (or on a proof's placeholder values). Allocation-free: it runs in rule guards at every match.</summary>
    public abstract long Evaluate(Bindings bindings);

    /// <summary>
    /// Its meaning as an SMT <c>(_ BitVec 64)</c> term: over the proof's symbolic terms where the
    /// bindings have them (<see cref="Bindings.TermOf"/>), over the bound values elsewhere.
    /// </summary>
    public abstract string Meaning(Bindings bindings);

    /// <summary>True when an input is symbolic in these (proof) bindings; at real sites never.</summary>
    public bool IsSymbolic(Bindings bindings)
    {
        foreach (var name in Inputs)
        {
            if (bindings.TermOf(name) is not null) return true;
        }
        return false;
    }

    /// <summary>The function as written in an equation (<c>d1+d2</c>, <c>k-1</c>, <c>log2(k)</c>), for guard descriptions and reports.</summary>
    public abstract override string ToString();

    private protected static IReadOnlyList<string> Union(OperandFunction a, OperandFunction b) => [.. a.Inputs.Union(b.Inputs, StringComparer.Ordinal)];
}
