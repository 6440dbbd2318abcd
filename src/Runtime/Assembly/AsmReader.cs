using System.Runtime.InteropServices;
using Iced.Intel;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Assembly;

/// <summary>The input is not something the model can read at all (wrong syntax or architecture, or GAS rejects it).</summary>
public sealed class AsmReadException(string file, int lineNumber, string message)
    : Exception(lineNumber > 0 ? $"{file}:{lineNumber}: {message}" : $"{file}: {message}")
{
    public string File { get; } = file;
    public int LineNumber { get; } = lineNumber;
}

/// <summary>
/// Builds an <see cref="AsmFile"/> from GCC's x86-64 AT&amp;T output. GAS assembles the file once
/// with a listing; Iced decodes each instruction line at its listed offset; a line becomes an
/// <see cref="LineKind.Instruction"/> only when the decoded length equals the listed byte count,
/// Iced's re-encoding equals GAS's bytes, and every relocation and resolved label of the line is
/// accounted for by a symbol written in its text. Everything else stays verbatim, with a reason.
/// </summary>
public static class AsmReader
{
    /// <summary>Reads and models a <c>.s</c> file.</summary>
    public static AsmFile ReadFile(string path, GasAssembler? assembler = null)
    {
        string source;
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.AsSpan().StartsWith("\uFEFF"u8))
                throw new AsmReadException(path, 1, "the file starts with a UTF-8 byte order mark, which GNU as rejects");
            source = new System.Text.UTF8Encoding(false).GetString(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AsmReadException(path, 0, $"cannot read the file: {e.Message}");
        }
        return Read(path, source, assembler);
    }

    /// <summary>Models <paramref name="source"/>; <paramref name="path"/> names it in messages.</summary>
    /// <param name="path">Names the file in messages.</param>
    /// <param name="source">The assembly text.</param>
    /// <param name="assembler">The assembler (default: <see cref="GasAssembler.Default"/>).</param>
    /// <param name="layout">
    /// Where line offsets come from: by default the plain object (one plain <c>as</c>), the object with local labels
    /// (<c>as -L</c>) when the plain one cannot give them exactly, GAS's listing when neither can;
    /// <see cref="AsmLayoutSource.Object"/> starts with the object with local labels; <see cref="AsmLayoutSource.Listing"/>
    /// always asks for the listing (same model, slower).
    /// </param>
    public static AsmFile Read(string path, string source, GasAssembler? assembler = null, AsmLayoutSource layout = AsmLayoutSource.PlainObject)
    {
        assembler ??= GasAssembler.Default;
        ScanResult scan;
        using (PhaseTimings.Start("read.scan")) scan = Scan(path, source);
        using var temp = new TempDirectory();
        string sourceFile = temp.File("input.s");
        File.WriteAllText(sourceFile, source);
        string? gaveUp = null;
        if (layout == AsmLayoutSource.PlainObject)
        {
            ElfObject plain;
            using (PhaseTimings.Start("read.assemble"))
            {
                Assemble(assembler, path, sourceFile, temp.File("plain.o"), null, keepLocalLabels: false);
                plain = ElfObject.Load(temp.File("plain.o"));
            }
            var file = FromPlainObject(ref scan, plain, out gaveUp);
            if (file is not null) return file;
            layout = AsmLayoutSource.Object;
        }
        return ReadAssembled(scan, assembler, path, sourceFile, temp, layout, gaveUp);
    }

    /// <summary>
    /// Models <paramref name="source"/> from <paramref name="plainObject"/>, the object the build assembled from exactly
    /// this text with the options <c>as</c> takes by default, so that no assembler runs when the layout can be inferred
    /// from it; otherwise as <see cref="Read(string, string, GasAssembler?, AsmLayoutSource)"/> does after the plain object.
    /// </summary>
    public static AsmFile Read(string path, string source, ElfObject plainObject, GasAssembler? assembler = null)
    {
        ScanResult scan;
        using (PhaseTimings.Start("read.scan")) scan = Scan(path, source);
        var file = FromPlainObject(ref scan, plainObject, out string? gaveUp);
        if (file is not null) return file;
        using var temp = new TempDirectory();
        string sourceFile = temp.File("input.s");
        File.WriteAllText(sourceFile, source);
        return ReadAssembled(scan, assembler ?? GasAssembler.Default, path, sourceFile, temp, AsmLayoutSource.Object, gaveUp);
    }

    /// <summary>
    /// The model from a plain object, or null with the reason (then <paramref name="scan"/> is fresh again: a model
    /// abandoned half way has changed line kinds).
    /// </summary>
    private static AsmFile? FromPlainObject(ref ScanResult scan, ElfObject obj, out string? why)
    {
        using var phase = PhaseTimings.Start("read.model");
        var prepared = Prepare(scan, obj);
        var placed = new List<ElfSymbol>();
        var inferred = ObjectLineLayout.Infer(scan.Lines, scan.Source, prepared.SectionMap, obj, prepared.Symbols, placed, out why);
        if (inferred is null) return null;
        // The labels the layout placed are the symbols as -L would have written: after the object's own, whose
        // indices relocations name.
        var table = new ElfSymbol[obj.Symbols.Count + placed.Count];
        prepared.Symbols.EnsureCapacity(prepared.Symbols.Count + placed.Count);
        for (int s = 0; s < obj.Symbols.Count; s++) table[s] = obj.Symbols[s];
        for (int p = 0; p < placed.Count; p++)
        {
            table[obj.Symbols.Count + p] = placed[p];
            prepared.Symbols.TryAdd(placed[p].Name, obj.Symbols.Count + p);
        }
        var file = Build(scan, inferred, obj, prepared with { Table = table }, out string? missing);
        if (missing is not null)
        {
            // A name only -L's symbol table has (a label the layout could not place, a .set of a local name): that
            // model would differ, so ask for it.
            why = $"'{missing}' is not a symbol of the plain object and the layout does not place it";
            scan = Scan(scan.Path, scan.Source);
            return null;
        }
        file.LayoutSource = AsmLayoutSource.PlainObject;
        return file;
    }

    /// <summary>The model from the object with local labels (unless <paramref name="layout"/> is the listing), else from the listing.</summary>
    private static AsmFile ReadAssembled(ScanResult scan, GasAssembler assembler, string path, string sourceFile, TempDirectory temp,
        AsmLayoutSource layout, string? gaveUp)
    {
        string objectFile = temp.File("input.o"), listingFile = temp.File("input.lst");
        if (layout == AsmLayoutSource.Object)
        {
            ElfObject obj;
            using (PhaseTimings.Start("read.assemble-local-labels"))
            {
                Assemble(assembler, path, sourceFile, objectFile, null, keepLocalLabels: true);
                obj = ElfObject.Load(objectFile);
            }
            using (PhaseTimings.Start("read.model"))
            {
                var prepared = Prepare(scan, obj);
                var inferred = ObjectLineLayout.Infer(scan.Lines, scan.Source, prepared.SectionMap, obj, prepared.Symbols, out string? why);
                if (inferred is not null)
                {
                    var file = Build(scan, inferred, obj, prepared, out _);
                    file.LayoutSource = AsmLayoutSource.Object;
                    file.LayoutFallbackReason = gaveUp;
                    return file;
                }
                gaveUp ??= why;
            }
        }
        string listing;
        ElfObject listed;
        using (PhaseTimings.Start("read.assemble-listing"))
        {
            Assemble(assembler, path, sourceFile, objectFile, listingFile, keepLocalLabels: true);
            listing = File.ReadAllText(listingFile);
            listed = ElfObject.Load(objectFile);
        }
        using (PhaseTimings.Start("read.model"))
        {
            var file = Build(scan, listing, listed);
            file.LayoutFallbackReason = gaveUp;
            return file;
        }
    }

    private static void Assemble(GasAssembler assembler, string path, string sourceFile, string objectFile, string? listingFile, bool keepLocalLabels)
    {
        try
        {
            assembler.Assemble(sourceFile, objectFile, listingFile, keepLocalLabels);
        }
        catch (AssemblerException e)
        {
            throw new AsmReadException(path, 0, e.Message.Replace(sourceFile, path, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// The in-process half of <see cref="Read(string, string, GasAssembler?, AsmLayoutSource)"/>, given GAS's listing and object for the source.
    /// Split out so benchmarks can time the model apart from the assembler.
    /// </summary>
    public static AsmFile Build(string path, string source, string listing, ElfObject obj) =>
        Build(Scan(path, source), listing, obj);

    // ---------------------------------------------------------------- pass 1: lines

    private sealed class ScanResult
    {
        public required string Path;
        public required string Source;
        public required AsmLine[] Lines;
        public readonly Dictionary<int, string> Reasons = [];
        public required IReadOnlyList<AsmSection> Sections;
        public readonly HashSet<string> FunctionNames = new(StringComparer.Ordinal);
        public readonly Dictionary<string, int> SizeLines = [];
        public readonly Dictionary<string, int> LabelLines = new(StringComparer.Ordinal);
        public readonly HashSet<string> AddressTaken = new(StringComparer.Ordinal);
        public readonly HashSet<string> ExceptionLabels = new(StringComparer.Ordinal);
        public bool InBlockComment;
        public bool GlueNext;
    }

    private static ScanResult Scan(string path, string source)
    {
        var text = source.AsSpan();
        int lineCount = text.Count('\n') + (text.Length > 0 && text[^1] != '\n' ? 1 : 0);
        var lines = new AsmLine[lineCount];
        var tracker = new SectionTracker();
        var scanPartial = new ScanResult { Path = path, Source = source, Lines = lines, Sections = tracker.Sections };
        bool inlineAsm = false;
        int pos = 0, lineIndex = 0;
        while (pos < text.Length)
        {
            int nl = text[pos..].IndexOf('\n');
            int end = nl < 0 ? text.Length : pos + nl;
            int next = nl < 0 ? text.Length : end + 1;
            int len = end - pos;
            if (len > 0 && text[pos + len - 1] == '\r') len--;
            var line = text.Slice(pos, len);
            string? reason = null;
            var kind = Classify(scanPartial, tracker, line, lineIndex, ref inlineAsm, ref reason);
            lines[lineIndex] = new AsmLine(pos, len, kind, tracker.Current, -1);
            if (reason is not null) scanPartial.Reasons[lineIndex] = reason;
            lineIndex++;
            pos = next;
        }
        return scanPartial;
    }

    private static LineKind Classify(ScanResult scan, SectionTracker tracker, ReadOnlySpan<char> line, int lineIndex,
        ref bool inlineAsm, ref string? reason)
    {
        if (scan.InBlockComment)
        {
            // Inside /* … */ nothing is a statement; a line that ends the comment and goes on stays verbatim.
            int close = line.IndexOf("*/");
            if (close < 0) return LineKind.Comment;
            scan.InBlockComment = false;
            if (line[(close + 2)..].Trim().IsEmpty) return LineKind.Comment;
            reason = "a statement after the end of a /* */ comment";
            return LineKind.Verbatim;
        }
        int start = GasLexer.SkipSpaces(line, 0);
        var rest = line[start..];
        var stmt = rest[..GasLexer.StatementLength(rest)];
        int open = GasLexer.BlockCommentStart(stmt);
        if (open >= 0)
        {
            if (stmt[(open + 2)..].IndexOf("*/") < 0) scan.InBlockComment = true;
            if (stmt[..open].Trim().IsEmpty) return LineKind.Comment;
            reason = "a /* */ comment on a statement line";
            return LineKind.Verbatim;
        }
        if (stmt.IsEmpty)
        {
            if (rest.IsEmpty) return LineKind.Blank;
            if (rest.StartsWith("#APP")) inlineAsm = true;
            else if (rest.StartsWith("#NO_APP")) inlineAsm = false;
            return LineKind.Comment;
        }

        int labelLength = GasLexer.LabelLength(stmt);
        if (labelLength > 0)
        {
            if (!stmt[(labelLength + 1)..].Trim().IsEmpty)
            {
                reason = "a label and a statement on one line";
                return LineKind.Verbatim;
            }
            scan.LabelLines.TryAdd(stmt[..labelLength].ToString(), lineIndex);
            return LineKind.Label;
        }

        int wordLength = GasLexer.WordLength(stmt);
        var word = stmt[..wordLength];
        if (word[0] == '.' && wordLength > 1)
        {
            var args = stmt[wordLength..].Trim();
            if (tracker.Apply(word, args)) return LineKind.Directive;
            switch (word)
            {
                case ".intel_syntax":
                    throw new AsmReadException(scan.Path, lineIndex + 1, "Intel syntax is not supported; compile with GCC's default AT&T syntax (-masm=att)");
                case ".code16":
                case ".code32":
                case ".code16gcc":
                    throw new AsmReadException(scan.Path, lineIndex + 1, $"'{word}' code is not supported; only x86-64 (.code64) assembly is");
                case ".include":
                case ".incbin":
                case ".macro":
                case ".rept":
                case ".irp":
                case ".if":
                    // Changes what later lines mean or where their bytes go; nothing after it can be trusted line by line.
                    throw new AsmReadException(scan.Path, lineIndex + 1, $"'{word}' is not supported in compiler output");
                case ".type":
                    NoteFunctionType(scan, args);
                    break;
                case ".size":
                    {
                        int comma = args.IndexOf(',');
                        if (comma > 0) scan.SizeLines[args[..comma].Trim().ToString()] = lineIndex;
                        break;
                    }
                case ".quad":
                case ".long":
                case ".int":
                case ".4byte":
                case ".8byte":
                case ".word":
                case ".short":
                case ".value":
                case ".2byte":
                    NoteAddressTaken(scan, args);
                    break;
                case ".uleb128":
                case ".sleb128":
                    // Call-site tables live in .gcc_except_table; debug info (.debug_loclists …) names labels too, but no landing pads.
                    if (tracker.Current >= 0 && tracker.Sections[tracker.Current].Name.StartsWith(".gcc_except_table", StringComparison.Ordinal))
                        NoteIdentifiers(scan.ExceptionLabels, args);
                    break;
            }
            return LineKind.Directive;
        }

        if (inlineAsm)
        {
            reason = "inline assembly (#APP) is kept as written";
            return LineKind.Verbatim;
        }
        // A line of bare prefixes (rep, lock, rex64 …) becomes part of the next instruction when
        // executed: both stay verbatim, so nothing is modelled or moved between them.
        if (scan.GlueNext)
        {
            scan.GlueNext = false;
            reason = "it follows a line of bare prefixes that applies to it";
            return LineKind.Verbatim;
        }
        if (IsOnlyPrefixes(stmt))
        {
            scan.GlueNext = true;
            reason = "a line of bare prefixes";
            return LineKind.Verbatim;
        }
        if (GasLexer.HasUnsupportedPunctuation(stmt))
        {
            reason = "several statements on one line";
            return LineKind.Verbatim;
        }
        var explicitPrefix = ExplicitEncodingPrefix(stmt);
        if (!explicitPrefix.IsEmpty)
        {
            word = explicitPrefix;
            // GAS drops or re-derives these (a ds override is the default segment, rex64 a bare byte):
            // formatted text would not bring the same bytes back.
            reason = $"the explicit prefix '{word}' is kept as written";
            return LineKind.Verbatim;
        }
        if (word[0] == '{')
        {
            // {vex}, {evex}, {load}, {disp32} … force an encoding the printed text would not force again.
            reason = $"the pseudo-prefix {word} is kept as written";
            return LineKind.Verbatim;
        }
        return LineKind.Instruction;
    }

    /// <summary>The first prefix word before the mnemonic that the formatter cannot be trusted to reproduce, or empty.</summary>
    private static ReadOnlySpan<char> ExplicitEncodingPrefix(ReadOnlySpan<char> stmt)
    {
        int i = 0;
        while (i < stmt.Length)
        {
            int len = GasLexer.WordLength(stmt[i..]);
            var w = stmt.Slice(i, len);
            if (!GasLexer.IsPrefixWord(w) && !w.StartsWith("rex.")) return default;
            if (w is "cs" or "ds" or "es" or "ss" or "fs" or "gs" or "data16" or "data32" or "addr32" or "rex" or "rex64"
                or "xacquire" or "xrelease" || w.StartsWith("rex.")) return w;
            i = GasLexer.SkipSpaces(stmt, i + len);
        }
        return default;
    }

    private static void NoteFunctionType(ScanResult scan, ReadOnlySpan<char> args)
    {
        int comma = args.IndexOf(',');
        if (comma <= 0) return;
        var type = args[(comma + 1)..].Trim();
        if (type is "@function" or "%function" or "STT_FUNC" or "\"function\"" or "@gnu_indirect_function")
            scan.FunctionNames.Add(args[..comma].Trim().ToString());
    }

    private static void NoteAddressTaken(ScanResult scan, ReadOnlySpan<char> args) => NoteIdentifiers(scan.AddressTaken, args);

    private static void NoteIdentifiers(HashSet<string> set, ReadOnlySpan<char> args)
    {
        if (!GasLexer.MayContainSymbol(args)) return;
        var lookup = set.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int i = 0; i < args.Length; i++)
        {
            if ((uint)(args[i] - '0') <= 9)
            {
                while (i < args.Length && GasLexer.IsIdentifierPart(args[i])) i++;
            }
            else if (GasLexer.IsIdentifierStart(args[i]))
            {
                int j = i;
                while (j < args.Length && GasLexer.IsIdentifierPart(args[j])) j++;
                if (!lookup.Contains(args[i..j])) set.Add(args[i..j].ToString());
                i = j - 1;
            }
        }
    }

    // ---------------------------------------------------------------- pass 2: bytes

    /// <summary>The object's view of the source: source sections to ELF sections, symbols by name, which sections hold code.</summary>
    /// <remarks>
    /// <see cref="Table"/> is what symbol indices mean: the object's symbols, followed for a plain object by the local
    /// labels its layout placed (so a name <see cref="Symbols"/> gives may index past the object's own).
    /// </remarks>
    private sealed record Prepared(int[] SectionMap, Dictionary<string, int> Symbols, IReadOnlyList<ElfSymbol> Table);

    private static Prepared Prepare(ScanResult scan, ElfObject obj)
    {
        var sectionMap = MapSections(scan.Sections, obj);
        var symbols = new Dictionary<string, int>(obj.Symbols.Count, StringComparer.Ordinal);
        for (int s = 1; s < obj.Symbols.Count; s++)
        {
            var sym = obj.Symbols[s];
            if (!sym.IsSection && sym.Name.Length > 0) symbols.TryAdd(sym.Name, s);
        }
        foreach (var section in scan.Sections)
        {
            int elf = sectionMap[section.Index];
            section.IsExecutable = elf > 0 && (obj.Sections[elf].Flags & 0x4) != 0;
        }
        return new Prepared(sectionMap, symbols, obj.Symbols);
    }

    private static AsmFile Build(ScanResult scan, string listingText, ElfObject obj)
    {
        var lines = scan.Lines;
        var prepared = Prepare(scan, obj);
        var wanted = new bool[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            var kind = lines[i].Kind;
            int sec = lines[i].Section;
            wanted[i] = kind is LineKind.Instruction or LineKind.Verbatim
                || (kind == LineKind.Directive && sec >= 0 && scan.Sections[sec].IsExecutable);
        }
        return Build(scan, GasListing.Parse(listingText, wanted), obj, prepared, out _);
    }

    /// <param name="scan">The scanned lines (their kinds become the model's).</param>
    /// <param name="listing">Where each line is and its bytes.</param>
    /// <param name="obj">The object.</param>
    /// <param name="prepared">The object's view of the source.</param>
    /// <param name="missingSymbol">The first name an operand uses that <paramref name="prepared"/> does not know, or null.</param>
    private static AsmFile Build(ScanResult scan, ILineBytes listing, ElfObject obj, Prepared prepared, out string? missingSymbol)
    {
        var lines = scan.Lines;
        var reasons = scan.Reasons;
        var sectionMap = prepared.SectionMap;
        var symbols = prepared.Symbols;

        var context = new DecodeContext(scan, obj, symbols, prepared.Table);
        int candidates = 0;
        foreach (var l in lines) if (l.Kind == LineKind.Instruction) candidates++;
        var instructions = new InstructionBuffer(candidates);
        for (int i = 0; i < lines.Length; i++)
        {
            ref var line = ref lines[i];
            int section = line.Section;
            int elf = section >= 0 ? sectionMap[section] : -1;
            if (line.Kind == LineKind.Directive)
            {
                // Bytes a directive puts into code (other than alignment padding) are code we cannot see.
                if (elf > 0 && scan.Sections[section].IsExecutable && listing.OffsetOf(i) >= 0 && !listing.BytesOf(i).IsEmpty
                    && !IsAlignment(scan.Source.AsSpan(line.Start, line.Length)))
                {
                    line = line.WithKind(LineKind.Verbatim);
                    reasons[i] = "data emitted into code";
                }
                continue;
            }
            if (line.Kind != LineKind.Instruction) continue;
            int offset = listing.OffsetOf(i);
            AsmInstruction model = default;
            string? why = elf == -1 ? "its section cannot be followed (subsection or unknown directive)"
                : elf == -2 ? "its section name is ambiguous in the object"
                : offset < 0 ? "the listing shows no bytes for it"
                : context.TryModel(i, elf, offset, listing.BytesOf(i), out model);
            if (why is null)
            {
                line = line.WithInstruction(instructions.Count);
                instructions.Add(model);
            }
            else
            {
                line = line.WithKind(LineKind.Verbatim);
                reasons[i] = why;
            }
        }

        foreach (var ins in instructions.Buffer.AsSpan(0, instructions.Count))
        {
            for (int k = 0; k < 2; k++)
            {
                var sym = k == 0 ? ins.Symbol0 : ins.Symbol1;
                if (sym.Field is OperandField.Displacement or OperandField.Immediate)
                    NoteAddressTaken(scan, scan.Source.AsSpan(sym.TextStart, sym.TextLength));
            }
        }
        var diagnostics = new List<AsmDiagnostic>(reasons.Count);
        foreach (var (i, r) in reasons.OrderBy(kv => kv.Key))
            diagnostics.Add(new AsmDiagnostic(scan.Path, i + 1, r, scan.Source.Substring(lines[i].Start, lines[i].Length)));
        var functions = FindFunctions(scan);
        // Sized to the candidate lines; most are modelled, so this rarely copies.
        var instructionArray = instructions.Count == instructions.Buffer.Length ? instructions.Buffer : instructions.Buffer[..instructions.Count];
        missingSymbol = context.MissingSymbol;
        return new AsmFile(scan.Path, scan.Source, lines, instructionArray, scan.Sections, functions, diagnostics, scan.AddressTaken,
            scan.LabelLines, scan.ExceptionLabels);
    }

    private static bool IsOnlyPrefixes(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        int i = 0;
        while (i < s.Length)
        {
            int len = GasLexer.WordLength(s[i..]);
            if (len == 0 || !GasLexer.IsPrefixWord(s.Slice(i, len))) return false;
            i = GasLexer.SkipSpaces(s, i + len);
        }
        return true;
    }

    private static bool IsAlignment(ReadOnlySpan<char> line)
    {
        var s = line.TrimStart();
        return s.StartsWith(".p2align") || s.StartsWith(".balign") || s.StartsWith(".align");
    }

    /// <summary>Source section index → ELF section index; -1 unmapped, -2 ambiguous.</summary>
    private static int[] MapSections(IReadOnlyList<AsmSection> sections, ElfObject obj)
    {
        var map = new int[sections.Count];
        for (int s = 0; s < sections.Count; s++)
        {
            int found = -1;
            for (int e = 1; e < obj.Sections.Count; e++)
            {
                var es = obj.Sections[e];
                if (es.Name == sections[s].Name && es.GroupSignature == sections[s].Group)
                {
                    found = found == -1 ? e : -2;
                }
            }
            map[s] = found;
        }
        return map;
    }

    private static List<AsmFunction> FindFunctions(ScanResult scan)
    {
        var lines = scan.Lines;
        var starts = new List<(int Line, string Name)>();
        foreach (var name in scan.FunctionNames)
        {
            if (scan.LabelLines.TryGetValue(name, out int line)) starts.Add((line, name));
        }
        starts.Sort((a, b) => a.Line.CompareTo(b.Line));
        var functions = new List<AsmFunction>(starts.Count);
        var owned = new bool[lines.Length];
        for (int f = 0; f < starts.Count; f++)
        {
            var (first, name) = starts[f];
            int section = lines[first].Section;
            if (section < 0) continue;
            int end = scan.SizeLines.TryGetValue(name, out int size) && size > first ? size : -1;
            if (end < 0)
            {
                end = lines.Length - 1;
                for (int g = f + 1; g < starts.Count; g++)
                {
                    if (lines[starts[g].Line].Section == section) { end = starts[g].Line - 1; break; }
                }
            }
            var members = new List<int>();
            for (int i = first; i <= end; i++)
            {
                var l = lines[i];
                if (l.Section != section || owned[i]) continue;
                if (i > first && l.Kind == LineKind.Label && scan.FunctionNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(scan.Source.AsSpan(l.Start, l.Length).Trim().TrimEnd(':')))
                    break; // another function starts before this one's .size
                if (l.Kind is LineKind.Label or LineKind.Instruction or LineKind.Verbatim)
                {
                    members.Add(i);
                    owned[i] = true;
                }
            }
            functions.Add(new AsmFunction(name, section, first, end, [.. members]));
        }
        return functions;
    }

    // ---------------------------------------------------------------- per instruction

    private sealed class DecodeContext
    {
        private readonly ScanResult _scan;
        private readonly ElfObject _obj;
        private readonly Dictionary<string, int> _symbols;
        private readonly IReadOnlyList<ElfSymbol> _table;
        private readonly Dictionary<int, (byte[] Data, Decoder Decoder, ByteArrayCodeReader Reader, ElfRelocation[] Relocs)> _sections = [];
        private readonly BufferCodeWriter _writer = new();
        private readonly Dictionary<BytesKey, bool> _reencodesExactly = [];
        private int _lastElf = -1;
        private (byte[] Data, Decoder Decoder, ByteArrayCodeReader Reader, ElfRelocation[] Relocs) _lastSection;
        private readonly Encoder _encoder;

        /// <summary>The first name an operand used that is not among the symbols, or null.</summary>
        public string? MissingSymbol { get; private set; }

        public DecodeContext(ScanResult scan, ElfObject obj, Dictionary<string, int> symbols, IReadOnlyList<ElfSymbol> table)
        {
            _scan = scan;
            _obj = obj;
            _symbols = symbols;
            _table = table;
            _encoder = Encoder.Create(64, _writer);
        }

        public string? TryModel(int lineIndex, int elf, int offset, ReadOnlySpan<byte> listed, out AsmInstruction model)
        {
            model = default;
            var sec = _lastSection;
            if (elf != _lastElf && !_sections.TryGetValue(elf, out sec))
            {
                var es = _obj.Sections[elf];
                byte[] data = MemoryMarshal.TryGetArray(es.Data, out var seg) && seg.Offset == 0 && seg.Count == seg.Array!.Length
                    ? seg.Array : es.Data.ToArray();
                var reader = new ByteArrayCodeReader(data);
                sec = (data, Decoder.Create(64, reader, DecoderOptions.None), reader, [.. _obj.RelocationsFor(es)]);
                _sections[elf] = sec;
            }
            _lastElf = elf;
            _lastSection = sec;
            if ((uint)offset >= (uint)sec.Data.Length) return "its listed offset is outside the section";
            sec.Reader.Position = offset;
            sec.Decoder.IP = (ulong)offset;
            sec.Decoder.Decode(out var instruction);
            if (instruction.IsInvalid) return $"Iced cannot decode its bytes ({sec.Decoder.LastError})";
            if (instruction.Mnemonic == Mnemonic.Reservednop) return "Iced decodes it as a reserved NOP (e.g. MPX), which GAS spells differently";
            int length = instruction.Length;
            if (length != listed.Length) return $"decoded length {length} differs from the {listed.Length} bytes GAS listed";
            var bytes = sec.Data.AsSpan(offset, length);
            if (!bytes.SequenceEqual(listed)) return "the listed bytes differ from the object's";
            // Re-encoding is the costliest check; its outcome depends only on the bytes (a relative
            // field re-encodes to the same relative value at any IP), so each distinct byte string is
            // checked once per file.
            var key = BytesKey.Of(bytes);
            if (!_reencodesExactly.TryGetValue(key, out bool exact))
            {
                _writer.Reset();
                exact = _encoder.TryEncode(instruction, instruction.IP, out _, out _) && _writer.Written.SequenceEqual(bytes);
                _reencodesExactly[key] = exact;
            }
            if (!exact)
            {
                _writer.Reset();
                return _encoder.TryEncode(instruction, instruction.IP, out _, out string? error)
                    ? "Iced's re-encoding differs from GAS's bytes"
                    : $"Iced cannot re-encode it ({error})";
            }

            string? why = BuildSymbols(lineIndex, elf, offset, in instruction, sec.Decoder, sec.Relocs, out var sym0, out var sym1);
            if (why is not null) return why;
            model = new AsmInstruction(instruction, lineIndex, sym0, sym1);
            return null;
        }

        private string? BuildSymbols(int lineIndex, int elf, int offset, in Instruction instruction, Decoder decoder,
            ElfRelocation[] relocs, out SymbolicOperand sym0, out SymbolicOperand sym1)
        {
            sym0 = sym1 = default;
            var line = _scan.Lines[lineIndex];
            var text = _scan.Source.AsSpan(line.Start, line.Length);
            int stmtStart = GasLexer.SkipSpaces(text, 0);
            var stmt = text[stmtStart..];
            stmt = stmt[..GasLexer.StatementLength(stmt)];
            int opsStart = GasLexer.OperandsStart(stmt, out _, out _);
            var ops = stmt[opsStart..];
            int end = offset + instruction.Length;
            int r = LowerBound(relocs, (ulong)offset);
            if (!GasLexer.ContainsSymbol(ops))
            {
                // The common case: plain registers and numbers. Nothing may be relocated then.
                return r < relocs.Length && relocs[r].Offset < (ulong)end
                    ? $"relocation {ElfRelocationType.Name(relocs[r].Type)} has no symbol in the text"
                    : null;
            }
            var constants = decoder.GetConstantOffsets(instruction);
            Span<Range> ranges = stackalloc Range[8];
            int count = GasLexer.SplitOperands(ops, ranges);
            if (count < 0) return "too many operands";

            bool hasNearBranch = false;
            for (int k = 0; k < instruction.OpCount; k++)
            {
                if (instruction.GetOpKind(k) is OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64) hasNearBranch = true;
            }

            int found = 0;
            for (int k = 0; k < count; k++)
            {
                var (opStart, opLength) = ranges[k].GetOffsetAndLength(ops.Length);
                if (!FindSymbolicPart(ops.Slice(opStart, opLength), hasNearBranch, out var field, out int exprStart, out int exprLength))
                    continue;
                if (found == 2) return "more than two symbolic operands";
                int absolute = line.Start + stmtStart + opsStart + opStart + exprStart;
                var symbolic = new SymbolicOperand(field, absolute, exprLength);
                if (found++ == 0) sym0 = symbolic; else sym1 = symbolic;
            }
            if (sym0.Field != OperandField.None && sym0.Field == sym1.Field) return "two symbols for one field";
            if ((sym0.Field == OperandField.Immediate || sym1.Field == OperandField.Immediate) && HasSecondImmediate(instruction))
                return "a symbol among two immediates (enter, extrq, insertq) cannot be placed";

            // Every relocation inside the instruction must be one of the symbolic fields.
            bool dispRelocated = false, immRelocated = false;
            for (; r < relocs.Length && relocs[r].Offset < (ulong)end; r++)
            {
                var reloc = relocs[r];
                int fieldPos = (int)reloc.Offset - offset;
                OperandField field;
                if (constants.HasDisplacement && fieldPos == constants.DisplacementOffset) { field = OperandField.Displacement; dispRelocated = true; }
                else if (constants.HasImmediate && fieldPos == constants.ImmediateOffset)
                {
                    field = hasNearBranch ? OperandField.BranchTarget : OperandField.Immediate;
                    immRelocated = true;
                }
                else return $"relocation {ElfRelocationType.Name(reloc.Type)} at +{fieldPos} is not at a displacement or immediate field";
                var symbolic = sym0.Field == field ? sym0 : sym1.Field == field ? sym1 : default;
                if (!symbolic.IsPresent) return $"relocation {ElfRelocationType.Name(reloc.Type)} has no symbol in the text";
                string? why = CheckRelocated(symbolic, reloc, end - (int)reloc.Offset, field == OperandField.BranchTarget);
                if (why is not null) return why;
            }

            // Symbols GAS resolved itself (no relocation) must evaluate to what was encoded.
            for (int k = 0; k < 2; k++)
            {
                var symbolic = k == 0 ? sym0 : sym1;
                if (!symbolic.IsPresent) continue;
                bool relocated = symbolic.Field == OperandField.Displacement ? dispRelocated : immRelocated;
                if (relocated) continue;
                string? why = CheckResolved(symbolic, elf, in instruction, constants);
                if (why is not null) return why;
            }
            return null;
        }

        /// <summary>
        /// Finds the symbolic expression in one AT&amp;T operand: <c>$expr</c>, <c>expr(base,index,scale)</c>,
        /// <c>%fs:expr</c>, a bare branch target <c>expr</c>, possibly after <c>*</c>.
        /// </summary>
        private static bool FindSymbolicPart(ReadOnlySpan<char> op, bool hasNearBranch, out OperandField field, out int start, out int length)
        {
            field = OperandField.None;
            start = length = 0;
            int i = 0;
            bool indirect = false;
            if (op.Length > 0 && op[0] == '*') { i = 1; indirect = true; }
            int end = op.Length;
            while (end > i && op[end - 1] == '}')
            {
                int open = op[..end].LastIndexOf('{');
                if (open < i) return false;
                end = open;
                while (end > i && char.IsWhiteSpace(op[end - 1])) end--;
            }
            if (i < end && op[i] == '$')
            {
                if (!GasLexer.ContainsSymbol(op[(i + 1)..end])) return false;
                field = OperandField.Immediate;
                start = i + 1;
                length = end - start;
                return true;
            }
            bool segment = false;
            if (i < end && op[i] == '%')
            {
                int j = i + 1;
                while (j < end && GasLexer.IsIdentifierPart(op[j])) j++;
                if (j >= end || op[j] != ':') return false; // a register
                i = j + 1;
                segment = true;
            }
            int dispEnd = end;
            bool hasAddress = false;
            if (end > i && op[end - 1] == ')')
            {
                int depth = 0;
                for (int j = end - 1; j >= i; j--)
                {
                    if (op[j] == ')') depth++;
                    else if (op[j] == '(' && --depth == 0)
                    {
                        var inside = op[(j + 1)..(end - 1)].TrimStart();
                        if (inside.Length > 0 && (inside[0] == '%' || inside[0] == ','))
                        {
                            dispEnd = j;
                            hasAddress = true;
                        }
                        break;
                    }
                }
            }
            var disp = op[i..dispEnd];
            if (!GasLexer.ContainsSymbol(disp)) return false;
            field = hasNearBranch && !indirect && !hasAddress && !segment ? OperandField.BranchTarget : OperandField.Displacement;
            var trimmed = GasLexer.Trim(op, i, dispEnd);
            (start, length) = trimmed.GetOffsetAndLength(op.Length);
            return true;
        }

        private readonly record struct Evaluated(int BaseSection, string? UndefinedName, SymbolModifier Modifier, long Constant, string? Error);

        private Evaluated Evaluate(SymbolicOperand symbolic)
        {
            var text = _scan.Source.AsSpan(symbolic.TextStart, symbolic.TextLength);
            Span<SymbolExpression.Term> terms = stackalloc SymbolExpression.Term[SymbolExpression.MaxTerms];
            int n = SymbolExpression.Parse(text, terms);
            if (n < 0) return new Evaluated(0, null, 0, 0, $"expression '{text}' is not of the form sym+const");
            long constant = 0;
            int baseSection = 0, baseCoefficient = 0, modifiers = 0;
            string? undefined = null;
            var modifier = SymbolModifier.None;
            Span<(int Section, int Coefficient)> coefficients = stackalloc (int, int)[SymbolExpression.MaxTerms];
            int sections = 0;
            for (int t = 0; t < n; t++)
            {
                var term = terms[t];
                if (!term.IsSymbol)
                {
                    constant += term.Sign * term.Constant;
                    continue;
                }
                if (term.Modifier != SymbolModifier.None)
                {
                    modifier = term.Modifier;
                    modifiers++;
                }
                var name = text[term.Symbol];
                if (!_symbols.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out int index))
                {
                    MissingSymbol ??= name.ToString();
                    return new Evaluated(0, null, 0, 0, $"symbol '{name}' is not in the object's symbol table");
                }
                var sym = _table[index];
                if (sym.SectionIndex == 0xfff1) { constant += term.Sign * (long)sym.Value; continue; }
                if (sym.SectionIndex == 0 || sym.SectionIndex >= 0xff00)
                {
                    if (undefined is not null || term.Sign < 0) return new Evaluated(0, null, 0, 0, $"expression '{text}' uses external symbols in a way GAS cannot relocate");
                    undefined = name.ToString();
                    continue;
                }
                constant += term.Sign * (long)sym.Value;
                int s = 0;
                while (s < sections && coefficients[s].Section != sym.SectionIndex) s++;
                if (s == sections) coefficients[sections++] = (sym.SectionIndex, 0);
                coefficients[s].Coefficient += term.Sign;
            }
            for (int s = 0; s < sections; s++)
            {
                if (coefficients[s].Coefficient == 0) continue;
                if (coefficients[s].Coefficient != 1 || baseCoefficient != 0)
                    return new Evaluated(0, null, 0, 0, $"expression '{text}' is not a single relocatable symbol plus a constant");
                baseSection = coefficients[s].Section;
                baseCoefficient = 1;
            }
            if (baseCoefficient != 0 && undefined is not null)
                return new Evaluated(0, null, 0, 0, $"expression '{text}' has two relocatable symbols");
            if (modifiers > 1) return new Evaluated(0, null, 0, 0, $"expression '{text}' has several @ operators");
            return new Evaluated(baseSection, undefined, modifier, constant, null);
        }

        private string? CheckRelocated(SymbolicOperand symbolic, ElfRelocation reloc, int bytesToEnd, bool isBranch)
        {
            var e = Evaluate(symbolic);
            if (e.Error is not null) return e.Error;
            if (!ModifierAllows(e.Modifier, reloc.Type, isBranch))
                return $"@{e.Modifier} does not match relocation {ElfRelocationType.Name(reloc.Type)}";
            long expected = reloc.Addend + (IsPcRelative(reloc.Type) ? bytesToEnd : 0);
            var target = _table[(int)reloc.SymbolIndex];
            bool ok;
            if (target.IsSection) ok = e.UndefinedName is null && e.BaseSection == target.SectionIndex && e.Constant == expected;
            else if (target.SectionIndex == 0 || target.SectionIndex >= 0xff00)
                ok = e.UndefinedName == target.Name && e.BaseSection == 0 && e.Constant == expected;
            else ok = e.UndefinedName is null && e.BaseSection == target.SectionIndex && e.Constant == (long)target.Value + expected;
            return ok ? null : $"'{_scan.Source.AsSpan(symbolic.TextStart, symbolic.TextLength)}' does not match its relocation {ElfRelocationType.Name(reloc.Type)} {target.Name}{reloc.Addend:+0;-0}";
        }

        private string? CheckResolved(SymbolicOperand symbolic, int elf, in Instruction instruction, ConstantOffsets constants)
        {
            var e = Evaluate(symbolic);
            if (e.Error is not null) return e.Error;
            if (e.Modifier != SymbolModifier.None || e.UndefinedName is not null) return "a relocatable symbol without a relocation";
            ulong actual;
            ulong mask = ulong.MaxValue;
            bool relative = symbolic.Field == OperandField.BranchTarget
                || (symbolic.Field == OperandField.Displacement && instruction.IsIPRelativeMemoryOperand);
            if (relative)
            {
                if (e.BaseSection != elf) return "a label in another section without a relocation";
                actual = symbolic.Field == OperandField.BranchTarget ? instruction.NearBranchTarget : instruction.IPRelativeMemoryAddress;
            }
            else
            {
                if (e.BaseSection != 0) return "a section-relative symbol without a relocation";
                if (symbolic.Field == OperandField.Displacement)
                {
                    if (!HasMemoryOperand(instruction)) return "a displacement symbol on an instruction without memory operand";
                    actual = instruction.MemoryDisplacement64;
                    if (constants.DisplacementSize is > 0 and < 8) mask = (1UL << (8 * constants.DisplacementSize)) - 1;
                }
                else
                {
                    int op = FirstImmediate(instruction);
                    if (op < 0 || !constants.HasImmediate) return "an immediate symbol on an instruction without immediate";
                    actual = instruction.GetImmediate(op);
                    if (constants.ImmediateSize is > 0 and < 8) mask = (1UL << (8 * constants.ImmediateSize)) - 1;
                }
            }
            return ((ulong)e.Constant & mask) == (actual & mask) ? null
                : $"'{_scan.Source.AsSpan(symbolic.TextStart, symbolic.TextLength)}' evaluates to 0x{(ulong)e.Constant:x}, the instruction encodes 0x{actual:x}";
        }

        private static bool HasSecondImmediate(in Instruction instruction)
        {
            for (int k = 0; k < instruction.OpCount; k++)
                if (instruction.GetOpKind(k) == OpKind.Immediate8_2nd) return true;
            return false;
        }

        private static bool HasMemoryOperand(in Instruction instruction)
        {
            for (int k = 0; k < instruction.OpCount; k++)
                if (instruction.GetOpKind(k) == OpKind.Memory) return true;
            return false;
        }

        private static int FirstImmediate(in Instruction instruction)
        {
            for (int k = 0; k < instruction.OpCount; k++)
            {
                switch (instruction.GetOpKind(k))
                {
                    case OpKind.Immediate8: case OpKind.Immediate16: case OpKind.Immediate32: case OpKind.Immediate64:
                    case OpKind.Immediate8to16: case OpKind.Immediate8to32: case OpKind.Immediate8to64: case OpKind.Immediate32to64:
                        return k;
                }
            }
            return -1;
        }

        private static int LowerBound(ElfRelocation[] relocs, ulong offset)
        {
            int lo = 0, hi = relocs.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (relocs[mid].Offset < offset) lo = mid + 1; else hi = mid;
            }
            return lo;
        }
    }

    internal static bool IsPcRelative(uint type) => type is
        ElfRelocationType.R_X86_64_PC32 or ElfRelocationType.R_X86_64_PLT32 or ElfRelocationType.R_X86_64_GOTPCREL or
        ElfRelocationType.R_X86_64_TLSGD or ElfRelocationType.R_X86_64_TLSLD or ElfRelocationType.R_X86_64_GOTTPOFF or
        ElfRelocationType.R_X86_64_PC64 or ElfRelocationType.R_X86_64_GOTPC32 or ElfRelocationType.R_X86_64_GOTPC32_TLSDESC or
        ElfRelocationType.R_X86_64_GOTPCRELX or ElfRelocationType.R_X86_64_REX_GOTPCRELX or ElfRelocationType.R_X86_64_PC16 or
        ElfRelocationType.R_X86_64_PC8;

    internal static bool ModifierAllows(SymbolModifier modifier, uint type, bool isBranch) => modifier switch
    {
        SymbolModifier.None => type is ElfRelocationType.R_X86_64_64 or ElfRelocationType.R_X86_64_PC32 or ElfRelocationType.R_X86_64_32
            or ElfRelocationType.R_X86_64_32S or ElfRelocationType.R_X86_64_16 or ElfRelocationType.R_X86_64_PC16
            or ElfRelocationType.R_X86_64_8 or ElfRelocationType.R_X86_64_PC8 or ElfRelocationType.R_X86_64_PC64
            || (isBranch && type == ElfRelocationType.R_X86_64_PLT32),
        SymbolModifier.Plt => type == ElfRelocationType.R_X86_64_PLT32,
        SymbolModifier.GotPcRel => type is ElfRelocationType.R_X86_64_GOTPCREL or ElfRelocationType.R_X86_64_GOTPCRELX
            or ElfRelocationType.R_X86_64_REX_GOTPCRELX or ElfRelocationType.R_X86_64_GOTPCREL64,
        SymbolModifier.Got => type is ElfRelocationType.R_X86_64_GOT32 or ElfRelocationType.R_X86_64_GOT64,
        SymbolModifier.GotOff => type == ElfRelocationType.R_X86_64_GOTOFF64,
        SymbolModifier.PltOff => type == ElfRelocationType.R_X86_64_PLTOFF64,
        SymbolModifier.GotPlt => type == ElfRelocationType.R_X86_64_GOTPLT64,
        SymbolModifier.TpOff => type is ElfRelocationType.R_X86_64_TPOFF32 or ElfRelocationType.R_X86_64_TPOFF64,
        SymbolModifier.GotTpOff => type == ElfRelocationType.R_X86_64_GOTTPOFF,
        SymbolModifier.TlsGd => type == ElfRelocationType.R_X86_64_TLSGD,
        SymbolModifier.TlsLd => type == ElfRelocationType.R_X86_64_TLSLD,
        SymbolModifier.DtpOff => type is ElfRelocationType.R_X86_64_DTPOFF32 or ElfRelocationType.R_X86_64_DTPOFF64,
        SymbolModifier.TlsDesc => type == ElfRelocationType.R_X86_64_GOTPC32_TLSDESC,
        _ => false,
    };

    /// <summary>An append-only array of exactly the expected size, so the common case hands it over without a copy.</summary>
    private sealed class InstructionBuffer(int capacity)
    {
        public AsmInstruction[] Buffer = new AsmInstruction[capacity];
        public int Count;

        public void Add(in AsmInstruction instruction)
        {
            if (Count == Buffer.Length) Array.Resize(ref Buffer, Math.Max(4, Buffer.Length * 2));
            Buffer[Count++] = instruction;
        }
    }

    /// <summary>An instruction's bytes (at most 15) packed with their length, for memoizing per-encoding checks.</summary>
    private readonly record struct BytesKey(ulong Low, ulong High)
    {
        public static BytesKey Of(ReadOnlySpan<byte> bytes)
        {
            Span<byte> buffer = stackalloc byte[16];
            bytes.CopyTo(buffer);
            buffer[15] = (byte)bytes.Length;
            return new BytesKey(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buffer),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(buffer[8..]));
        }
    }

    /// <summary>A CodeWriter over a fixed 16-byte buffer: instructions are at most 15 bytes.</summary>
    private sealed class BufferCodeWriter : CodeWriter
    {
        private readonly byte[] _buffer = new byte[16];
        private int _length;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public void Reset() => _length = 0;

        public override void WriteByte(byte value)
        {
            if (_length < _buffer.Length) _buffer[_length] = value;
            _length++;
        }
    }
}
