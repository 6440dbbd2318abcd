using CompilerLLM.Rewriting.Functions;
using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting.Guards;

/// <summary>The value is a signed 32-bit number: it fits a displacement or a sign-extended imm32.</summary>
public sealed class FitsInInt32Guard(OperandFunction value) : RuleGuard
{
    public OperandFunction Value { get; } = value;

    public override bool Holds(Bindings bindings) => Value.Evaluate(bindings) is >= int.MinValue and <= int.MaxValue;

    /// <summary>Sign-extending the low 32 bits gives the value back.</summary>
    public override string Meaning(Bindings bindings)
    {
        string v = Value.Meaning(bindings);
        return Smt.Eq(Smt.SignExtend(32, Smt.Low(32, v)), v);
    }

    public override bool IsSymbolic(Bindings bindings) => Value.IsSymbolic(bindings);

    public override string ToString() => $"{Value} fits in 32 bits";
}
