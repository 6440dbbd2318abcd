using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.Text;

namespace CompilerLLM.Assembly;

/// <summary>
/// A read-only view of an x86-64 ELF64 little-endian object file (typically an <c>ET_REL</c> produced by GNU
/// <c>as</c>). Section contents are exposed as slices of the original image, so reading does not copy data.
/// Relocations are decoded lazily, per target section, on first request.
/// </summary>
public sealed class ElfObject
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const int RelaSize = 24;
    private const int RelSize = 16;

    private readonly byte[] _image;
    private readonly ElfSection[] _sections;
    private readonly ElfSymbol[] _symbols;
    private readonly int[]? _extendedSymbolSections;   // resolved st_shndx, only when SHT_SYMTAB_SHNDX is present
    private readonly ElfRelocation[]?[] _relocationCache;

    private ElfObject(byte[] image, ushort fileType, ElfSection[] sections, ElfSymbol[] symbols, int[]? extendedSymbolSections)
    {
        _image = image;
        FileType = fileType;
        _sections = sections;
        _symbols = symbols;
        _extendedSymbolSections = extendedSymbolSections;
        _relocationCache = new ElfRelocation[]?[sections.Length];
        Sections = new ReadOnlyCollection<ElfSection>(sections);
        Symbols = new ReadOnlyCollection<ElfSymbol>(symbols);
    }

    /// <summary>The raw file image this object was read from.</summary>
    public ReadOnlyMemory<byte> Image => _image;

    /// <summary><c>e_type</c>: 1 = ET_REL, 2 = ET_EXEC, 3 = ET_DYN.</summary>
    public ushort FileType { get; }

    /// <summary>All sections in header order; index 0 is the null section.</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The <c>.symtab</c> entries (index 0 is the null symbol); empty when the object has no symbol table.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    public static ElfObject Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] image = File.ReadAllBytes(path);
        try
        {
            return Read(image);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Parses an ELF64 x86-64 image. The array is retained (not copied) and must not be modified afterwards.</summary>
    /// <exception cref="InvalidDataException">The image is not a well-formed little-endian ELF64 x86-64 file.</exception>
    public static ElfObject Read(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ReadOnlySpan<byte> span = image;

        if (span.Length < 4 || span[0] != 0x7F || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file (bad magic number).");
        if (span.Length < HeaderSize)
            throw new InvalidDataException($"Truncated ELF file: the ELF64 header needs {HeaderSize} bytes but the image has {span.Length}.");
        if (span[4] != 2)
            throw new InvalidDataException($"Unsupported ELF class {span[4]}: only ELF64 (2) is supported.");
        if (span[5] != 1)
            throw new InvalidDataException($"Unsupported ELF data encoding {span[5]}: only little-endian (1) is supported.");
        if (span[6] != 1)
            throw new InvalidDataException($"Unsupported ELF identification version {span[6]}.");

        ushort fileType = U16(span, 0x10);
        ushort machine = U16(span, 0x12);
        if (machine != ElfConstants.EM_X86_64)
            throw new InvalidDataException($"Unsupported ELF machine {machine}: only x86-64 ({ElfConstants.EM_X86_64}) is supported.");

        ulong shoff = U64(span, 0x28);
        ushort ehsize = U16(span, 0x34);
        ushort shentsize = U16(span, 0x3A);
        ulong shnum = U16(span, 0x3C);
        uint shstrndx = U16(span, 0x3E);
        if (ehsize < HeaderSize)
            throw new InvalidDataException($"Invalid ELF header size {ehsize}.");

        if (shoff == 0)
        {
            // No section header table at all.
            return new ElfObject(image, fileType, [], [], null);
        }
        if (shentsize != SectionHeaderSize)
            throw new InvalidDataException($"Invalid section header entry size {shentsize} (expected {SectionHeaderSize}).");
        if (shoff > (ulong)span.Length || (ulong)span.Length - shoff < SectionHeaderSize)
            throw new InvalidDataException($"Truncated ELF file: section header table at 0x{shoff:x} lies outside the {span.Length}-byte image.");

        // Extended numbering: e_shnum == 0 / e_shstrndx == SHN_XINDEX defer to section 0's sh_size / sh_link.
        if (shnum == 0)
            shnum = U64(span, (int)shoff + 0x20);
        if (shstrndx == ElfConstants.SHN_XINDEX)
            shstrndx = U32(span, (int)shoff + 0x28);

        if (shnum > ((ulong)span.Length - shoff) / SectionHeaderSize)
            throw new InvalidDataException($"Truncated ELF file: {shnum} section headers at 0x{shoff:x} do not fit in the {span.Length}-byte image.");
        int count = (int)shnum;
        if (shstrndx != 0 && shstrndx >= (uint)count)
            throw new InvalidDataException($"Section name string table index {shstrndx} is out of range (section count {count}).");

        // Pass 1: raw headers and data bounds.
        var raw = new RawSection[count];
        for (int i = 0; i < count; i++)
        {
            int h = (int)shoff + i * SectionHeaderSize;
            ref RawSection r = ref raw[i];
            r.NameOffset = U32(span, h);
            r.Type = U32(span, h + 0x04);
            r.Flags = U64(span, h + 0x08);
            r.Address = U64(span, h + 0x10);
            r.Offset = U64(span, h + 0x18);
            r.Size = U64(span, h + 0x20);
            r.Link = U32(span, h + 0x28);
            r.Info = U32(span, h + 0x2C);
            r.Alignment = U64(span, h + 0x30);
            r.EntrySize = U64(span, h + 0x38);
            if (i != 0 && r.Type != ElfConstants.SHT_NOBITS && r.Type != ElfConstants.SHT_NULL)
            {
                if (r.Offset > (ulong)span.Length || r.Size > (ulong)span.Length - r.Offset)
                    throw new InvalidDataException(
                        $"Truncated ELF file: section {i} data [0x{r.Offset:x}, +0x{r.Size:x}) lies outside the {span.Length}-byte image.");
            }
        }

        ReadOnlySpan<byte> shstrtab = shstrndx == 0 ? default : SectionSpan(span, raw[shstrndx]);
        var sections = new ElfSection[count];
        for (int i = 0; i < count; i++)
        {
            ref RawSection r = ref raw[i];
            string name = i == 0 && r.NameOffset == 0 ? string.Empty : ReadString(shstrtab, r.NameOffset, "section name");
            ReadOnlyMemory<byte> data = i == 0 || r.Type is ElfConstants.SHT_NOBITS or ElfConstants.SHT_NULL
                ? ReadOnlyMemory<byte>.Empty
                : new ReadOnlyMemory<byte>(image, (int)r.Offset, (int)r.Size);
            sections[i] = new ElfSection(i, name, r.Type, r.Flags, r.Address, r.Offset, r.Size, r.Alignment, r.Link, r.Info, r.EntrySize, data);

            if (r.Type is ElfConstants.SHT_RELA or ElfConstants.SHT_REL)
            {
                int entry = r.Type == ElfConstants.SHT_RELA ? RelaSize : RelSize;
                if (r.EntrySize != 0 && r.EntrySize != (ulong)entry)
                    throw new InvalidDataException($"Relocation section {name} has entry size {r.EntrySize} (expected {entry}).");
                if (r.Size % (ulong)entry != 0)
                    throw new InvalidDataException($"Relocation section {name} size {r.Size} is not a multiple of {entry}.");
                if (r.Info >= (uint)count)
                    throw new InvalidDataException($"Relocation section {name} targets section {r.Info}, which does not exist.");
            }
        }

        // Symbol table (the first SHT_SYMTAB), plus its SHT_SYMTAB_SHNDX companion if any.
        ElfSymbol[] symbols = [];
        int[]? extended = null;
        int symtabIndex = Array.FindIndex(raw, static r => r.Type == ElfConstants.SHT_SYMTAB);
        if (symtabIndex > 0)
        {
            symbols = ReadSymbols(span, raw, sections, symtabIndex, out extended);
        }

        // Section groups.
        for (int g = 1; g < count; g++)
        {
            if (raw[g].Type != ElfConstants.SHT_GROUP)
                continue;
            ElfSection group = sections[g];
            ReadOnlySpan<byte> gd = group.Data.Span;
            if (gd.Length < 4 || gd.Length % 4 != 0)
                throw new InvalidDataException($"Group section {g} ({group.Name}) has invalid size {gd.Length}.");

            string signature;
            if ((int)group.Link == symtabIndex && symtabIndex > 0)
            {
                if (group.Info >= (uint)symbols.Length)
                    throw new InvalidDataException($"Group section {g} signature symbol {group.Info} is out of range.");
                signature = symbols[group.Info].Name;
            }
            else
            {
                signature = ReadForeignSymbolName(span, raw, sections, group.Link, group.Info, g);
            }

            var members = new int[gd.Length / 4 - 1];
            for (int m = 0; m < members.Length; m++)
            {
                uint idx = BinaryPrimitives.ReadUInt32LittleEndian(gd.Slice(4 + 4 * m));
                if (idx == 0 || idx >= (uint)count)
                    throw new InvalidDataException($"Group section {g} ({signature}) lists invalid member section {idx}.");
                members[m] = (int)idx;
                sections[idx].GroupSignature ??= signature;
            }
            group.SetGroup(signature, BinaryPrimitives.ReadUInt32LittleEndian(gd), members);
        }

        return new ElfObject(image, fileType, sections, symbols, extended);
    }

    /// <summary>The first section with the given name, or null.</summary>
    public ElfSection? FindSection(string name)
    {
        foreach (ElfSection s in _sections)
        {
            if (string.Equals(s.Name, name, StringComparison.Ordinal))
                return s;
        }
        return null;
    }

    /// <summary>The first non-section symbol with the given name, or null.</summary>
    public ElfSymbol? FindSymbol(string name)
    {
        ElfSymbol[] symbols = _symbols;
        for (int i = 1; i < symbols.Length; i++)
        {
            if (!symbols[i].IsSection && string.Equals(symbols[i].Name, name, StringComparison.Ordinal))
                return symbols[i];
        }
        return null;
    }

    /// <summary>
    /// The section index of symbol <paramref name="symbolIndex"/>, resolving <c>SHN_XINDEX</c> through
    /// <c>SHT_SYMTAB_SHNDX</c>. Special values (<c>SHN_UNDEF</c>, <c>SHN_ABS</c>, <c>SHN_COMMON</c>) are returned as is.
    /// </summary>
    public int SymbolSectionIndex(int symbolIndex)
    {
        if ((uint)symbolIndex >= (uint)_symbols.Length)
            throw new ArgumentOutOfRangeException(nameof(symbolIndex));
        return _extendedSymbolSections is { } ext ? ext[symbolIndex] : _symbols[symbolIndex].SectionIndex;
    }

    /// <summary>The section a symbol is defined in, or null for undefined/absolute/common symbols.</summary>
    public ElfSection? SectionOfSymbol(int symbolIndex)
    {
        int idx = SymbolSectionIndex(symbolIndex);
        return IsRealSectionIndex(idx, _sections.Length) ? _sections[idx] : null;
    }

    /// <summary>
    /// Relocations applying to <paramref name="target"/> (from every SHT_RELA/SHT_REL section whose <c>sh_info</c> is the
    /// target's index), stably sorted by offset. Empty if there are none. REL entries get addend 0.
    /// </summary>
    public IReadOnlyList<ElfRelocation> RelocationsFor(ElfSection target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if ((uint)target.Index >= (uint)_sections.Length || !ReferenceEquals(_sections[target.Index], target))
            throw new ArgumentException("The section does not belong to this object.", nameof(target));
        return _relocationCache[target.Index] ??= DecodeRelocations(target.Index);
    }

    private ElfRelocation[] DecodeRelocations(int targetIndex)
    {
        int total = 0;
        foreach (ElfSection s in _sections)
        {
            if (s.Index != 0 && s.Info == (uint)targetIndex && s.Type is ElfConstants.SHT_RELA or ElfConstants.SHT_REL)
                total += (int)(s.Size / (ulong)(s.Type == ElfConstants.SHT_RELA ? RelaSize : RelSize));
        }
        if (total == 0)
            return [];

        var result = new ElfRelocation[total];
        int n = 0;
        foreach (ElfSection s in _sections)
        {
            if (s.Index == 0 || s.Info != (uint)targetIndex || s.Type is not (ElfConstants.SHT_RELA or ElfConstants.SHT_REL))
                continue;
            bool rela = s.Type == ElfConstants.SHT_RELA;
            int entry = rela ? RelaSize : RelSize;
            ReadOnlySpan<byte> d = s.Data.Span;
            for (int p = 0; p + entry <= d.Length; p += entry)
            {
                ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(d.Slice(p));
                ulong info = BinaryPrimitives.ReadUInt64LittleEndian(d.Slice(p + 8));
                long addend = rela ? BinaryPrimitives.ReadInt64LittleEndian(d.Slice(p + 16)) : 0;
                uint sym = (uint)(info >> 32);
                if (sym != 0 && (int)s.Link == SymtabIndex && sym >= (uint)_symbols.Length)
                    throw new InvalidDataException($"Relocation in {s.Name} at 0x{offset:x} references symbol {sym}, which does not exist.");
                result[n++] = new ElfRelocation(offset, (uint)info, sym, addend);
            }
        }

        // Assemblers emit relocations in offset order; only sort (stably) when needed.
        bool sorted = true;
        for (int i = 1; i < result.Length && sorted; i++)
            sorted = result[i - 1].Offset <= result[i].Offset;
        if (!sorted)
        {
            var keys = new (ulong Offset, int Order)[result.Length];
            for (int i = 0; i < keys.Length; i++)
                keys[i] = (result[i].Offset, i);
            Array.Sort(keys, result);
        }
        return result;
    }

    private int SymtabIndex
    {
        get
        {
            foreach (ElfSection s in _sections)
            {
                if (s.Type == ElfConstants.SHT_SYMTAB)
                    return s.Index;
            }
            return -1;
        }
    }

    public static bool IsRealSectionIndex(int index, int sectionCount) =>
        index > 0 && index < sectionCount && (index < ElfConstants.SHN_LORESERVE || index > 0xFFFF);

    private static ElfSymbol[] ReadSymbols(ReadOnlySpan<byte> span, RawSection[] raw, ElfSection[] sections, int symtabIndex, out int[]? extended)
    {
        ref RawSection st = ref raw[symtabIndex];
        string tableName = sections[symtabIndex].Name;
        if (st.EntrySize != 0 && st.EntrySize != SymbolSize)
            throw new InvalidDataException($"Symbol table {tableName} has entry size {st.EntrySize} (expected {SymbolSize}).");
        if (st.Size % SymbolSize != 0)
            throw new InvalidDataException($"Symbol table {tableName} size {st.Size} is not a multiple of {SymbolSize}.");
        if (st.Link == 0 || st.Link >= (uint)raw.Length || raw[st.Link].Type != ElfConstants.SHT_STRTAB)
            throw new InvalidDataException($"Symbol table {tableName} links to section {st.Link}, which is not a string table.");

        ReadOnlySpan<byte> data = SectionSpan(span, st);
        ReadOnlySpan<byte> strtab = SectionSpan(span, raw[st.Link]);
        int n = data.Length / SymbolSize;

        // SHT_SYMTAB_SHNDX linked to this symbol table, if present.
        ReadOnlySpan<byte> shndxTable = default;
        bool hasShndx = false;
        for (int i = 1; i < raw.Length; i++)
        {
            if (raw[i].Type == ElfConstants.SHT_SYMTAB_SHNDX && raw[i].Link == (uint)symtabIndex)
            {
                shndxTable = SectionSpan(span, raw[i]);
                hasShndx = true;
                break;
            }
        }
        extended = hasShndx ? new int[n] : null;

        var symbols = new ElfSymbol[n];
        var nameCache = new Dictionary<uint, string>();
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> e = data.Slice(i * SymbolSize, SymbolSize);
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(e);
            byte info = e[4];
            byte other = e[5];
            ushort shndx = BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(6));
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(16));
            byte type = (byte)(info & 0xF);

            int resolved = shndx;
            if (shndx == ElfConstants.SHN_XINDEX && hasShndx)
            {
                if ((i + 1) * 4 > shndxTable.Length)
                    throw new InvalidDataException($"Extended section index table is too short for symbol {i}.");
                resolved = (int)BinaryPrimitives.ReadUInt32LittleEndian(shndxTable.Slice(i * 4));
            }
            if (extended is not null)
                extended[i] = resolved;

            string name;
            if (type == ElfConstants.STT_SECTION && IsRealSectionIndex(resolved, sections.Length))
            {
                name = sections[resolved].Name;
            }
            else if (nameOffset == 0)
            {
                name = string.Empty;
            }
            else if (!nameCache.TryGetValue(nameOffset, out name!))
            {
                name = ReadString(strtab, nameOffset, "symbol name");
                nameCache.Add(nameOffset, name);
            }

            symbols[i] = new ElfSymbol(name, value, size, type, (byte)(info >> 4), (byte)(other & 3), shndx);
        }
        return symbols;
    }

    private static string ReadForeignSymbolName(ReadOnlySpan<byte> span, RawSection[] raw, ElfSection[] sections, uint symtab, uint index, int group)
    {
        if (symtab == 0 || symtab >= (uint)raw.Length || raw[symtab].Type is not (ElfConstants.SHT_SYMTAB or ElfConstants.SHT_DYNSYM))
            throw new InvalidDataException($"Group section {group} links to section {symtab}, which is not a symbol table.");
        ReadOnlySpan<byte> data = SectionSpan(span, raw[symtab]);
        if ((ulong)index * SymbolSize + SymbolSize > (ulong)data.Length)
            throw new InvalidDataException($"Group section {group} signature symbol {index} is out of range.");
        ReadOnlySpan<byte> e = data.Slice((int)index * SymbolSize, SymbolSize);
        ushort shndx = BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(6));
        if ((e[4] & 0xF) == ElfConstants.STT_SECTION && IsRealSectionIndex(shndx, sections.Length))
            return sections[shndx].Name;
        uint link = raw[symtab].Link;
        if (link == 0 || link >= (uint)raw.Length)
            throw new InvalidDataException($"Symbol table {symtab} links to invalid string table {link}.");
        return ReadString(SectionSpan(span, raw[link]), BinaryPrimitives.ReadUInt32LittleEndian(e), "symbol name");
    }

    private static ReadOnlySpan<byte> SectionSpan(ReadOnlySpan<byte> image, in RawSection r) =>
        r.Type is ElfConstants.SHT_NOBITS or ElfConstants.SHT_NULL ? default : image.Slice((int)r.Offset, (int)r.Size);

    private static string ReadString(ReadOnlySpan<byte> table, uint offset, string what)
    {
        if (offset >= (uint)table.Length)
        {
            if (offset == 0)
                return string.Empty;
            throw new InvalidDataException($"Invalid {what} offset {offset} (string table size {table.Length}).");
        }
        ReadOnlySpan<byte> rest = table.Slice((int)offset);
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException($"Unterminated {what} at string table offset {offset}.");
        return end == 0 ? string.Empty : Encoding.UTF8.GetString(rest.Slice(0, end));
    }

    private static ushort U16(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt16LittleEndian(s.Slice(at));
    private static uint U32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(at));
    private static ulong U64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(at));

    private struct RawSection
    {
        public uint NameOffset;
        public uint Type;
        public ulong Flags;
        public ulong Address;
        public ulong Offset;
        public ulong Size;
        public uint Link;
        public uint Info;
        public ulong Alignment;
        public ulong EntrySize;
    }
}

