namespace CompilerLLM.Assembly;

/// <summary>
/// One line of a GAS source file. Text is not copied: <see cref="Start"/>/<see cref="Length"/>
/// index into <see cref="AsmFile.Source"/>, which keeps the model at a few dozen bytes per line.
/// </summary>
public readonly record struct AsmLine(
    int Start,
    int Length,
    LineKind Kind,
    short Section,
    int Offset,
    int Instruction)
{
    /// <summary>The 1-based line number is the index plus one; kept implicit to save space.</summary>
    public bool HasInstruction => Instruction >= 0;
}
