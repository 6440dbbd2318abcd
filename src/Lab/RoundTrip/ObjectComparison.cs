using System.Globalization;
using System.Text;

using CompilerLLM.Assembly;

namespace CompilerLLM.Lab.RoundTrip;

/// <summary>
/// Semantic comparison of two ELF objects assembled from two texts of the same program: used to prove that two
/// assemblies are identical without depending on incidental symbol-table/string-table layout.
/// </summary>
public static class ObjectComparison
{
    /// <summary>
    /// Compares <paramref name="expected"/> with <paramref name="actual"/> and returns human-readable differences
    /// (empty = identical), at most <paramref name="maxDifferences"/> of them.
    /// </summary>
    /// <remarks>
    /// Checked: the section list (keyed by name + group signature, in order); each section's type, flags, alignment,
    /// entry size, size and bytes (first differing offset); each section's relocations (offset, type, symbol name
    /// — section symbols by section name —, addend); group membership; and the non-section, non-file symbols as a
    /// multiset keyed by name (value, size, type, binding, visibility, defining section). The raw bytes of symbol,
    /// string, relocation and group sections are not compared: their content is compared semantically instead.
    /// </remarks>
    public static IReadOnlyList<string> Compare(ElfObject expected, ElfObject actual, int maxDifferences = 20)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDifferences, 1);

        var diffs = new Differences(maxDifferences);
        if (expected.FileType != actual.FileType)
            diffs.Add($"ELF file type: expected {expected.FileType}, actual {actual.FileType}");

        List<(ElfSection Expected, ElfSection Actual)> pairs = CompareSectionLists(expected, actual, diffs);
        foreach ((ElfSection e, ElfSection a) in pairs)
        {
            if (diffs.Full)
                break;
            CompareSection(expected, e, actual, a, diffs);
        }
        if (!diffs.Full)
            CompareSymbols(expected, actual, diffs);
        return diffs.List;
    }

    private static List<(ElfSection, ElfSection)> CompareSectionLists(ElfObject expected, ElfObject actual, Differences diffs)
    {
        List<string> expectedKeys = SectionKeys(expected);
        List<string> actualKeys = SectionKeys(actual);

        // Pair the k-th occurrence of each key in expected with the k-th occurrence in actual.
        var actualByKey = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        for (int i = 0; i < actualKeys.Count; i++)
        {
            if (!actualByKey.TryGetValue(actualKeys[i], out Queue<int>? q))
                actualByKey.Add(actualKeys[i], q = new Queue<int>());
            q.Enqueue(i + 1);
        }

        var pairs = new List<(ElfSection, ElfSection)>(expectedKeys.Count);
        var matchedActual = new bool[actualKeys.Count + 1];
        for (int i = 0; i < expectedKeys.Count; i++)
        {
            ElfSection e = expected.Sections[i + 1];
            if (actualByKey.TryGetValue(expectedKeys[i], out Queue<int>? q) && q.Count > 0)
            {
                int ai = q.Dequeue();
                matchedActual[ai] = true;
                pairs.Add((e, actual.Sections[ai]));
            }
            else
            {
                diffs.Add($"section {Describe(e)} is missing from the actual object");
            }
        }
        for (int i = 1; i < matchedActual.Length; i++)
        {
            if (!matchedActual[i])
                diffs.Add($"section {Describe(actual.Sections[i])} is not in the expected object");
        }

        // Same sections but in a different order?
        for (int i = 1; i < pairs.Count; i++)
        {
            if (pairs[i].Item2.Index < pairs[i - 1].Item2.Index)
            {
                diffs.Add($"section order differs: expected {Truncate(string.Join(", ", expectedKeys.Select(Display)))}; " +
                          $"actual {Truncate(string.Join(", ", actualKeys.Select(Display)))}");
                break;
            }
        }
        return pairs;

        static string Display(string key) => key.Replace("\0", " [group ", StringComparison.Ordinal) + (key.Contains('\0') ? "]" : "");
    }

    private static List<string> SectionKeys(ElfObject obj)
    {
        var keys = new List<string>(Math.Max(0, obj.Sections.Count - 1));
        for (int i = 1; i < obj.Sections.Count; i++)
            keys.Add(Key(obj.Sections[i]));
        return keys;
    }

    private static string? GroupOf(ElfSection s) => s.GroupSignature ?? s.Signature;

    private static string Key(ElfSection s) => GroupOf(s) is { } g ? s.Name + "\0" + g : s.Name;

    private static string Describe(ElfSection s) => GroupOf(s) is { } g ? $"{s.Name} [group {g}]" : s.Name;

    private static string Describe(ElfObject obj, uint sectionIndex) =>
        sectionIndex < (uint)obj.Sections.Count ? Describe(obj.Sections[(int)sectionIndex]) : $"#{sectionIndex}";

    private static bool HasSemanticContent(uint type) => type is ElfConstants.SHT_SYMTAB or ElfConstants.SHT_STRTAB
        or ElfConstants.SHT_RELA or ElfConstants.SHT_REL or ElfConstants.SHT_GROUP or ElfConstants.SHT_SYMTAB_SHNDX
        or ElfConstants.SHT_DYNSYM or ElfConstants.SHT_NULL;

    private static void CompareSection(ElfObject eo, ElfSection e, ElfObject ao, ElfSection a, Differences diffs)
    {
        string name = Describe(e);
        if (e.Type != a.Type)
        {
            diffs.Add($"section {name}: type expected {TypeName(e.Type)}, actual {TypeName(a.Type)}");
            return;
        }
        if (e.Flags != a.Flags)
            diffs.Add($"section {name}: flags expected {FlagsText(e.Flags)}, actual {FlagsText(a.Flags)}");
        if (e.Alignment != a.Alignment)
            diffs.Add($"section {name}: alignment expected {e.Alignment}, actual {a.Alignment}");
        if (e.EntrySize != a.EntrySize && !HasSemanticContent(e.Type))
            diffs.Add($"section {name}: entry size expected {e.EntrySize}, actual {a.EntrySize}");

        if ((e.Flags & ElfConstants.SHF_LINK_ORDER) != 0 && (a.Flags & ElfConstants.SHF_LINK_ORDER) != 0)
        {
            string el = Describe(eo, e.Link), al = Describe(ao, a.Link);
            if (el != al)
                diffs.Add($"section {name}: linked-to section expected {el}, actual {al}");
        }

        if (e.Type == ElfConstants.SHT_GROUP)
        {
            if (e.GroupFlags != a.GroupFlags)
                diffs.Add($"section {name}: group flags expected 0x{e.GroupFlags:x}, actual 0x{a.GroupFlags:x}");
            string em = string.Join(", ", e.GroupMembers.Select(i => Describe(eo, (uint)i)));
            string am = string.Join(", ", a.GroupMembers.Select(i => Describe(ao, (uint)i)));
            if (em != am)
                diffs.Add($"section {name}: group members expected {{{Truncate(em)}}}, actual {{{Truncate(am)}}}");
            return;
        }
        if (HasSemanticContent(e.Type))
            return;

        if (e.Size != a.Size)
            diffs.Add($"section {name}: size expected {e.Size} (0x{e.Size:x}), actual {a.Size} (0x{a.Size:x})");
        if (e.Type != ElfConstants.SHT_NOBITS)
        {
            ReadOnlySpan<byte> eb = e.Data.Span, ab = a.Data.Span;
            int common = Math.Min(eb.Length, ab.Length);
            int at = eb.Slice(0, common).CommonPrefixLength(ab.Slice(0, common));
            if (at < common)
            {
                int differing = 0;
                for (int i = at; i < common; i++)
                {
                    if (eb[i] != ab[i])
                        differing++;
                }
                diffs.Add($"section {name}: bytes differ at offset 0x{at:x} (expected 0x{eb[at]:x2}, actual 0x{ab[at]:x2}); " +
                          $"{differing} differing byte(s) in the first {common}");
            }
        }

        CompareRelocations(eo, e, ao, a, name, diffs);
    }

    private static void CompareRelocations(ElfObject eo, ElfSection e, ElfObject ao, ElfSection a, string name, Differences diffs)
    {
        IReadOnlyList<ElfRelocation> er = eo.RelocationsFor(e), ar = ao.RelocationsFor(a);
        if (er.Count == 0 && ar.Count == 0)
            return;

        bool countsDiffer = er.Count != ar.Count;
        if (countsDiffer)
            diffs.Add($"section {name}: {er.Count} relocation(s) expected, {ar.Count} actual");

        int n = Math.Min(er.Count, ar.Count);
        for (int i = 0; i < n && !diffs.Full; i++)
        {
            ElfRelocation x = er[i], y = ar[i];
            string xs = SymbolName(eo, x.SymbolIndex), ys = SymbolName(ao, y.SymbolIndex);
            if (x.Offset == y.Offset && x.Type == y.Type && x.Addend == y.Addend && xs == ys)
                continue;
            diffs.Add($"section {name}: relocation #{i} differs: expected {Format(x, xs)}, actual {Format(y, ys)}");
            if (countsDiffer)
                return;   // after an insertion/deletion every later entry would differ; the first one is what matters
        }
        if (countsDiffer)
        {
            // Common prefix identical: show the first surplus entry.
            if (er.Count > n)
                diffs.Add($"section {name}: relocation #{n} only in expected: {Format(er[n], SymbolName(eo, er[n].SymbolIndex))}");
            else
                diffs.Add($"section {name}: relocation #{n} only in actual: {Format(ar[n], SymbolName(ao, ar[n].SymbolIndex))}");
        }
    }

    private static string Format(in ElfRelocation r, string symbol)
    {
        var sb = new StringBuilder();
        sb.Append("0x").Append(r.Offset.ToString("x", CultureInfo.InvariantCulture)).Append(' ')
          .Append(ElfRelocationType.Name(r.Type)).Append(' ').Append(symbol);
        if (r.Addend >= 0)
            sb.Append('+').Append(r.Addend.ToString(CultureInfo.InvariantCulture));
        else
            sb.Append(r.Addend.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string SymbolName(ElfObject obj, uint index)
    {
        if (index == 0)
            return "<none>";
        if (index >= (uint)obj.Symbols.Count)
            return $"<symbol #{index}>";
        ElfSymbol s = obj.Symbols[(int)index];
        if (s.IsSection)
            return obj.SectionOfSymbol((int)index) is { } sec ? Describe(sec) : s.Name;
        return s.Name;
    }

    private readonly record struct SymbolFacts(ulong Value, ulong Size, byte Type, byte Binding, byte Visibility, string Section)
        : IComparable<SymbolFacts>
    {
        public int CompareTo(SymbolFacts o)
        {
            int c = string.CompareOrdinal(Section, o.Section);
            if (c == 0) c = Value.CompareTo(o.Value);
            if (c == 0) c = Size.CompareTo(o.Size);
            if (c == 0) c = Type.CompareTo(o.Type);
            if (c == 0) c = Binding.CompareTo(o.Binding);
            if (c == 0) c = Visibility.CompareTo(o.Visibility);
            return c;
        }

        public override string ToString() =>
            $"value 0x{Value:x}, size {Size}, {SymbolTypeName(Type)}, {BindingName(Binding)}, {VisibilityName(Visibility)}, section {Section}";
    }

    private static Dictionary<string, List<SymbolFacts>> SymbolMultiset(ElfObject obj, List<string> order)
    {
        var map = new Dictionary<string, List<SymbolFacts>>(StringComparer.Ordinal);
        for (int i = 1; i < obj.Symbols.Count; i++)
        {
            ElfSymbol s = obj.Symbols[i];
            if (s.IsSection || s.IsFile)
                continue;
            int shndx = obj.SymbolSectionIndex(i);
            string section = shndx switch
            {
                ElfConstants.SHN_UNDEF => "UND",
                ElfConstants.SHN_ABS => "ABS",
                ElfConstants.SHN_COMMON => "COMMON",
                _ when ElfObject.IsRealSectionIndex(shndx, obj.Sections.Count) => Describe(obj.Sections[shndx]),
                _ => "#" + shndx.ToString(CultureInfo.InvariantCulture),
            };
            if (!map.TryGetValue(s.Name, out List<SymbolFacts>? list))
            {
                map.Add(s.Name, list = new List<SymbolFacts>(1));
                order.Add(s.Name);
            }
            list.Add(new SymbolFacts(s.Value, s.Size, s.Type, s.Binding, s.Visibility, section));
        }
        foreach (List<SymbolFacts> list in map.Values)
        {
            if (list.Count > 1)
                list.Sort();
        }
        return map;
    }

    private static void CompareSymbols(ElfObject expected, ElfObject actual, Differences diffs)
    {
        var expectedOrder = new List<string>();
        var actualOrder = new List<string>();
        Dictionary<string, List<SymbolFacts>> em = SymbolMultiset(expected, expectedOrder);
        Dictionary<string, List<SymbolFacts>> am = SymbolMultiset(actual, actualOrder);

        foreach (string name in expectedOrder)
        {
            if (diffs.Full)
                return;
            List<SymbolFacts> el = em[name];
            if (!am.TryGetValue(name, out List<SymbolFacts>? al))
            {
                diffs.Add($"symbol {Quote(name)} ({el[0]}) is missing from the actual object");
                continue;
            }
            if (el.Count == 1 && al.Count == 1)
            {
                if (el[0] != al[0])
                    diffs.Add($"symbol {Quote(name)}: {FieldDifferences(el[0], al[0])}");
                continue;
            }
            if (el.Count != al.Count)
            {
                diffs.Add($"symbol {Quote(name)}: {el.Count} definition(s) expected, {al.Count} actual");
                continue;
            }
            for (int i = 0; i < el.Count; i++)
            {
                if (el[i] != al[i])
                {
                    diffs.Add($"symbol {Quote(name)} (one of {el.Count}): expected {el[i]}, actual {al[i]}");
                    break;
                }
            }
        }
        foreach (string name in actualOrder)
        {
            if (diffs.Full)
                return;
            if (!em.ContainsKey(name))
                diffs.Add($"symbol {Quote(name)} ({am[name][0]}) is not in the expected object");
        }
    }

    private static string FieldDifferences(SymbolFacts e, SymbolFacts a)
    {
        var parts = new List<string>(2);
        if (e.Section != a.Section) parts.Add($"section expected {e.Section}, actual {a.Section}");
        if (e.Value != a.Value) parts.Add($"value expected 0x{e.Value:x}, actual 0x{a.Value:x}");
        if (e.Size != a.Size) parts.Add($"size expected {e.Size}, actual {a.Size}");
        if (e.Type != a.Type) parts.Add($"type expected {SymbolTypeName(e.Type)}, actual {SymbolTypeName(a.Type)}");
        if (e.Binding != a.Binding) parts.Add($"binding expected {BindingName(e.Binding)}, actual {BindingName(a.Binding)}");
        if (e.Visibility != a.Visibility) parts.Add($"visibility expected {VisibilityName(e.Visibility)}, actual {VisibilityName(a.Visibility)}");
        return string.Join("; ", parts);
    }

    private static string Quote(string name) => name.Length == 0 ? "\"\"" : name;

    private static string Truncate(string s) => s.Length <= 300 ? s : string.Concat(s.AsSpan(0, 300), "...");

    internal static string TypeName(uint type) => type switch
    {
        ElfConstants.SHT_NULL => "NULL",
        ElfConstants.SHT_PROGBITS => "PROGBITS",
        ElfConstants.SHT_SYMTAB => "SYMTAB",
        ElfConstants.SHT_STRTAB => "STRTAB",
        ElfConstants.SHT_RELA => "RELA",
        ElfConstants.SHT_NOTE => "NOTE",
        ElfConstants.SHT_NOBITS => "NOBITS",
        ElfConstants.SHT_REL => "REL",
        ElfConstants.SHT_INIT_ARRAY => "INIT_ARRAY",
        ElfConstants.SHT_FINI_ARRAY => "FINI_ARRAY",
        ElfConstants.SHT_PREINIT_ARRAY => "PREINIT_ARRAY",
        ElfConstants.SHT_GROUP => "GROUP",
        ElfConstants.SHT_SYMTAB_SHNDX => "SYMTAB_SHNDX",
        ElfConstants.SHT_X86_64_UNWIND => "X86_64_UNWIND",
        _ => "0x" + type.ToString("x", CultureInfo.InvariantCulture),
    };

    private static readonly (ulong Flag, char Letter)[] FlagLetters =
    [
        (ElfConstants.SHF_WRITE, 'W'), (ElfConstants.SHF_ALLOC, 'A'), (ElfConstants.SHF_EXECINSTR, 'X'),
        (ElfConstants.SHF_MERGE, 'M'), (ElfConstants.SHF_STRINGS, 'S'), (ElfConstants.SHF_INFO_LINK, 'I'),
        (ElfConstants.SHF_LINK_ORDER, 'L'), (ElfConstants.SHF_OS_NONCONFORMING, 'O'), (ElfConstants.SHF_GROUP, 'G'),
        (ElfConstants.SHF_TLS, 'T'), (ElfConstants.SHF_COMPRESSED, 'C'), (ElfConstants.SHF_GNU_RETAIN, 'R'),
        (ElfConstants.SHF_EXCLUDE, 'E'),
    ];

    internal static string FlagsText(ulong flags)
    {
        var sb = new StringBuilder();
        ulong rest = flags;
        foreach ((ulong flag, char letter) in FlagLetters)
        {
            if ((flags & flag) != 0)
            {
                sb.Append(letter);
                rest &= ~flag;
            }
        }
        if (rest != 0)
            sb.Append(sb.Length == 0 ? "" : "+").Append("0x").Append(rest.ToString("x", CultureInfo.InvariantCulture));
        return sb.Length == 0 ? "none" : $"{sb} (0x{flags:x})";
    }

    internal static string SymbolTypeName(byte type) => type switch
    {
        ElfConstants.STT_NOTYPE => "NOTYPE",
        ElfConstants.STT_OBJECT => "OBJECT",
        ElfConstants.STT_FUNC => "FUNC",
        ElfConstants.STT_SECTION => "SECTION",
        ElfConstants.STT_FILE => "FILE",
        ElfConstants.STT_COMMON => "COMMON",
        ElfConstants.STT_TLS => "TLS",
        ElfConstants.STT_GNU_IFUNC => "GNU_IFUNC",
        _ => "type " + type.ToString(CultureInfo.InvariantCulture),
    };

    internal static string BindingName(byte binding) => binding switch
    {
        ElfConstants.STB_LOCAL => "LOCAL",
        ElfConstants.STB_GLOBAL => "GLOBAL",
        ElfConstants.STB_WEAK => "WEAK",
        ElfConstants.STB_GNU_UNIQUE => "GNU_UNIQUE",
        _ => "binding " + binding.ToString(CultureInfo.InvariantCulture),
    };

    internal static string VisibilityName(byte visibility) => visibility switch
    {
        ElfConstants.STV_DEFAULT => "DEFAULT",
        ElfConstants.STV_INTERNAL => "INTERNAL",
        ElfConstants.STV_HIDDEN => "HIDDEN",
        ElfConstants.STV_PROTECTED => "PROTECTED",
        _ => "visibility " + visibility.ToString(CultureInfo.InvariantCulture),
    };

    private sealed class Differences(int max)
    {
        public List<string> List { get; } = new();
        public bool Full => List.Count >= max;

        public void Add(string message)
        {
            if (List.Count < max)
                List.Add(message);
        }
    }
}