/// <summary>One ELF section header together with its contents.</summary>
public sealed class ElfSection
{
    internal ElfSection(int index, string name, uint type, ulong flags, ulong address, ulong fileOffset, ulong size,
        ulong alignment, uint link, uint info, ulong entrySize, ReadOnlyMemory<byte> data)
    {
        Index = index;
        Name = name;
        Type = type;
        Flags = flags;
        Address = address;
        FileOffset = fileOffset;
        Size = size;
        Alignment = alignment;
        Link = link;
        Info = info;
        EntrySize = entrySize;
        Data = data;
    }

    public int Index { get; }
    public string Name { get; }
    /// <summary><c>sh_type</c> (see <see cref="ElfConstants"/> SHT_*).</summary>
    public uint Type { get; }
    /// <summary><c>sh_flags</c> (see <see cref="ElfConstants"/> SHF_*).</summary>
    public ulong Flags { get; }
    public ulong Address { get; }
    public ulong FileOffset { get; }
    public ulong Size { get; }
    public ulong Alignment { get; }
    public uint Link { get; }
    public uint Info { get; }
    public ulong EntrySize { get; }
    /// <summary>The section contents (a slice of the file image); empty for SHT_NOBITS.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>For a member of a SHT_GROUP section: the group's signature symbol name; otherwise null.</summary>
    public string? GroupSignature { get; internal set; }

