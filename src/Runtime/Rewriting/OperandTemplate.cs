using Iced.Intel;
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
