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
public readonly struct SymbolicOperand : IEquatable<SymbolicOperand>
{
    // 8 bytes: the field in the top two bits of the length word.
    private readonly int _textStart;
    private readonly uint _lengthAndField;

    public SymbolicOperand(OperandField field, int textStart, int textLength)
    {
        if ((uint)textLength >= 1u << 30) throw new ArgumentOutOfRangeException(nameof(textLength));
        _textStart = textStart;
        _lengthAndField = (uint)textLength | (uint)field << 30;
    }

    public OperandField Field => (OperandField)(_lengthAndField >> 30);
    public int TextStart => _textStart;
    public int TextLength => (int)(_lengthAndField & ((1u << 30) - 1));
    public bool IsPresent => Field != OperandField.None;

    public bool Equals(SymbolicOperand other) => _textStart == other._textStart && _lengthAndField == other._lengthAndField;
    public override bool Equals(object? obj) => obj is SymbolicOperand s && Equals(s);
    public override int GetHashCode() => HashCode.Combine(_textStart, _lengthAndField);
    public static bool operator ==(SymbolicOperand a, SymbolicOperand b) => a.Equals(b);
    public static bool operator !=(SymbolicOperand a, SymbolicOperand b) => !a.Equals(b);
    public override string ToString() => IsPresent ? $"{Field}@{TextStart}+{TextLength}" : "none";
}