    /// <summary>For a SHT_GROUP section itself: its signature symbol name; otherwise null.</summary>
    public string? Signature { get; private set; }

    /// <summary>For a SHT_GROUP section: the group flag word (1 = GRP_COMDAT); otherwise 0.</summary>
    public uint GroupFlags { get; private set; }

    /// <summary>For a SHT_GROUP section: the member section indices; otherwise empty.</summary>
    public IReadOnlyList<int> GroupMembers { get; private set; } = [];

    public bool IsNoBits => Type == ElfConstants.SHT_NOBITS;

    internal void SetGroup(string signature, uint flags, int[] members)
    {
        Signature = signature;
        GroupFlags = flags;
        GroupMembers = Array.AsReadOnly(members);
    }

    public override string ToString() => GroupSignature is null ? $"[{Index}] {Name}" : $"[{Index}] {Name} (group {GroupSignature})";
}

/// <summary>A <c>.symtab</c> entry. <see cref="SectionIndex"/> is the raw <c>st_shndx</c>.</summary>
public readonly record struct ElfSymbol(string Name, ulong Value, ulong Size, byte Type, byte Binding, byte Visibility, ushort SectionIndex)
{
    public bool IsSection => Type == ElfConstants.STT_SECTION;
    public bool IsFile => Type == ElfConstants.STT_FILE;
    public bool IsUndefined => SectionIndex == ElfConstants.SHN_UNDEF;
}

