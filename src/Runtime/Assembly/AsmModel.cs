using Iced.Intel;

namespace CompilerLLM.Assembly;

/// <summary>An instruction line modelled exactly, with the symbols that replace its relocated or label-resolved fields.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
public readonly record struct AsmInstruction(Instruction Instruction, int Line, SymbolicOperand Symbol0, SymbolicOperand Symbol1)
{
    public SymbolicOperand SymbolFor(OperandField field) =>
        Symbol0.Field == field ? Symbol0 : Symbol1.Field == field ? Symbol1 : default;
}

/// <summary>A section as the source names it; <see cref="Group"/> is the COMDAT group signature when there is one.</summary>
public sealed record AsmSection(int Index, string Name, string? Group)
{
    public bool IsExecutable { get; internal set; }
}

/// <summary>A function: a <c>.type NAME,@function</c> symbol, from its label to its <c>.size</c>, in its own section.</summary>
public sealed class AsmFunction
{
    internal AsmFunction(string name, int section, int firstLine, int endLine, int[] lines)
    {
        Name = name;
        Section = section;
        FirstLine = firstLine;
        EndLine = endLine;
        Lines = lines;
    }

    public string Name { get; }
    public int Section { get; }
    /// <summary>0-based line of the function's label.</summary>
    public int FirstLine { get; }
    /// <summary>0-based line of its <c>.size</c> directive (or the last line it may own).</summary>
    public int EndLine { get; }
    /// <summary>The label, instruction and verbatim lines of the function in order (directives and other sections excluded).</summary>
    public int[] Lines { get; }
}

/// <summary>Why a line was kept verbatim (or any other remark about the input), with its 1-based line number.</summary>
public readonly record struct AsmDiagnostic(string File, int LineNumber, string Message, string Text)
{
    public override string ToString() => $"{File}:{LineNumber}: {Message}: {Text.Trim()}";
}

/// <summary>
/// A parsed GAS x86-64 AT&amp;T file: every line in order, instructions as Iced instructions with
/// symbolic operands, sections and functions. Lines that are not modelled keep their exact text.
/// </summary>
public sealed class AsmFile
{
    internal AsmFile(string path, string source, AsmLine[] lines, AsmInstruction[] instructions,
        IReadOnlyList<AsmSection> sections, IReadOnlyList<AsmFunction> functions,
        IReadOnlyList<AsmDiagnostic> diagnostics, IReadOnlySet<string> addressTakenLabels,
        IReadOnlyDictionary<string, int> definedLabels, IReadOnlySet<string> exceptionLabels)
    {
        DefinedLabels = definedLabels;
        ExceptionLabels = exceptionLabels;
        Path = path;
        Source = source;
        Lines = lines;
        Instructions = instructions;
        Sections = sections;
        Functions = functions;
        Diagnostics = diagnostics;
        AddressTakenLabels = addressTakenLabels;
        int verbatim = 0;
        foreach (var l in lines) if (l.Kind == LineKind.Verbatim) verbatim++;
        VerbatimCount = verbatim;
    }

    public string Path { get; }
    public string Source { get; }
    public AsmLine[] Lines { get; }
    public AsmInstruction[] Instructions { get; }
    public IReadOnlyList<AsmSection> Sections { get; }
    public IReadOnlyList<AsmFunction> Functions { get; }
    /// <summary>One entry per line kept verbatim, saying why.</summary>
    public IReadOnlyList<AsmDiagnostic> Diagnostics { get; }
    /// <summary>Labels whose address is used other than as a direct branch target (jump tables, computed goto).</summary>
    public IReadOnlySet<string> AddressTakenLabels { get; }
    /// <summary>Every label defined in the file, with its 0-based line.</summary>
    public IReadOnlyDictionary<string, int> DefinedLabels { get; }
    /// <summary>
    /// Labels named by <c>.uleb128</c>/<c>.sleb128</c> data, i.e. exception call-site tables: landing pads
    /// (and call-site bounds). A call inside a function with any of them may continue at any of them.
    /// </summary>
    public IReadOnlySet<string> ExceptionLabels { get; }

    private IReadOnlyDictionary<string, AsmFunction>? _addressTakenOwners;

    /// <summary>Address-taken labels that are code labels of some function (jump-table and computed-goto targets), with that function.</summary>
    public IReadOnlyDictionary<string, AsmFunction> AddressTakenCodeLabelOwners
    {
        get
        {
            if (_addressTakenOwners is not null) return _addressTakenOwners;
            var owners = new Dictionary<string, AsmFunction>(StringComparer.Ordinal);
            if (AddressTakenLabels.Count > 0)
            {
                foreach (var f in Functions)
                {
                    foreach (int line in f.Lines)
                    {
                        if (Lines[line].Kind != LineKind.Label) continue;
                        string name = SharedLabelName(line);
                        if (AddressTakenLabels.Contains(name)) owners.TryAdd(name, f);
                    }
                }
            }
            return _addressTakenOwners = owners;
        }
    }

    public int VerbatimCount { get; }

    /// <summary>Where the line offsets came from: the plain object (the usual case), the object with local labels, or GAS's listing.</summary>
    public AsmLayoutSource LayoutSource { get; internal set; } = AsmLayoutSource.Listing;

    /// <summary>Why a faster source of the layout than <see cref="LayoutSource"/> could not be used (the first that gave up), or null.</summary>
    public string? LayoutFallbackReason { get; internal set; }

    public ReadOnlySpan<char> TextOf(int line) => Source.AsSpan(Lines[line].Start, Lines[line].Length);

    public ReadOnlySpan<char> TextOf(SymbolicOperand symbol) => Source.AsSpan(symbol.TextStart, symbol.TextLength);

    /// <summary>The name defined by a label line, as the one string instance the file keeps (no allocation).</summary>
    public string SharedLabelName(int line)
    {
        var text = TextOf(line);
        int start = GasLexer.SkipSpaces(text, 0);
        var name = text.Slice(start, GasLexer.LabelLength(text[start..]));
        if (DefinedLabels is Dictionary<string, int> d && d.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out string? shared, out _))
            return shared;
        return name.ToString();
    }

    /// <summary>The name defined by a label line.</summary>
    public string LabelName(int line)
    {
        var text = TextOf(line);
        int start = GasLexer.SkipSpaces(text, 0);
        return text.Slice(start, GasLexer.LabelLength(text[start..])).ToString();
    }
}
