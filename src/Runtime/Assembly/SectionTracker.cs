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
    private readonly Stack<(int Current, int Previous)> _stack = new();
    private int _previous = -1;

    public SectionTracker() => Current = Intern(".text", null);

    public int Current { get; private set; }

    public IReadOnlyList<AsmSection> Sections => _sections;

    /// <summary>Applies a directive if it changes sections. Returns true when it was a section directive.</summary>
    public bool Apply(ReadOnlySpan<char> name, ReadOnlySpan<char> args)
    {
        switch (name)
        {
            case ".text":
            case ".data":
            case ".bss":
                Switch(args.Trim().IsEmpty || args.Trim() is "0" ? Intern(name.ToString(), null) : -1);
                return true;
            case ".section":
                Switch(ParseSectionArgs(args));
                return true;
            case ".pushsection":
                _stack.Push((Current, _previous));
                Switch(ParseSectionArgs(args));
                return true;
            case ".popsection":
                if (_stack.Count == 0) Switch(-1);
                else (Current, _previous) = _stack.Pop();
                return true;
            case ".previous":
                (Current, _previous) = (_previous, Current);
                return true;
            case ".subsection":
                Switch(-1);
                return true;
            default:
                return false;
        }
    }

    private void Switch(int section)
    {
        _previous = Current;
        Current = section;
    }

    private int ParseSectionArgs(ReadOnlySpan<char> args)
    {
        Span<Range> parts = stackalloc Range[8];
        int n = GasLexer.SplitOperands(args, parts);
        if (n <= 0) return -1;
        string name = Unquote(args[parts[0]]);
        if (name.Length == 0) return -1;
        string? group = null;
        if (n >= 2)
        {
            var flags = Unquote(args[parts[1]]);
            if (flags.Contains('G'))
            {
                // name, "flags", @type, [entsize if M], group[, comdat]
                int groupIndex = flags.Contains('M') ? 4 : 3;
                if (n <= groupIndex) return -1;
                group = Unquote(args[parts[groupIndex]]);
            }
            if (n >= 3 && args[parts[2]].Trim() is var type && type.Length > 0 && type[0] is not ('@' or '%'))
                return -1;
        }
        return Intern(name, group);
    }

    private static string Unquote(ReadOnlySpan<char> s)
    {
        s = s.Trim();
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"') s = s[1..^1];
        return s.ToString();
    }

    private int Intern(string name, string? group)
    {
        if (!_byKey.TryGetValue((name, group), out int index))
        {
            index = _sections.Count;
            _sections.Add(new AsmSection(index, name, group));
            _byKey[(name, group)] = index;
        }
        return index;
    }
}