/// <summary>One relocation entry (<c>Elf64_Rela</c>; REL entries have addend 0).</summary>
public readonly record struct ElfRelocation(ulong Offset, uint Type, uint SymbolIndex, long Addend)
{
    public string TypeName => ElfRelocationType.Name(Type);
}

/// <summary>ELF constants used by <see cref="ElfObject"/>.</summary>
public static class ElfConstants
{
    public const ushort EM_X86_64 = 62;

    public const ushort ET_REL = 1, ET_EXEC = 2, ET_DYN = 3;

    public const uint SHT_NULL = 0, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_HASH = 5,
        SHT_DYNAMIC = 6, SHT_NOTE = 7, SHT_NOBITS = 8, SHT_REL = 9, SHT_DYNSYM = 11, SHT_INIT_ARRAY = 14,
        SHT_FINI_ARRAY = 15, SHT_PREINIT_ARRAY = 16, SHT_GROUP = 17, SHT_SYMTAB_SHNDX = 18,
        SHT_X86_64_UNWIND = 0x70000001;

    public const ulong SHF_WRITE = 0x1, SHF_ALLOC = 0x2, SHF_EXECINSTR = 0x4, SHF_MERGE = 0x10, SHF_STRINGS = 0x20,
        SHF_INFO_LINK = 0x40, SHF_LINK_ORDER = 0x80, SHF_OS_NONCONFORMING = 0x100, SHF_GROUP = 0x200, SHF_TLS = 0x400,
        SHF_COMPRESSED = 0x800, SHF_GNU_RETAIN = 0x200000, SHF_EXCLUDE = 0x80000000;

