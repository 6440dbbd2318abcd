using System.Collections.Concurrent;
using Iced.Intel;
using CompilerLLM.Assembly;
using CompilerLLM.Rewriting.Functions;

namespace CompilerLLM.Rewriting;

/// <summary>
/// Builds one operand of a replacement instruction from the bindings. Computed values (immediates,
/// displacements, scales) are <see cref="OperandFunction"/>s, so the value the site gets and the
/// term the proof uses are one definition.
/// </summary>
public abstract record OperandTemplate
{
    /// <summary>The register bound to <paramref name="name"/>, at the rule's width or <paramref name="width"/> bits.</summary>
    public static OperandTemplate Reg(string name, int width = 0) => new RegisterTemplate(name, width);

    public static OperandTemplate Imm(long value) => new ImmediateTemplate(new ConstantFunction(value));

    public static OperandTemplate Imm(string name) => new ImmediateTemplate(new VariableFunction(name));

    /// <summary>A computed immediate.</summary>
    public static OperandTemplate Imm(OperandFunction value) => new ImmediateTemplate(value);

    /// <summary>The memory operand bound to <paramref name="name"/>, with its symbol.</summary>
    public static OperandTemplate Mem(string name) => new MemoryTemplate(name);

    /// <summary>
    /// An address built from bound registers: <c>disp(base, index, scale)</c> (for <c>lea</c> and
    /// loads). Without <paramref name="scale"/> the scale is 1, without <paramref name="displacement"/> 0.
    /// </summary>
    public static OperandTemplate Address(string? baseName, string? indexName, OperandFunction? scale = null, OperandFunction? displacement = null) =>
        new AddressTemplate(baseName, indexName, scale ?? new ConstantFunction(1), displacement);

    /// <summary>Proofs: the SMT term replacing this operand's immediate or displacement, when it depends on a symbolic value.</summary>
    internal virtual string? Term(Bindings bindings) => null;

    internal abstract object Value(Bindings bindings);
}

public sealed record RegisterTemplate(string Name, int Width) : OperandTemplate
{
    internal override object Value(Bindings b) => Registers.OfWidth(b.Register(Name), Width == 0 ? b.Width : Width);
}

public sealed record ImmediateTemplate(OperandFunction Function) : OperandTemplate
{
    internal override object Value(Bindings b) => Function.Evaluate(b);
    internal override string? Term(Bindings b) => Function.IsSymbolic(b) ? Function.Meaning(b) : null;
}

public sealed record MemoryTemplate(string Name) : OperandTemplate
{
    internal override object Value(Bindings b) => b.MemoryOperand(Name);

    internal override string? Term(Bindings b) => b.TermOf(Name);
}

/// <summary>The scale must be concrete (an encoding field of two bits); the displacement may be symbolic.</summary>
public sealed record AddressTemplate(string? BaseName, string? IndexName, OperandFunction Scale, OperandFunction? Displacement) : OperandTemplate
{
    internal override string? Term(Bindings b) => Displacement is { } d && d.IsSymbolic(b) ? d.Meaning(b) : null;

    internal override object Value(Bindings b) => new MemoryBinding(
        BaseName is null ? Register.None : b.Register(BaseName),
        IndexName is null ? Register.None : b.Register(IndexName),
        IndexName is null ? 1 : (int)Scale.Evaluate(b),
        Displacement?.Evaluate(b) ?? 0, 0, Register.None, default);
}

/// <summary>
/// One replacement instruction: Iced <see cref="Code"/> names with <c>{w}</c> for the width,
/// alternatives separated by <c>|</c> (the first whose operand kinds accept the values wins, e.g.
/// <c>Add_rm{w}_imm8|Add_rm{w}_imm32</c>), and the operands in Intel order.
/// </summary>
public sealed record InstructionTemplate(string Codes, IReadOnlyList<OperandTemplate> Operands)
{
    public static InstructionTemplate Of(string codes, params OperandTemplate[] operands) => new(codes, operands);

    /// <summary>Proofs: the operand terms for the instruction built from <paramref name="bindings"/>, or null.</summary>
    internal Verification.OperandTerms? Terms(Bindings bindings)
    {
        string? immediate = null, displacement = null;
        foreach (var o in Operands)
        {
            if (o.Term(bindings) is not { } t) continue;
            if (o is ImmediateTemplate) immediate = t;
            else displacement = t;
        }
        return immediate is null && displacement is null ? null : new Verification.OperandTerms(immediate, displacement);
    }

