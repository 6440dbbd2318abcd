namespace CompilerLLM.Assembly;

/// <summary>
/// One line of a GAS source file, 16 bytes. Text is not copied: <see cref="Start"/>/<see cref="Length"/>
/// index into <see cref="AsmFile.Source"/>. An instruction's section offset is its Iced
/// <c>Instruction.IP</c>; the 1-based line number is the index plus one.
/// </summary>
public readonly record struct AsmLine(
    int Start,
    int Length,
    LineKind Kind,
    short Section,
    int Instruction)
{
    public bool HasInstruction => Instruction >= 0;
}
