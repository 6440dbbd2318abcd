using System.Text;

namespace CompilerLLM.Launcher;

/// <summary>
/// What the text of an included file could do to GCC's choice of system files, read from the bytes without
/// preprocessing them: every test answers true whenever it cannot tell (a directive in a comment or an <c>#if 0</c>
/// counts too), which only costs a preprocess, never a wrong list.
/// </summary>
internal static class IncludeScan
{
    /// <summary>
    /// An include whose file is not named by a plain relative name: computed (<c>#include MACRO</c>), absolute
    /// (<c>#include "/x.h"</c>), or a directive written in a form this scan does not read (a comment or a continuation
    /// after <c>#</c>, the <c>%:</c> digraph).
    /// </summary>
    public static bool HasUnplainInclude(ReadOnlySpan<byte> text)
    {
        for (int line = 0; line < text.Length;)
        {
            var rest = SkipBlanks(text[line..]);
            if (rest.StartsWith("%:"u8)) return true;
            if (rest.Length > 0 && rest[0] == '#')
            {
                var directive = SkipBlanks(rest[1..]);
                if (directive.StartsWith("/*"u8) || directive.StartsWith("//"u8) || directive.StartsWith("\\"u8)) return true;
                int length = directive.StartsWith("include_next"u8) ? 12 : directive.StartsWith("include"u8) ? 7 : directive.StartsWith("import"u8) ? 6 : 0;
                if (length > 0 && (directive.Length == length || !IsIdentifierByte(directive[length]))) // not #includes, #imported
                {
                    var operand = SkipBlanks(directive[length..]);
                    if (operand.Length < 2 || operand[0] is not ((byte)'<' or (byte)'"') || operand[1] == '/') return true;
                }
            }
            int next = text[line..].IndexOf((byte)'\n');
            if (next < 0) break;
            line += next + 1;
        }
        return false;
    }

    /// <summary>Whether a file GCC counts as a user one could make later files system: the system-header pragma, <c>_Pragma</c>, or a line marker (<c># 1 "x" 3</c>).</summary>
    public static bool CanMarkSystem(ReadOnlySpan<byte> text)
    {
        if (text.IndexOf("system_header"u8) >= 0 || text.IndexOf("_Pragma"u8) >= 0) return true;
        for (int line = 0; line < text.Length;)
        {
            var rest = SkipBlanks(text[line..]);
            if (rest.Length > 0 && rest[0] == '#')
            {
                var directive = SkipBlanks(rest[1..]);
                if (directive.Length > 0 && directive[0] is >= (byte)'0' and <= (byte)'9') return true;
            }
            int next = text[line..].IndexOf((byte)'\n');
            if (next < 0) break;
            line += next + 1;
        }
        return false;
    }

    /// <summary>Whether <paramref name="text"/> could include a file named <paramref name="fileName"/>: the name closing a <c>"…"</c> or <c>&lt;…&gt;</c>, right after the opening mark or a slash.</summary>
    public static bool MayName(ReadOnlySpan<byte> text, string fileName)
    {
        ReadOnlySpan<byte> name = Encoding.UTF8.GetBytes(fileName);
        for (int from = 0; from < text.Length;)
        {
            int at = text[from..].IndexOf(name);
            if (at < 0) return false;
            at += from;
            int end = at + name.Length;
            if (at > 0 && text[at - 1] is (byte)'<' or (byte)'"' or (byte)'/' && end < text.Length && text[end] is (byte)'>' or (byte)'"') return true;
            from = at + 1;
        }
        return false;
    }

    private static ReadOnlySpan<byte> SkipBlanks(ReadOnlySpan<byte> text)
    {
        int i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\f' or (byte)'\v' or (byte)'\r') i++;
        return text[i..];
    }

    private static bool IsIdentifierByte(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_';
}
