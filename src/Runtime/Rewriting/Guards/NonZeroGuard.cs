using CompilerLLM.Rewriting.Functions;
using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting.Guards;

/// <summary>The value is not zero.</summary>
public sealed class NonZeroGuard(OperandFunction value) : RuleGuard
{
    public OperandFunction Value { get; } = value;

    public override bool Holds(Bindings bindings) => Value.Evaluate(bindings) != 0;

    public override string Meaning(Bindings bindings) => Smt.Not(Smt.IsZero(Value.Meaning(bindings), 64));

    public override bool IsSymbolic(Bindings bindings) => Value.IsSymbolic(bindings);

    public override string ToString() => $"{Value} is not zero";
}