    /// <summary>The instruction with the symbol its memory operand carries; null when no alternative can encode the operands.</summary>
    internal (Instruction Instruction, SymbolicOperand Symbol)? Build(Bindings bindings)
    {
        var values = Operands.Select(o => o.Value(bindings)).ToArray();
        foreach (var alternative in Codes.Split('|'))
        {
            string name = alternative.Replace("{w}", bindings.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (!CodeTable.TryGet(name, out var code)) continue;
            if (!Accepts(code, values)) continue;
            var instruction = Create(code, values, out var symbol);
            return (instruction, symbol);
        }
        return null;
    }

    internal static bool Accepts(Code code, object[] values)
    {
        var op = code.ToOpCode();
        if (op.OpCount != values.Length) return false;
        for (int k = 0; k < values.Length; k++)
        {
            var kind = op.GetOpKind(k);
            switch (values[k])
            {
                case long v when !ImmediateFits(kind, v):
                    return false;
                case MemoryBinding when !KindName(kind).Contains("mem"):
                    return false;
                case Register r when !KindName(kind).StartsWith(RegisterPrefix(r), StringComparison.Ordinal):
                    return false;
            }
        }
        return true;
    }

    private static string KindName(OpCodeOperandKind kind) => kind.ToString();

    private static string RegisterPrefix(Register r) => r.GetSize() switch { 1 => "r8", 2 => "r16", 4 => "r32", _ => "r64" };

    private static bool ImmediateFits(OpCodeOperandKind kind, long v) => kind switch
    {
        OpCodeOperandKind.imm8 => v is >= -128 and <= 255,
        OpCodeOperandKind.imm8sex16 or OpCodeOperandKind.imm8sex32 or OpCodeOperandKind.imm8sex64 => v is >= -128 and <= 127,
        OpCodeOperandKind.imm16 => v is >= short.MinValue and <= ushort.MaxValue,
        OpCodeOperandKind.imm32 => v is >= int.MinValue and <= uint.MaxValue,
        OpCodeOperandKind.imm32sex64 => v is >= int.MinValue and <= int.MaxValue,
        OpCodeOperandKind.imm64 => true,
        _ => false,
    };

    internal static Instruction Create(Code code, object[] v, out SymbolicOperand symbol)
    {
        symbol = default;
        MemoryOperand Memory(object o, ref SymbolicOperand s)
        {
            var m = (MemoryBinding)o;
            s = m.Symbol;
            return m.ToMemoryOperand();
        }
        var sym = default(SymbolicOperand);
        var result = v switch
        {
            [] => Instruction.Create(code),
            [Register a] => Instruction.Create(code, a),
            [MemoryBinding m] => Instruction.Create(code, Memory(m, ref sym)),
            [Register a, Register b] => Instruction.Create(code, a, b),
            [Register a, long i] => code.ToOpCode().GetOpKind(1) == OpCodeOperandKind.imm64
                ? Instruction.Create(code, a, i)
                : Instruction.Create(code, a, unchecked((int)i)),
            [Register a, MemoryBinding m] => Instruction.Create(code, a, Memory(m, ref sym)),
            [MemoryBinding m, Register b] => Instruction.Create(code, Memory(m, ref sym), b),
            [MemoryBinding m, long i] => Instruction.Create(code, Memory(m, ref sym), unchecked((int)i)),
            [Register a, Register b, long i] => Instruction.Create(code, a, b, unchecked((int)i)),
            [Register a, MemoryBinding m, long i] => Instruction.Create(code, a, Memory(m, ref sym), unchecked((int)i)),
            _ => throw new InvalidOperationException($"no Instruction.Create for {code} with {v.Length} operands"),
        };
        symbol = sym.IsPresent ? new SymbolicOperand(OperandField.Displacement, sym.TextStart, sym.TextLength) : default;
        return result;
    }
}

/// <summary>Sub-registers of the 16 general registers by width.</summary>
public static class Registers
{
    public static Register OfWidth(Register full, int width)
    {
        int n = full - Register.RAX;
        return width switch
        {
            64 => Register.RAX + n,
            32 => Register.EAX + n,
            16 => Register.AX + n,
            8 => n < 4 ? Register.AL + n : Register.SPL + (n - 4),
            _ => throw new ArgumentOutOfRangeException(nameof(width)),
        };
    }
}

/// <summary>Iced codes by name, resolved once.</summary>
internal static class CodeTable
{
    private static readonly ConcurrentDictionary<string, Code?> Cache = new(StringComparer.Ordinal);

    public static bool TryGet(string name, out Code code)
    {
        var c = Cache.GetOrAdd(name, n => Enum.TryParse<Code>(n, out var parsed) ? parsed : null);
        code = c ?? default;
        return c is not null;
    }
}
