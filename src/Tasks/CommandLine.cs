using System.Text;

namespace CompilerLLM.Build.Tasks;

/// <summary>Splits flag strings the way a POSIX shell splits words (quotes and backslashes; no expansion).</summary>
public static class CommandLine
{
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

    /// <summary>Quotes a word for a POSIX shell (for logs and stamps; nothing is ever run through a shell from here).</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_-+=/.,:@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>MSBuild list metadata ("a;b;;c") as its non-empty, trimmed entries.</summary>
    public static IEnumerable<string> SplitList(string? list) =>
        (list ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 0 && !s.StartsWith("%(", StringComparison.Ordinal));

    /// <summary>
    /// The gcc arguments of one translation unit, in this order: the project flags (CompilerLlmCFlags),
    /// -fPIC for shared libraries unless already given, the item's AdditionalOptions, -D for each
    /// PreprocessorDefinitions entry, -I for each AdditionalIncludeDirectories entry.
    /// </summary>
    public static List<string> CompilerArguments(string? projectFlags, string nativeOutputType, string? additionalOptions,
        string? preprocessorDefinitions, string? includeDirectories)
    {
        var args = Split(projectFlags);
        var extra = Split(additionalOptions);
        if (nativeOutputType == "SharedLibrary" && !args.Concat(extra).Any(a => a is "-fPIC" or "-fpic" or "-fPIE" or "-fpie"))
            args.Add("-fPIC");
        args.AddRange(extra);
        args.AddRange(SplitList(preprocessorDefinitions).Select(d => "-D" + d));
        args.AddRange(SplitList(includeDirectories).Select(d => "-I" + d));
        return args;
    }
}
