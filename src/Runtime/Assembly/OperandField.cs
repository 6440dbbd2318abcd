namespace CompilerLLM.Assembly;

/// <summary>Which encoded field of an instruction a symbolic expression stands for.</summary>
public enum OperandField : byte
{
    None,
    /// <summary>The displacement of the memory operand (<c>sym(%rip)</c>, <c>.L4(,%rax,8)</c>, <c>%fs:x@tpoff</c>).</summary>
    Displacement,
    /// <summary>An immediate operand (<c>$sym</c>).</summary>
    Immediate,
    /// <summary>The target of a direct branch or call (<c>.L3</c>, <c>foo@PLT</c>).</summary>
    BranchTarget,
}

/// <summary>
/// A symbolic expression that replaces the numeric value of one field when the instruction is
/// printed. The text is a span of <see cref="AsmFile.Source"/> (e.g. <c>.LC0+8</c>, <c>foo@PLT</c>).
/// </summary>
public readonly record struct SymbolicOperand(OperandField Field, int TextStart, int TextLength)
{
    public bool IsPresent => Field != OperandField.None;
}
