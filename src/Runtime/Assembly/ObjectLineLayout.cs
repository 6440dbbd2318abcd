using System.Runtime.InteropServices;
using Iced.Intel;

namespace CompilerLLM.Assembly;

/// <summary>
/// The offset and bytes of every instruction line, read from the object instead of from GAS's listing, which costs GAS
/// about four times the assembly itself. In each executable section a cursor moves over one decoded instruction per
/// instruction line; every label that is a symbol must sit exactly where the cursor is, and the last cursor of a
/// section must be its size. Two kinds of object:
/// <list type="bullet">
/// <item>assembled with local labels (<c>as -L</c>): every label pins the cursor, and lines whose size cannot be known
/// (verbatim lines, alignment) leave it unknown until the next label;</item>
/// <item>plain, as the build assembles it anyway (<see cref="Infer(AsmLine[], string, int[], ElfObject, Dictionary{string, int}, List{ElfSymbol}?, out string?)"/>
/// with a list for the labels): <c>.L</c> labels are not symbols, so every section's cursor starts at 0, alignment
/// padding is computed from the cursor (and its bytes checked: GAS's no-ops, or the fill), data directives of known
/// size move the cursor of data sections, and each local label is given the cursor's offset, as the symbol
/// <c>as -L</c> would have made.</item>
/// </list>
/// </summary>
/// <remarks>
/// Anything the layout cannot account for exactly (an instruction line with no known offset, an undecodable
/// instruction, a directive that may put bytes into code, a subsection, a label where the cursor is not) makes
/// <see cref="Infer(AsmLine[], string, int[], ElfObject, Dictionary{string, int}, out string?)"/> give up with a
/// reason; the reader then asks GAS for the object with local labels, or the listing. So the layout is either the
/// listing's or absent: with local labels, a label between any two instruction lines pins both, and one decoded
/// instruction per line that lands on every label means no line's bytes were given to another; in a plain object,
/// the function symbols and each section's size pin the cursor, and the padding between is what GAS emits. A data
/// section whose cursor does not land on its symbols or its size gives none of its labels (an instruction naming one
/// then makes the reader give up).
/// </remarks>
internal sealed class ObjectLineLayout : ILineBytes
{
    private readonly int[] _offset;
    private readonly byte[] _length;
    private readonly int[] _elf;
    private readonly byte[]?[] _data;

    private ObjectLineLayout(int[] offset, byte[] length, int[] elf, byte[]?[] data)
    {
        _offset = offset;
        _length = length;
        _elf = elf;
        _data = data;
    }

    public int OffsetOf(int line) => _offset[line];

    public ReadOnlySpan<byte> BytesOf(int line) =>
        _offset[line] < 0 ? default : _data[_elf[line]].AsSpan(_offset[line], _length[line]);

    /// <summary>The layout of <paramref name="lines"/> in an object assembled with local labels (<c>as -L</c>), or null with the reason it cannot be known exactly.</summary>
    public static ObjectLineLayout? Infer(AsmLine[] lines, string source, int[] sectionMap, ElfObject obj,
        Dictionary<string, int> symbols, out string? why) => Infer(lines, source, sectionMap, obj, symbols, null, out why);

