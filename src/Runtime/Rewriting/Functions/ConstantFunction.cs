using System.Globalization;
using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting.Functions;

/// <summary>A fixed value.</summary>
public sealed class ConstantFunction : OperandFunction
{
    public ConstantFunction(long value) : base([]) => Value = value;

    public long Value { get; }

    public override long Evaluate(Bindings bindings) => Value;

    public override string Meaning(Bindings bindings) => Smt.Bv((ulong)Value, 64);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
