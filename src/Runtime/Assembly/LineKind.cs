namespace CompilerLLM.Assembly;

/// <summary>What one source line of a GAS file is, as far as the model is concerned.</summary>
public enum LineKind : byte
{
    /// <summary>Empty or whitespace only.</summary>
    Blank,
    /// <summary>Only a comment (<c>#</c> …), including GCC's <c>#APP</c>/<c>#NO_APP</c> markers.</summary>
    Comment,
    /// <summary>A label definition <c>name:</c>.</summary>
    Label,
    /// <summary>An assembler directive (<c>.text</c>, <c>.p2align</c>, <c>.long</c> …), kept as text.</summary>
    Directive,
    /// <summary>An instruction modelled exactly: decoded by Iced, re-encoded identically, symbols rebuilt.</summary>
    Instruction,
    /// <summary>
    /// A statement that produced bytes (or may have) but could not be modelled exactly; it is kept
    /// verbatim and treated by every analysis as an opaque barrier.
    /// </summary>
    Verbatim,
}
