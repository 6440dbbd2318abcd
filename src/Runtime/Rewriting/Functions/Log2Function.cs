using System.Globalization;
using System.Numerics;
using System.Text;
using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting.Functions;

/// <summary>
/// The base-2 logarithm of a power of two: the shift count of <c>shl $n</c> for <c>imul $2^n</c>.
/// Defined for every value as the index of the highest set bit of the unsigned value, and 0 for 0
/// (as <see cref="BitOperations.Log2(ulong)"/>), so the C# evaluation and the SMT meaning agree
/// everywhere, not only on the powers of two a rule's domain admits.
/// </summary>
public sealed class Log2Function : OperandFunction
{
    public Log2Function(OperandFunction operand) : base(operand.Inputs) => Operand = operand;

    public OperandFunction Operand { get; }

    public override long Evaluate(Bindings bindings) => BitOperations.Log2((ulong)Operand.Evaluate(bindings));

    /// <summary><c>(ite (bvuge x 2^63) 63 (ite (bvuge x 2^62) 62 … (ite (bvuge x 2) 1 0)))</c>, with the operand bound once to x by a <c>let</c>.</summary>
    public override string Meaning(Bindings bindings)
    {
        string x = Operand.Meaning(bindings);
        // The operand may be a large term: bind it once rather than repeat it 63 times.
        var sb = new StringBuilder("(let ((log2_operand ").Append(x).Append(")) ");
        for (int bit = 63; bit >= 1; bit--)
            sb.Append("(ite (bvuge log2_operand ").Append(Smt.Bv(1UL << bit, 64)).Append(") ").Append(Smt.Bv((ulong)bit, 64)).Append(' ');
        sb.Append(Smt.Zero(64)).Append(')', 63).Append(')');
        return sb.ToString();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"log2({Operand})");
}
