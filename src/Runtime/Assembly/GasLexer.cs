namespace CompilerLLM.Assembly;

/// <summary>
/// Just enough of GAS's AT&amp;T lexical rules to classify lines and find the symbolic parts of
/// operands. It never decides what an instruction <em>is</em> (Iced does, from the bytes);
/// it only locates text so symbols can be carried over, which is the one job a text parser
/// is safe for here.
/// </summary>
internal static class GasLexer
{
    private static readonly System.Buffers.SearchValues<char> QuoteOrHash = System.Buffers.SearchValues.Create("\"#");
    private static readonly System.Buffers.SearchValues<char> Unsupported = System.Buffers.SearchValues.Create("\";/");
    private static readonly System.Buffers.SearchValues<char> SymbolStart =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.$");

    /// <summary>Fast pre-check: false when no character could start a symbol (no letters, '_', '.', '$').</summary>
    public static bool MayContainSymbol(ReadOnlySpan<char> s) => s.IndexOfAny(SymbolStart) >= 0;

    public static bool IsIdentifierStart(char c) =>
        (uint)((c | 0x20) - 'a') <= 'z' - 'a' || c == '_' || c == '.' || c == '$';

    public static bool IsIdentifierPart(char c) =>
        IsIdentifierStart(c) || (uint)(c - '0') <= 9;

    public static int SkipSpaces(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t')) i++;
        return i;
    }

    /// <summary>Length of the statement before a trailing <c>#</c> comment (quotes respected), trimmed.</summary>
    public static int StatementLength(ReadOnlySpan<char> s)
    {
        if (s.IndexOfAny(QuoteOrHash) < 0)
        {
            int e = s.Length;
            while (e > 0 && char.IsWhiteSpace(s[e - 1])) e--;
            return e;
        }
        bool quoted = false;
        int end = s.Length;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == '#') { end = i; break; }
        }
        while (end > 0 && char.IsWhiteSpace(s[end - 1])) end--;
        return end;
    }

    /// <summary>Index of a <c>/*</c> outside quotes, or -1.</summary>
    public static int BlockCommentStart(ReadOnlySpan<char> statement)
    {
        if (statement.IndexOf("/*") < 0) return -1;
        bool quoted = false;
        for (int i = 0; i + 1 < statement.Length; i++)
        {
            char c = statement[i];
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == '/' && statement[i + 1] == '*') return i;
        }
        return -1;
    }

    /// <summary>True when the statement holds a construct the model keeps verbatim: <c>;</c> separators or C comments.</summary>
    public static bool HasUnsupportedPunctuation(ReadOnlySpan<char> statement)
    {
        if (statement.IndexOfAny(Unsupported) < 0) return false;
        bool quoted = false;
        for (int i = 0; i < statement.Length; i++)
        {
            char c = statement[i];
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ';') return true;
            else if (c == '/' && i + 1 < statement.Length && statement[i + 1] == '*') return true;
        }
        return false;
    }

    /// <summary>
    /// If the statement starts with <c>name:</c> returns the name's length (the colon follows it),
    /// else 0. Quoted names are not supported (GCC does not emit them for C).
    /// </summary>
    public static int LabelLength(ReadOnlySpan<char> statement)
    {
        if (statement.Length == 0) return 0;
        int i = 0;
        if (IsIdentifierStart(statement[0]) && statement[0] != '$')
        {
            while (i < statement.Length && IsIdentifierPart(statement[i])) i++;
        }
        else if ((uint)(statement[0] - '0') <= 9)
        {
            // numeric local label "1:" (inline asm)
            while (i < statement.Length && (uint)(statement[i] - '0') <= 9) i++;
        }
        else return 0;
        return i < statement.Length && statement[i] == ':' ? i : 0;
    }

    /// <summary>The directive or mnemonic word at the start of a statement.</summary>
    public static int WordLength(ReadOnlySpan<char> statement)
    {
        int i = 0;
        while (i < statement.Length && !char.IsWhiteSpace(statement[i]) && statement[i] != ',') i++;
        return i;
    }

    /// <summary>Words GAS accepts as instruction prefixes written before the mnemonic.</summary>
    public static bool IsPrefixWord(ReadOnlySpan<char> w) => w switch
    {
        "rep" or "repe" or "repz" or "repne" or "repnz" or "lock" or "notrack" or "bnd" or
        "data16" or "data32" or "addr32" or "rex64" or "rex" or "xacquire" or "xrelease" or
        "cs" or "ds" or "es" or "fs" or "gs" or "ss" => true,
        _ => w.Length > 0 && w[0] == '{',
    };

    /// <summary>
    /// Splits an instruction statement into the start of its operand list (after the mnemonic and
    /// any prefix words). Returns the index, or the statement length when there are no operands.
    /// </summary>
    public static int OperandsStart(ReadOnlySpan<char> statement, out int mnemonicStart, out int mnemonicLength)
    {
        int i = 0;
        while (true)
        {
            i = SkipSpaces(statement, i);
            int len = WordLength(statement[i..]);
            var word = statement.Slice(i, len);
            int next = SkipSpaces(statement, i + len);
            if (IsPrefixWord(word) && next < statement.Length)
            {
                i = next;
                continue;
            }
            mnemonicStart = i;
            mnemonicLength = len;
            return next;
        }
    }

    /// <summary>Splits an operand list on top-level commas. Returns the number of operands written to ranges.</summary>
    public static int SplitOperands(ReadOnlySpan<char> operands, Span<Range> ranges)
    {
        if (operands.IsEmpty) return 0;
        int count = 0, depth = 0, start = 0;
        for (int i = 0; i <= operands.Length; i++)
        {
            char c = i < operands.Length ? operands[i] : ',';
            if (c == '(' || c == '{') depth++;
            else if (c == ')' || c == '}') depth--;
            else if (c == ',' && depth == 0)
            {
                if (count == ranges.Length) return -1;
                ranges[count++] = Trim(operands, start, i);
                start = i + 1;
            }
        }
        return count;
    }

    public static Range Trim(ReadOnlySpan<char> s, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(s[start])) start++;
        while (end > start && char.IsWhiteSpace(s[end - 1])) end--;
        return new Range(start, end);
    }

    /// <summary>
    /// True when the expression contains a symbol (identifier) token, as opposed to numbers,
    /// registers and punctuation only. A token like <c>1b</c>/<c>1f</c> (numeric label reference)
    /// counts as a symbol.
    /// </summary>
    public static bool ContainsSymbol(ReadOnlySpan<char> expr)
    {
        if (!MayContainSymbol(expr)) return false;
        for (int i = 0; i < expr.Length; i++)
        {
            char c = expr[i];
            if (c == '%')
            {
                i++;
                while (i < expr.Length && IsIdentifierPart(expr[i])) i++;
                i--;
            }
            else if ((uint)(c - '0') <= 9)
            {
                int j = i;
                while (j < expr.Length && IsIdentifierPart(expr[j])) j++;
                var tok = expr[i..j];
                if (tok.Length > 1 && (tok[^1] == 'b' || tok[^1] == 'f') && !tok.StartsWith("0x") && !tok.StartsWith("0X") && IsDecimal(tok[..^1]))
                    return true;
                i = j - 1;
            }
            else if (IsIdentifierStart(c)) return true;
        }
        return false;
    }

    private static bool IsDecimal(ReadOnlySpan<char> s)
    {
        foreach (char c in s) if ((uint)(c - '0') > 9) return false;
        return s.Length > 0;
    }
}