    public const uint GRP_COMDAT = 1;

    public const ushort SHN_UNDEF = 0, SHN_LORESERVE = 0xFF00, SHN_ABS = 0xFFF1, SHN_COMMON = 0xFFF2, SHN_XINDEX = 0xFFFF;

    public const byte STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4, STT_COMMON = 5,
        STT_TLS = 6, STT_GNU_IFUNC = 10;

    public const byte STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2, STB_GNU_UNIQUE = 10;

    public const byte STV_DEFAULT = 0, STV_INTERNAL = 1, STV_HIDDEN = 2, STV_PROTECTED = 3;
}

/// <summary>x86-64 relocation types (System V x86-64 psABI).</summary>
public static class ElfRelocationType
{
    public const uint R_X86_64_NONE = 0;
    public const uint R_X86_64_64 = 1;
    public const uint R_X86_64_PC32 = 2;
    public const uint R_X86_64_GOT32 = 3;
    public const uint R_X86_64_PLT32 = 4;
    public const uint R_X86_64_COPY = 5;
    public const uint R_X86_64_GLOB_DAT = 6;
    public const uint R_X86_64_JUMP_SLOT = 7;
    public const uint R_X86_64_RELATIVE = 8;
    public const uint R_X86_64_GOTPCREL = 9;
    public const uint R_X86_64_32 = 10;
    public const uint R_X86_64_32S = 11;
    public const uint R_X86_64_16 = 12;
    public const uint R_X86_64_PC16 = 13;
    public const uint R_X86_64_8 = 14;
    public const uint R_X86_64_PC8 = 15;
    public const uint R_X86_64_DTPMOD64 = 16;
    public const uint R_X86_64_DTPOFF64 = 17;
    public const uint R_X86_64_TPOFF64 = 18;
    public const uint R_X86_64_TLSGD = 19;
    public const uint R_X86_64_TLSLD = 20;
    public const uint R_X86_64_DTPOFF32 = 21;
    public const uint R_X86_64_GOTTPOFF = 22;
    public const uint R_X86_64_TPOFF32 = 23;
    public const uint R_X86_64_PC64 = 24;
    public const uint R_X86_64_GOTOFF64 = 25;
    public const uint R_X86_64_GOTPC32 = 26;
    public const uint R_X86_64_GOT64 = 27;
    public const uint R_X86_64_GOTPCREL64 = 28;
    public const uint R_X86_64_GOTPC64 = 29;
    public const uint R_X86_64_GOTPLT64 = 30;
    public const uint R_X86_64_PLTOFF64 = 31;
    public const uint R_X86_64_SIZE32 = 32;
    public const uint R_X86_64_SIZE64 = 33;
    public const uint R_X86_64_GOTPC32_TLSDESC = 34;
    public const uint R_X86_64_TLSDESC_CALL = 35;
    public const uint R_X86_64_TLSDESC = 36;
    public const uint R_X86_64_IRELATIVE = 37;
    public const uint R_X86_64_RELATIVE64 = 38;
    public const uint R_X86_64_PC32_BND = 39;   // deprecated
    public const uint R_X86_64_PLT32_BND = 40;  // deprecated
    public const uint R_X86_64_GOTPCRELX = 41;
    public const uint R_X86_64_REX_GOTPCRELX = 42;
    public const uint R_X86_64_CODE_4_GOTPCRELX = 43;
    public const uint R_X86_64_CODE_4_GOTTPOFF = 44;
    public const uint R_X86_64_CODE_4_GOTPC32_TLSDESC = 45;
    public const uint R_X86_64_CODE_5_GOTPCRELX = 46;
    public const uint R_X86_64_CODE_5_GOTTPOFF = 47;
    public const uint R_X86_64_CODE_5_GOTPC32_TLSDESC = 48;
    public const uint R_X86_64_CODE_6_GOTPCRELX = 49;
    public const uint R_X86_64_CODE_6_GOTTPOFF = 50;
    public const uint R_X86_64_CODE_6_GOTPC32_TLSDESC = 51;
    public const uint R_X86_64_GNU_VTINHERIT = 250;
    public const uint R_X86_64_GNU_VTENTRY = 251;

