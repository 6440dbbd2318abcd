using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting.Functions;

/// <summary>The wrapping sum of two values: displacement folding (<c>d1+d2</c>). Whether the sum fits its field is a guard's business.</summary>
public sealed class SumFunction : OperandFunction
{
    public SumFunction(OperandFunction left, OperandFunction right) : base(Union(left, right)) => (Left, Right) = (left, right);

    public OperandFunction Left { get; }
    public OperandFunction Right { get; }

    public override long Evaluate(Bindings bindings) => unchecked(Left.Evaluate(bindings) + Right.Evaluate(bindings));

    public override string Meaning(Bindings bindings) => Smt.BvAdd(Left.Meaning(bindings), Right.Meaning(bindings));

    public override string ToString() => $"{Left}+{Right}";
}
