using System.Text;

namespace CompilerLLM.Launcher;

/// <summary>
/// The dependency file GCC 12 writes (libcpp/mkdeps.cc, <c>make_write</c>), as written tokens: the targets' text, then
/// <c>:</c>, then each prerequisite after a space, a line broken with <c> \</c> before any name that would pass column
/// 72, and with <c>-MP</c> a rule <c>name:</c> for every prerequisite but the first. Names stay as GCC munged them
/// (<c>\ </c>, <c>$$</c>, <c>\#</c>): a list with some names dropped is laid out again from those tokens, so the text is
/// what GCC writes for that list. <see cref="Parse"/> only accepts a text that <see cref="Write"/> gives back byte for
/// byte, so a layout this model does not know is refused rather than guessed.
/// </summary>
internal sealed record MakeRule(string Targets, IReadOnlyList<string> Prerequisites, bool Phony)
{
    private const int ColumnMax = 72;

    /// <summary>The rule of <paramref name="text"/>, or null when it is not one this model writes again exactly.</summary>
    public static MakeRule? Parse(string text)
    {
        // The targets end at the first colon followed by a space or the end of the line ("a: b" as one -MT target is
        // refused below: a prerequisite token with a colon).
        int colon = -1;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] is ' ' or '\n')) { colon = i; break; }
        if (colon < 0) return null;
        var tokens = new List<string>();
        var current = new StringBuilder();
        int at = colon + 1, backslashes = 0;
        for (; at < text.Length; at++)
        {
            char c = text[at];
            if (c == '\n') break;
            if (c == '\\' && at + 1 < text.Length && text[at + 1] == '\n' && current.Length == 0)
            {
                at++; // a continuation: " \" then a newline, between names
                continue;
            }
            if (c == ' ' && backslashes % 2 == 0)
            {
                if (current.Length > 0) tokens.Add(current.ToString());
                current.Clear();
                backslashes = 0;
                continue;
            }
            backslashes = c == '\\' ? backslashes + 1 : 0;
            current.Append(c);
        }
        if (current.Length > 0) tokens.Add(current.ToString());
        if (tokens.Count == 0 || tokens.Any(t => t.Contains(':'))) return null;
        string rest = at < text.Length ? text[(at + 1)..] : "";
        var rule = new MakeRule(text[..colon], tokens, rest.Length > 0);
        return rule.Write() == text ? rule : null;
    }

    /// <summary>The same rule with other prerequisites (the targets and <c>-MP</c> as they are).</summary>
    public MakeRule With(IReadOnlyList<string> prerequisites) => this with { Prerequisites = prerequisites };

    /// <summary>The file's text as GCC writes it.</summary>
    public string Write()
    {
        var text = new StringBuilder(Targets);
        // Columns count bytes (GCC's strlen); the targets' own wrapping is kept as written.
        int column = Encoding.UTF8.GetByteCount(Targets.AsSpan(Targets.LastIndexOf('\n') + 1));
        text.Append(':');
        column++;
        foreach (string name in Prerequisites)
        {
            int size = Encoding.UTF8.GetByteCount(name);
            if (column + size > ColumnMax)
            {
                text.Append(" \\\n");
                column = 0;
            }
            text.Append(' ').Append(name);
            column += 1 + size;
        }
        text.Append('\n');
        if (Phony)
            for (int i = 1; i < Prerequisites.Count; i++) text.Append(Prerequisites[i]).Append(":\n");
        return text.ToString();
    }

    /// <summary>The file name a written token stands for (GCC's munging undone: <c>\ </c>, <c>\#</c>, <c>$$</c>).</summary>
    public static string Unmunge(string token)
    {
        var name = new StringBuilder(token.Length);
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            if (c == '$' && i + 1 < token.Length && token[i + 1] == '$') { name.Append('$'); i++; continue; }
            if (c == '\\')
            {
                int run = 1;
                while (i + run < token.Length && token[i + run] == '\\') run++;
                char after = i + run < token.Length ? token[i + run] : '\0';
                if (after is ' ' or '\t')
                {
                    // 2N+1 backslashes and a space: N backslashes, then the space (make's rule, as GCC writes it).
                    name.Append('\\', run / 2).Append(after);
                    i += run;
                    continue;
                }
                if (after == '#') { name.Append('\\', run - 1).Append('#'); i += run; continue; } // GCC escapes '#' alone
                name.Append('\\', run);
                i += run - 1;
                continue;
            }
            name.Append(c);
        }
        return name.ToString();
    }
}