    // Short aliases (for names that are valid identifiers without the prefix).
    public const uint NONE = R_X86_64_NONE, PC32 = R_X86_64_PC32, GOT32 = R_X86_64_GOT32, PLT32 = R_X86_64_PLT32,
        COPY = R_X86_64_COPY, GLOB_DAT = R_X86_64_GLOB_DAT, JUMP_SLOT = R_X86_64_JUMP_SLOT, RELATIVE = R_X86_64_RELATIVE,
        GOTPCREL = R_X86_64_GOTPCREL, PC16 = R_X86_64_PC16, PC8 = R_X86_64_PC8, DTPMOD64 = R_X86_64_DTPMOD64,
        DTPOFF64 = R_X86_64_DTPOFF64, TPOFF64 = R_X86_64_TPOFF64, TLSGD = R_X86_64_TLSGD, TLSLD = R_X86_64_TLSLD,
        DTPOFF32 = R_X86_64_DTPOFF32, GOTTPOFF = R_X86_64_GOTTPOFF, TPOFF32 = R_X86_64_TPOFF32, PC64 = R_X86_64_PC64,
        GOTOFF64 = R_X86_64_GOTOFF64, GOTPC32 = R_X86_64_GOTPC32, GOT64 = R_X86_64_GOT64,
        GOTPCREL64 = R_X86_64_GOTPCREL64, GOTPC64 = R_X86_64_GOTPC64, GOTPLT64 = R_X86_64_GOTPLT64,
        PLTOFF64 = R_X86_64_PLTOFF64, SIZE32 = R_X86_64_SIZE32, SIZE64 = R_X86_64_SIZE64,
        GOTPC32_TLSDESC = R_X86_64_GOTPC32_TLSDESC, TLSDESC_CALL = R_X86_64_TLSDESC_CALL, TLSDESC = R_X86_64_TLSDESC,
        IRELATIVE = R_X86_64_IRELATIVE, RELATIVE64 = R_X86_64_RELATIVE64, GOTPCRELX = R_X86_64_GOTPCRELX,
        REX_GOTPCRELX = R_X86_64_REX_GOTPCRELX;