    /// <summary>The layout of <paramref name="lines"/> in <paramref name="obj"/>, or null with the reason it cannot be known exactly.</summary>
    /// <param name="lines">The scanned lines.</param>
    /// <param name="source">The source text the lines index.</param>
    /// <param name="sectionMap">Source section index to ELF section index (-1 unmapped, -2 ambiguous).</param>
    /// <param name="obj">The object.</param>
    /// <param name="symbols">The object's symbols by name.</param>
    /// <param name="placedLabels">
    /// Null for an object assembled with local labels. For a plain object: receives every local (<c>.L</c>) label that is
    /// not a symbol of the object, at the offset the layout gives it, in its ELF section.
    /// </param>
    /// <param name="why">Why the layout could not be inferred.</param>
    public static ObjectLineLayout? Infer(AsmLine[] lines, string source, int[] sectionMap, ElfObject obj,
        Dictionary<string, int> symbols, List<ElfSymbol>? placedLabels, out string? why)
    {
        bool plain = placedLabels is not null;
        var offset = new int[lines.Length];
        var length = new byte[lines.Length];
        var elfOf = new int[lines.Length];
        Array.Fill(offset, -1);
        var data = new byte[]?[obj.Sections.Count];
        var decoders = new (Decoder Decoder, ByteArrayCodeReader Reader)?[obj.Sections.Count];
        var cursor = new long[obj.Sections.Count];
        Array.Fill(cursor, -1);
        // Plain object: a section's bytes start at 0 where its first line is; a data section whose layout turns out
        // wrong gives none of its labels.
        var seen = plain ? new bool[obj.Sections.Count] : null;
        var dataWrong = plain ? new bool[obj.Sections.Count] : null;
        var symbolLookup = symbols.GetAlternateLookup<ReadOnlySpan<char>>();
        List<(string Alias, string Name)>? aliases = null;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var kind = line.Kind;
            if (kind is LineKind.Blank or LineKind.Comment) continue;
            var text = source.AsSpan(line.Start, line.Length);
            if (plain && kind == LineKind.Directive && IsSymbolDirective(text))
            {
                if (LocalAlias(text, out var alias, out var aliased))
                {
                    // GCC names one constant twice (.set .LC9,.LC0): -L's table has the alias at the value it stands for.
                    (aliases ??= []).Add((alias.ToString(), aliased.ToString()));
                }
                else if (IsCommonDirective(text))
                {
                    // A local common symbol is allocated in .bss where it is declared: no cursor of a section without
                    // bytes (.bss) can be trusted after it.
                    for (int e = 1; e < cursor.Length; e++)
                        if (obj.Sections[e].Type == ElfConstants.SHT_NOBITS) cursor[e] = -1;
                }
                continue;
            }
            if (line.Section < 0)
            {
                // A subsection (or a section state we cannot follow): its bytes go somewhere later in the section.
                if (kind == LineKind.Directive && IsSectionDirective(text)) continue;
                why = $"line {i + 1} is in a section that cannot be followed";
                return null;
            }
            int elf = sectionMap[line.Section];
            if (elf <= 0)
            {
                if (kind is LineKind.Instruction or LineKind.Verbatim && elf == -2) continue; // ambiguous: modelled as verbatim anyway
                if (kind is LineKind.Instruction or LineKind.Verbatim) { why = $"line {i + 1} is in a section the object lacks"; return null; }
                continue;
            }
            var section = obj.Sections[elf];
            bool executable = (section.Flags & ElfConstants.SHF_EXECINSTR) != 0;
            if (plain && !seen![elf])
            {
                seen[elf] = true;
                cursor[elf] = 0;
            }
            switch (kind)
            {
                case LineKind.Label:
                    {
                        int start = GasLexer.SkipSpaces(text, 0);
                        var name = text.Slice(start, GasLexer.LabelLength(text[start..]));
                        if (!symbolLookup.TryGetValue(name, out int s))
                        {
                            // A local label of a plain object: where the cursor is, as -L's symbol would be. (Quoted or
                            // numeric labels: no pin, and no symbol of that name in -L's table either.)
                            if (plain && cursor[elf] >= 0 && name.StartsWith(".L"))
                                placedLabels!.Add(new ElfSymbol(name.ToString(), (ulong)cursor[elf], 0, ElfConstants.STT_NOTYPE,
                                    ElfConstants.STB_LOCAL, ElfConstants.STV_DEFAULT, (ushort)elf));
                            continue;
                        }
                        var sym = obj.Symbols[s];
                        if (sym.SectionIndex != elf)
                        {
                            if (!executable) continue;
                            why = $"label '{name}' at line {i + 1} is not in its section in the object";
                            return null;
                        }
                        if (!executable)
                        {
                            if (!plain) continue;
                            if (cursor[elf] >= 0 && (ulong)cursor[elf] != sym.Value) dataWrong![elf] = true;
                            cursor[elf] = (long)sym.Value;
                            continue;
                        }
                        if (cursor[elf] >= 0 && (ulong)cursor[elf] != sym.Value)
                        {
                            why = $"label '{name}' at line {i + 1} is at 0x{sym.Value:x}, the instructions before it end at 0x{cursor[elf]:x}";
                            return null;
                        }
                        cursor[elf] = (long)sym.Value;
                        continue;
                    }
                case LineKind.Directive:
                    if (!executable)
                    {
                        if (plain && cursor[elf] >= 0) cursor[elf] = AfterData(text, cursor[elf], section, ref data[elf]);
                        continue;
                    }
                    switch (DirectiveBytes(text))
                    {
                        case DirectiveKind.NoBytes: continue;
                        case DirectiveKind.Alignment:
                            // Padding: with local labels the next label says where code resumes; in a plain object the
                            // padding follows from the cursor and must be GAS's.
                            cursor[elf] = plain && cursor[elf] >= 0
                                ? AfterCodeAlignment(text, cursor[elf], data[elf] ??= BytesOfSection(section), decoders[elf] ??= NewDecoder(data[elf]!))
                                : -1;
                            continue;
                        default:
                            why = $"line {i + 1} is a directive that may put bytes into code";
                            return null;
                    }
                case LineKind.Verbatim:
                    if (executable || plain) cursor[elf] = -1; // its size is not known (prefix lines, inline assembly …)
                    continue;
                case LineKind.Instruction:
                    {
                        if (!executable) { why = $"line {i + 1} is an instruction outside code"; return null; }
                        long at = cursor[elf];
                        if (at < 0) { why = $"line {i + 1} is an instruction whose offset no label gives"; return null; }
                        var bytes = data[elf] ??= BytesOfSection(section);
                        if (at >= bytes.Length) { why = $"line {i + 1} is past the end of its section"; return null; }
                        var dec = decoders[elf] ??= NewDecoder(bytes);
                        dec.Reader.Position = (int)at;
                        dec.Decoder.IP = (ulong)at;
                        dec.Decoder.Decode(out var instruction);
                        if (instruction.IsInvalid) { why = $"line {i + 1}: Iced cannot decode the bytes at 0x{at:x}"; return null; }
                        offset[i] = (int)at;
                        length[i] = (byte)instruction.Length;
                        elfOf[i] = elf;
                        cursor[elf] = at + instruction.Length;
                        continue;
                    }
            }
        }
        for (int e = 1; e < cursor.Length; e++)
        {
            if (cursor[e] < 0 || (ulong)cursor[e] == obj.Sections[e].Size) continue;
            if ((obj.Sections[e].Flags & ElfConstants.SHF_EXECINSTR) == 0)
            {
                if (plain) dataWrong![e] = true;
                continue;
            }
            why = $"the instructions of {obj.Sections[e].Name} end at 0x{cursor[e]:x}, the section at 0x{obj.Sections[e].Size:x}";
            return null;
        }
        if (plain)
        {
            placedLabels!.RemoveAll(label => dataWrong![label.SectionIndex]);
            if (aliases is not null) PlaceAliases(aliases, obj, symbols, placedLabels);
        }
        why = null;
        return new ObjectLineLayout(offset, length, elfOf, data);
    }

    private static byte[] BytesOfSection(ElfSection section) =>
        MemoryMarshal.TryGetArray(section.Data, out var seg) && seg.Offset == 0 && seg.Count == seg.Array!.Length
            ? seg.Array : section.Data.ToArray();

    private static (Decoder, ByteArrayCodeReader) NewDecoder(byte[] bytes)
    {
        var reader = new ByteArrayCodeReader(bytes);
        return (Decoder.Create(64, reader, DecoderOptions.None), reader);
    }

    private enum DirectiveKind { NoBytes, Alignment, MayEmit }

    private static bool IsSectionDirective(ReadOnlySpan<char> text)
    {
        var stmt = text[GasLexer.SkipSpaces(text, 0)..];
        var word = stmt[..GasLexer.WordLength(stmt)];
        return word is ".text" or ".data" or ".bss" or ".section" or ".pushsection" or ".popsection" or ".previous" or ".subsection";
    }

    /// <summary>A directive that defines a symbol without bytes in the current section (<c>.set</c>, <c>.equ</c>, <c>.comm</c>, <c>.lcomm</c>): a quick test of the word.</summary>
    private static bool IsSymbolDirective(ReadOnlySpan<char> text)
    {
        int start = GasLexer.SkipSpaces(text, 0);
        if (text.Length - start < 4) return false;
        if (text.Slice(start, 4) is not (".set" or ".equ" or ".com" or ".lco")) return false;
        return IsCommonDirective(text) || LocalAliasWord(text);
    }

    private static bool LocalAliasWord(ReadOnlySpan<char> text)
    {
        var stmt = text[GasLexer.SkipSpaces(text, 0)..];
        return stmt[..GasLexer.WordLength(stmt)] is ".set" or ".equ";
    }

    /// <summary><c>.set .Lname, name</c> (or <c>.equ</c>): a local name for another symbol, nothing else.</summary>
    private static bool LocalAlias(ReadOnlySpan<char> text, out ReadOnlySpan<char> alias, out ReadOnlySpan<char> aliased)
    {
        alias = aliased = default;
        var word = Split(text, out var args);
        if (word is not (".set" or ".equ")) return false;
        int comma = args.IndexOf(',');
        if (comma < 0) return false;
        alias = args[..comma].Trim();
        aliased = args[(comma + 1)..].Trim();
        return alias.StartsWith(".L") && IsIdentifier(alias) && IsIdentifier(aliased);
    }

    private static bool IsIdentifier(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !GasLexer.IsIdentifierStart(name[0])) return false;
        foreach (char c in name)
            if (!GasLexer.IsIdentifierPart(c)) return false;
        return true;
    }

    /// <summary>
    /// Each local alias whose target is defined (a symbol of the object or a placed label) becomes a placed label at the
    /// target's value and section, as in <c>-L</c>'s table; an alias of anything else is left out (a use then gives up).
    /// </summary>
    private static void PlaceAliases(List<(string Alias, string Name)> aliases, ElfObject obj, Dictionary<string, int> symbols, List<ElfSymbol> placed)
    {
        var known = new Dictionary<string, ElfSymbol>(StringComparer.Ordinal);
        foreach (var label in placed) known.TryAdd(label.Name, label);
        // An alias of an alias resolves once its target has: a few passes settle any chain GCC writes.
        for (int pass = 0; pass < 4; pass++)
        {
            bool progress = false;
            foreach (var (alias, name) in aliases)
            {
                if (known.ContainsKey(alias) || symbols.ContainsKey(alias)) continue;
                ElfSymbol target;
                if (known.TryGetValue(name, out var label)) target = label;
                else if (symbols.TryGetValue(name, out int s) && obj.Symbols[s].SectionIndex is > 0 and < ElfConstants.SHN_LORESERVE)
                    target = obj.Symbols[s];
                else continue;
                var symbol = new ElfSymbol(alias, target.Value, 0, ElfConstants.STT_NOTYPE, ElfConstants.STB_LOCAL, ElfConstants.STV_DEFAULT, target.SectionIndex);
                known[alias] = symbol;
                placed.Add(symbol);
                progress = true;
            }
            if (!progress) return;
        }
    }

    private static bool IsCommonDirective(ReadOnlySpan<char> text)
    {
        var stmt = text[GasLexer.SkipSpaces(text, 0)..];
        var word = stmt[..GasLexer.WordLength(stmt)];
        return word is ".comm" or ".lcomm";
    }

    /// <summary>What a directive in code does to the offsets: GCC's bookkeeping directives emit nothing into the section.</summary>
    private static DirectiveKind DirectiveBytes(ReadOnlySpan<char> text)
    {
        var stmt = text[GasLexer.SkipSpaces(text, 0)..];
        var word = stmt[..GasLexer.WordLength(stmt)];
        if (word.StartsWith(".cfi_")) return DirectiveKind.NoBytes;
        return word switch
        {
            ".p2align" or ".balign" or ".align" => DirectiveKind.Alignment,
            ".globl" or ".global" or ".local" or ".weak" or ".hidden" or ".protected" or ".internal" or ".type" or ".size"
                or ".file" or ".loc" or ".ident" or ".set" or ".equ" or ".symver" or ".weakref" or ".comm" or ".lcomm"
                or ".text" or ".data" or ".bss" or ".section" or ".pushsection" or ".popsection" or ".previous"
                => DirectiveKind.NoBytes,
            _ => DirectiveKind.MayEmit,
        };
    }

    /// <summary>A directive's word and its arguments (without a trailing comment).</summary>
    private static ReadOnlySpan<char> Split(ReadOnlySpan<char> text, out ReadOnlySpan<char> args)
    {
        var stmt = text[GasLexer.SkipSpaces(text, 0)..];
        stmt = stmt[..GasLexer.StatementLength(stmt)];
        int wordLength = GasLexer.WordLength(stmt);
        args = stmt[wordLength..].Trim();
        return stmt[..wordLength];
    }

    /// <summary>
    /// The cursor after an alignment directive in code, or -1 when the padding is not known exactly or its bytes are not
    /// what GAS puts there: no-ops when no fill is given (the x86 assembler's choice for code), else the fill byte.
    /// </summary>
    private static long AfterCodeAlignment(ReadOnlySpan<char> text, long at, byte[] bytes, (Decoder Decoder, ByteArrayCodeReader Reader) dec)
    {
        var word = Split(text, out var args);
        if (!TryAlignment(word, args, out long pad, at, out long fill)) return -1;
        long end = at + pad;
        if (end > bytes.Length) return -1;
        if (fill >= 0)
        {
            for (long p = at; p < end; p++)
                if (bytes[p] != (byte)fill) return -1;
            return end;
        }
        for (long p = at; p < end;)
        {
            dec.Reader.Position = (int)p;
            dec.Decoder.IP = (ulong)p;
            dec.Decoder.Decode(out var nop);
            if (nop.IsInvalid || nop.Mnemonic != Mnemonic.Nop || p + nop.Length > end) return -1;
            p += nop.Length;
        }
        return end;
    }

    /// <summary>
    /// The padding an alignment directive puts at <paramref name="at"/>, by GAS's rules for x86 ELF: <c>.p2align p</c>
    /// aligns to 2^p bytes, <c>.balign n</c> and <c>.align n</c> to n bytes; a third argument is the most padding allowed
    /// (more needed: none at all). <paramref name="fill"/> is the fill byte, or -1 when none is written. False when an
    /// argument is not a plain number.
    /// </summary>
    private static bool TryAlignment(ReadOnlySpan<char> word, ReadOnlySpan<char> args, out long pad, long at, out long fill)
    {
        pad = 0;
        fill = -1;
        Span<Range> parts = stackalloc Range[4];
        int n = args.Split(parts, ',');
        if (n is < 1 or > 3 || !TryNumber(args[parts[0]], out long value)) return false;
        long alignment;
        if (word is ".p2align")
        {
            if (value is < 0 or > 30) return false;
            alignment = 1L << (int)value;
        }
        else
        {
            if (value <= 0 || (value & (value - 1)) != 0 || value > 1L << 30) return false;
            alignment = value;
        }
        if (n >= 2 && !args[parts[1]].Trim().IsEmpty && !TryNumber(args[parts[1]], out fill)) return false;
        long max = long.MaxValue;
        if (n == 3 && (!TryNumber(args[parts[2]], out max) || max <= 0)) return false;
        pad = (alignment - (at & (alignment - 1))) & (alignment - 1);
        if (pad > max) pad = 0;
        return true;
    }

    /// <summary>
    /// The cursor of a data section after a directive: moved by the bytes it emits when they are known from its text
    /// (integers by count, <c>.zero</c>, strings, alignment), unchanged for bookkeeping, else -1.
    /// </summary>
    private static long AfterData(ReadOnlySpan<char> text, long at, ElfSection section, ref byte[]? data)
    {
        var word = Split(text, out var args);
        if (word.StartsWith(".cfi_")) return at;
        int size = word switch
        {
            ".byte" => 1,
            ".value" or ".short" or ".2byte" or ".word" => 2,
            ".long" or ".int" or ".4byte" => 4,
            ".quad" or ".8byte" => 8,
            _ => 0,
        };
        if (size > 0)
        {
            int count = CountOperands(args);
            return count > 0 ? at + (long)count * size : -1;
        }
        switch (word)
        {
            case ".p2align" or ".balign" or ".align":
                return TryAlignment(word, args, out long pad, at, out _) ? at + pad : -1;
            case ".zero" or ".skip" or ".space":
                {
                    int comma = args.IndexOf(',');
                    return TryNumber(comma < 0 ? args : args[..comma], out long n) && n >= 0 ? at + n : -1;
                }
            case ".string" or ".asciz" or ".ascii":
                {
                    if (section.Type == ElfConstants.SHT_NOBITS) return -1;
                    data ??= BytesOfSection(section);
                    long end = AfterStrings(args, word is not ".ascii", data, at);
                    return end;
                }
            case ".globl" or ".global" or ".local" or ".weak" or ".hidden" or ".protected" or ".internal" or ".type" or ".size"
                or ".file" or ".loc" or ".ident" or ".set" or ".equ" or ".symver" or ".weakref"
                or ".text" or ".data" or ".bss" or ".section" or ".pushsection" or ".popsection" or ".previous":
                return at;
            default:
                return -1;
        }
    }

    /// <summary>Operands of a data directive: commas outside parentheses and quotes, plus one; 0 when there are none or the text is odd.</summary>
    private static int CountOperands(ReadOnlySpan<char> args)
    {
        if (args.IsEmpty) return 0;
        int count = 1, depth = 0;
        foreach (char c in args)
        {
            if (c is '"' or '\'' or ';') return 0;
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) count++;
        }
        return depth == 0 ? count : 0;
    }

    /// <summary>
    /// The cursor after string literals (with GAS's escapes: \b \f \n \r \t \\ \" octal \ddd, hex \xhh…), each with a
    /// terminating zero when <paramref name="terminated"/>; -1 unless the object holds exactly those bytes there.
    /// </summary>
    private static long AfterStrings(ReadOnlySpan<char> args, bool terminated, byte[] data, long at)
    {
        long p = at;
        int i = 0;
        bool any = false;
        while (true)
        {
            while (i < args.Length && char.IsWhiteSpace(args[i])) i++;
            if (i >= args.Length || args[i] != '"') return -1;
            i++;
            while (true)
            {
                if (i >= args.Length) return -1;
                char c = args[i++];
                if (c == '"') break;
                int b;
                if (c != '\\') b = c;
                else
                {
                    if (i >= args.Length) return -1;
                    char e = args[i++];
                    switch (e)
                    {
                        case 'b': b = 8; break;
                        case 'f': b = 12; break;
                        case 'n': b = 10; break;
                        case 'r': b = 13; break;
                        case 't': b = 9; break;
                        case '\\': b = '\\'; break;
                        case '"': b = '"'; break;
                        case >= '0' and <= '7':
                            b = e - '0';
                            for (int k = 0; k < 2 && i < args.Length && args[i] is >= '0' and <= '7'; k++) b = b * 8 + (args[i++] - '0');
                            break;
                        case 'x' or 'X':
                            {
                                int digits = 0;
                                b = 0;
                                while (i < args.Length && char.IsAsciiHexDigit(args[i]))
                                {
                                    b = (b << 4 | HexValue(args[i++])) & 0xff;
                                    digits++;
                                }
                                if (digits == 0) return -1;
                                break;
                            }
                        default: return -1; // GAS warns and keeps the character: not worth modelling
                    }
                }
                if (b > 0x7f && c != '\\') return -1; // a non-ASCII character: its UTF-8 bytes, not modelled
                if (p >= data.Length || data[p] != (byte)b) return -1;
                p++;
            }
            if (terminated)
            {
                if (p >= data.Length || data[p] != 0) return -1;
                p++;
            }
            any = true;
            while (i < args.Length && char.IsWhiteSpace(args[i])) i++;
            if (i == args.Length) return any ? p : -1;
            if (args[i] != ',') return -1;
            i++;
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>A plain integer as GAS reads it: decimal, or 0x hexadecimal (a leading 0 is octal: not read), optionally negative.</summary>
    private static bool TryNumber(ReadOnlySpan<char> text, out long value)
    {
        text = text.Trim();
        bool negative = text.StartsWith("-");
        if (negative) text = text[1..];
        bool ok;
        if (text.StartsWith("0x") || text.StartsWith("0X"))
            ok = long.TryParse(text[2..], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out value) && text.Length > 2;
        else if (text.Length > 1 && text[0] == '0') { value = 0; return false; }
        else
            ok = long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
        if (negative) value = -value;
        return ok;
    }
}
