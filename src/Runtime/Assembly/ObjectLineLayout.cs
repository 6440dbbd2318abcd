using System.Runtime.InteropServices;
using Iced.Intel;

namespace CompilerLLM.Assembly;

/// <summary>
/// The offset and bytes of every instruction line, read from an object assembled with local labels (<c>as -L</c>)
/// instead of from GAS's listing, which costs GAS about four times the assembly itself. In each executable section
/// a cursor starts at a label's symbol value and moves over one decoded instruction per instruction line; every
/// label on the way must sit exactly where the cursor is, and the last cursor of a section must be its size. Lines
/// whose size cannot be known (verbatim lines, alignment) leave the cursor unknown until the next label.
/// </summary>
/// <remarks>
/// Anything the layout cannot account for exactly (an instruction line with no known offset, an undecodable
/// instruction, a directive that may put bytes into code, a subsection, a label where the cursor is not) makes
/// <see cref="Infer"/> give up with a reason; the reader then asks GAS for the listing. So the layout is either the
/// listing's or absent: a label between any two instruction lines pins both, and one decoded instruction per line
/// that lands on every label means no line's bytes were given to another.
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

    /// <summary>The layout of <paramref name="lines"/> in <paramref name="obj"/>, or null with the reason it cannot be known exactly.</summary>
    /// <param name="lines">The scanned lines.</param>
    /// <param name="source">The source text the lines index.</param>
    /// <param name="sectionMap">Source section index to ELF section index (-1 unmapped, -2 ambiguous).</param>
    /// <param name="obj">The object, assembled with local labels kept.</param>
    /// <param name="symbols">The object's symbols by name.</param>
    /// <param name="why">Why the layout could not be inferred.</param>
    public static ObjectLineLayout? Infer(AsmLine[] lines, string source, int[] sectionMap, ElfObject obj,
        Dictionary<string, int> symbols, out string? why)
    {
        var offset = new int[lines.Length];
        var length = new byte[lines.Length];
        var elfOf = new int[lines.Length];
        Array.Fill(offset, -1);
        var data = new byte[]?[obj.Sections.Count];
        var decoders = new (Decoder Decoder, ByteArrayCodeReader Reader)?[obj.Sections.Count];
        var cursor = new long[obj.Sections.Count];
        Array.Fill(cursor, -1);
        var symbolLookup = symbols.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var kind = line.Kind;
            if (kind is LineKind.Blank or LineKind.Comment) continue;
            var text = source.AsSpan(line.Start, line.Length);
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
            bool executable = (section.Flags & 0x4) != 0;
            switch (kind)
            {
                case LineKind.Label:
                    {
                        int start = GasLexer.SkipSpaces(text, 0);
                        var name = text.Slice(start, GasLexer.LabelLength(text[start..]));
                        if (!symbolLookup.TryGetValue(name, out int s)) continue; // (quoted or numeric labels: no pin)
                        var sym = obj.Symbols[s];
                        if (sym.SectionIndex != elf)
                        {
                            if (!executable) continue;
                            why = $"label '{name}' at line {i + 1} is not in its section in the object";
                            return null;
                        }
                        if (!executable) continue;
                        if (cursor[elf] >= 0 && (ulong)cursor[elf] != sym.Value)
                        {
                            why = $"label '{name}' at line {i + 1} is at 0x{sym.Value:x}, the instructions before it end at 0x{cursor[elf]:x}";
                            return null;
                        }
                        cursor[elf] = (long)sym.Value;
                        continue;
                    }
                case LineKind.Directive:
                    if (!executable) continue;
                    switch (DirectiveBytes(text))
                    {
                        case DirectiveKind.NoBytes: continue;
                        case DirectiveKind.Alignment: cursor[elf] = -1; continue; // padding: the next label says where code resumes
                        default:
                            why = $"line {i + 1} is a directive that may put bytes into code";
                            return null;
                    }
                case LineKind.Verbatim:
                    if (executable) cursor[elf] = -1; // its size is not known (prefix lines, inline assembly …)
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
            if (cursor[e] >= 0 && (ulong)cursor[e] != obj.Sections[e].Size)
            {
                why = $"the instructions of {obj.Sections[e].Name} end at 0x{cursor[e]:x}, the section at 0x{obj.Sections[e].Size:x}";
                return null;
            }
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
}