    private static readonly string[] Names =
    [
        "R_X86_64_NONE", "R_X86_64_64", "R_X86_64_PC32", "R_X86_64_GOT32", "R_X86_64_PLT32", "R_X86_64_COPY",
        "R_X86_64_GLOB_DAT", "R_X86_64_JUMP_SLOT", "R_X86_64_RELATIVE", "R_X86_64_GOTPCREL", "R_X86_64_32",
        "R_X86_64_32S", "R_X86_64_16", "R_X86_64_PC16", "R_X86_64_8", "R_X86_64_PC8", "R_X86_64_DTPMOD64",
        "R_X86_64_DTPOFF64", "R_X86_64_TPOFF64", "R_X86_64_TLSGD", "R_X86_64_TLSLD", "R_X86_64_DTPOFF32",
        "R_X86_64_GOTTPOFF", "R_X86_64_TPOFF32", "R_X86_64_PC64", "R_X86_64_GOTOFF64", "R_X86_64_GOTPC32",
        "R_X86_64_GOT64", "R_X86_64_GOTPCREL64", "R_X86_64_GOTPC64", "R_X86_64_GOTPLT64", "R_X86_64_PLTOFF64",
        "R_X86_64_SIZE32", "R_X86_64_SIZE64", "R_X86_64_GOTPC32_TLSDESC", "R_X86_64_TLSDESC_CALL",
        "R_X86_64_TLSDESC", "R_X86_64_IRELATIVE", "R_X86_64_RELATIVE64", "R_X86_64_PC32_BND",
        "R_X86_64_PLT32_BND", "R_X86_64_GOTPCRELX", "R_X86_64_REX_GOTPCRELX", "R_X86_64_CODE_4_GOTPCRELX",
        "R_X86_64_CODE_4_GOTTPOFF", "R_X86_64_CODE_4_GOTPC32_TLSDESC", "R_X86_64_CODE_5_GOTPCRELX",
        "R_X86_64_CODE_5_GOTTPOFF", "R_X86_64_CODE_5_GOTPC32_TLSDESC", "R_X86_64_CODE_6_GOTPCRELX",
        "R_X86_64_CODE_6_GOTTPOFF", "R_X86_64_CODE_6_GOTPC32_TLSDESC",
    ];

    /// <summary>The psABI name of a relocation type (e.g. "R_X86_64_PLT32"), or "R_X86_64_&lt;n&gt;" when unknown.</summary>
    public static string Name(uint type) => type switch
    {
        _ when type < (uint)Names.Length => Names[type],
        R_X86_64_GNU_VTINHERIT => "R_X86_64_GNU_VTINHERIT",
        R_X86_64_GNU_VTENTRY => "R_X86_64_GNU_VTENTRY",
        _ => "R_X86_64_" + type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
