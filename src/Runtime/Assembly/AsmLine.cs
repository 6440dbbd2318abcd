namespace CompilerLLM.Assembly;

/// <summary>
/// One line of a GAS source file, 16 bytes. Text is not copied: <see cref="Start"/>/<see cref="Length"/>
/// index into <see cref="AsmFile.Source"/>. An instruction's section offset is its Iced
/// <c>Instruction.IP</c>; the 1-based line number is the index plus one.
/// </summary>
public readonly struct AsmLine
{
    private const int LengthBits = 28;
    private readonly uint _lengthAndKind;

    public AsmLine(int start, int length, LineKind kind, int section, int instruction)
    {
        if ((uint)length >= 1u << LengthBits) throw new ArgumentOutOfRangeException(nameof(length), "a line longer than 256 MiB");
        Start = start;
        _lengthAndKind = (uint)length | (uint)kind << LengthBits;
        Section = section;
        Instruction = instruction;
    }

    public int Start { get; }
    public int Length => (int)(_lengthAndKind & ((1u << LengthBits) - 1));
    public LineKind Kind => (LineKind)(_lengthAndKind >> LengthBits);
    /// <summary>Index into <see cref="AsmFile.Sections"/>, or -1 where the section state could not be followed.</summary>
    public int Section { get; }
    /// <summary>Index into <see cref="AsmFile.Instructions"/>, or -1.</summary>
    public int Instruction { get; }
    public bool HasInstruction => Instruction >= 0;

    public AsmLine WithKind(LineKind kind) => new(Start, Length, kind, Section, Instruction);
    public AsmLine WithInstruction(int instruction) => new(Start, Length, Kind, Section, instruction);
}
