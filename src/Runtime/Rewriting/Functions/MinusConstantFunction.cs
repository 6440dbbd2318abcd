using System.Globalization;
using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting.Functions;

/// <summary>A value minus a constant, wrapping: the scale of <c>lea (r,r,k-1)</c> for <c>imul $k</c>.</summary>
public sealed class MinusConstantFunction : OperandFunction
{
    public MinusConstantFunction(OperandFunction operand, long constant) : base(operand.Inputs) => (Operand, Constant) = (operand, constant);

    public OperandFunction Operand { get; }
    public long Constant { get; }

    public override long Evaluate(Bindings bindings) => unchecked(Operand.Evaluate(bindings) - Constant);

    public override string Meaning(Bindings bindings) => Smt.BvSub(Operand.Meaning(bindings), Smt.Bv((ulong)Constant, 64));

    public override string ToString() => $"{Operand}-{Constant.ToString(CultureInfo.InvariantCulture)}";
}
