using System.Text;

namespace CompilerLLM.Toolchain;

/// <summary>
/// Flag strings as a POSIX shell splits them into words (quotes and backslashes; no expansion), and words quoted
/// back for logs and stamps. Nothing is ever run through a shell with them.
/// </summary>
public static class ShellWords
{
    /// <summary>The words of <paramref name="text"/>; <see cref="FormatException"/> for an unbalanced quote.</summary>
    public static List<string> Split(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return words;
        var current = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = '\0';
                else current.Append(c);
                continue;
            }
            if (quote == '"')
            {
                if (c == '"') quote = '\0';
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') current.Append(text[++i]);
                else current.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c is '\'' or '"') quote = c;
            else if (c == '\\' && i + 1 < text.Length) current.Append(text[++i]);
            else current.Append(c);
        }
        if (quote != '\0') throw new FormatException($"unbalanced {quote} in: {text}");
        if (inWord) words.Add(current.ToString());
        return words;
    }

    /// <summary>Quotes a word for a POSIX shell (for logs and stamps).</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_-+=/.,:@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
