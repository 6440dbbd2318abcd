namespace CompilerLLM.Assembly;

/// <summary>
/// Where each source line's bytes are in its section and which bytes they are: what the model needs from the
/// assembler besides the object. Two sources give the same answers: GAS's listing (<see cref="GasListing"/>) and the
/// object itself, decoded line by line from its label symbols (<see cref="ObjectLineLayout"/>).
/// </summary>
internal interface ILineBytes
{
    /// <summary>Section offset of the first byte of a 0-based source line, or -1.</summary>
    int OffsetOf(int line);

    /// <summary>The bytes of a 0-based line (empty when it has none).</summary>
    ReadOnlySpan<byte> BytesOf(int line);
}

/// <summary>Where the assembly model takes each line's offset and bytes from.</summary>
public enum AsmLayoutSource
{
    /// <summary>The object assembled with local labels, decoded line by line; GAS's listing only when that cannot be exact.</summary>
    Object,

    /// <summary>GAS's <c>-aln</c> listing, always (the reference the object layout must equal).</summary>
    Listing,

    /// <summary>
    /// The plain object (no local labels), as a build assembles it anyway: local labels placed by the layout; the object
    /// with local labels when that cannot be exact, and GAS's listing after it.
    /// </summary>
    PlainObject,
}
