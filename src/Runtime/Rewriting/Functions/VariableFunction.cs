using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting.Functions;

/// <summary>The value of an immediate variable the pattern binds (an immediate, a displacement, an index scale).</summary>
public sealed class VariableFunction : OperandFunction
{
    public VariableFunction(string name) : base([name]) => Name = name;

    public string Name { get; }

    public override long Evaluate(Bindings bindings) => bindings.Immediate(Name);

    public override string Meaning(Bindings bindings) => bindings.TermOf(Name) ?? Smt.Bv((ulong)bindings.Immediate(Name), 64);

    public override string ToString() => Name;
}
