namespace CompilerLLM.Assembly;

/// <summary>
/// Follows GAS's current-section state through <c>.text</c>, <c>.section</c>, <c>.pushsection</c>,
/// <c>.popsection</c> and <c>.previous</c>. Anything it cannot follow (subsections) makes the
/// current section unknown (-1), and the lines there stay verbatim.
/// </summary>
internal sealed class SectionTracker
{
    private readonly List<AsmSection> _sections = [];
    private readonly Dictionary<(string, string?), int> _byKey = [];
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal); // ungrouped sections only
    private readonly Stack<(int Section, int Subsection, int Previous, int PreviousSubsection)> _stack = new();
    private int _section, _subsection, _previous = -1, _previousSubsection;

    public SectionTracker() => _section = Intern(".text", null);

    /// <summary>
    /// The current section, or -1 when it is unknown or a non-zero subsection (whose bytes GAS
    /// places after the subsection 0 ones, so listing offsets cannot be trusted line by line).
    /// </summary>
    public int Current => _subsection == 0 ? _section : -1;

    public IReadOnlyList<AsmSection> Sections => _sections;

    /// <summary>Applies a directive if it changes sections. Returns true when it was a section directive.</summary>
    public bool Apply(ReadOnlySpan<char> name, ReadOnlySpan<char> args)
    {
        switch (name)
        {
            case ".text":
            case ".data":
            case ".bss":
                Switch(Intern(name.ToString(), null), ParseSubsection(args));
                return true;
            case ".section":
                Switch(ParseSectionArgs(args), 0);
                return true;
            case ".pushsection":
                _stack.Push((_section, _subsection, _previous, _previousSubsection));
                Switch(ParseSectionArgs(args), 0);
                return true;
            case ".popsection":
                if (_stack.Count == 0) Switch(-1, 0);
                else (_section, _subsection, _previous, _previousSubsection) = _stack.Pop();
                return true;
            case ".previous":
                (_section, _subsection, _previous, _previousSubsection) = (_previous, _previousSubsection, _section, _subsection);
                return true;
            case ".subsection":
                Switch(_section, ParseSubsection(args));
                return true;
            default:
                return false;
        }
    }

    private void Switch(int section, int subsection)
    {
        _previous = _section;
        _previousSubsection = _subsection;
        _section = section;
        _subsection = subsection;
    }

    /// <summary>The subsection number; an expression we cannot read counts as non-zero (unknown).</summary>
    private static int ParseSubsection(ReadOnlySpan<char> args)
    {
        args = args.Trim();
        if (args.IsEmpty) return 0;
        return SymbolExpression.TryParseNumber(args, out long n) && n >= 0 && n < int.MaxValue ? (int)n : int.MaxValue;
    }

    private int ParseSectionArgs(ReadOnlySpan<char> args)
    {
        Span<Range> parts = stackalloc Range[8];
        int n = GasLexer.SplitOperands(args, parts);
        if (n <= 0) return -1;
        var name = Unquote(args[parts[0]]);
        if (name.IsEmpty) return -1;
        ReadOnlySpan<char> group = default;
        bool hasGroup = false;
        if (n >= 2)
        {
            var flags = Unquote(args[parts[1]]);
            if (flags.Contains('G'))
            {
                // name, "flags", @type, [entsize if M], group[, comdat]
                int groupIndex = flags.Contains('M') ? 4 : 3;
                if (n <= groupIndex) return -1;
                group = Unquote(args[parts[groupIndex]]);
                hasGroup = true;
            }
            if (n >= 3 && args[parts[2]].Trim() is var type && type.Length > 0 && type[0] is not ('@' or '%'))
                return -1;
        }
        // Most .section lines name a section seen before: look it up without allocating.
        if (!hasGroup && _byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out int known)) return known;
        return Intern(name.ToString(), hasGroup ? group.ToString() : null);
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> s)
    {
        s = s.Trim();
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"') s = s[1..^1];
        return s;
    }

    private int Intern(string name, string? group)
    {
        if (!_byKey.TryGetValue((name, group), out int index))
        {
            index = _sections.Count;
            _sections.Add(new AsmSection(index, name, group));
            _byKey[(name, group)] = index;
            if (group is null) _byName[name] = index;
        }
        return index;
    }
}
