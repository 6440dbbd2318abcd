using System.Globalization;

namespace CompilerLLM.Assembly;

/// <summary>Relocation operator written after a symbol, e.g. <c>foo@PLT</c>.</summary>
public enum SymbolModifier : byte
{
    None, Plt, PltOff, GotPcRel, Got, GotOff, GotPlt, TpOff, GotTpOff, TlsGd, TlsLd, DtpOff, TlsDesc, TlsCall, Unknown,
}

/// <summary>
/// A linear symbolic expression as GCC writes them in operands: <c>sym</c>, <c>sym+8</c>,
/// <c>.L5-.L4</c>, <c>x@tpoff</c>, <c>-16</c>. Anything else (multiplication, parentheses,
/// character constants) is rejected so the line stays verbatim.
/// </summary>
internal static class SymbolExpression
{
    public const int MaxTerms = 4;

    public readonly record struct Term(int Sign, Range Symbol, SymbolModifier Modifier, long Constant)
    {
        public bool IsSymbol => Symbol.End.Value > Symbol.Start.Value;
    }

    /// <summary>Parses into terms; returns the count or -1 when the expression is not linear.</summary>
    public static int Parse(ReadOnlySpan<char> s, Span<Term> terms)
    {
        int n = 0, i = 0;
        while (true)
        {
            i = GasLexer.SkipSpaces(s, i);
            int sign = 1;
            while (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                if (s[i] == '-') sign = -sign;
                i = GasLexer.SkipSpaces(s, i + 1);
            }
            if (i >= s.Length || n == terms.Length) return -1;
            char c = s[i];
            if ((uint)(c - '0') <= 9)
            {
                int j = i;
                while (j < s.Length && GasLexer.IsIdentifierPart(s[j])) j++;
                if (!TryParseNumber(s[i..j], out long value)) return -1;
                terms[n++] = new Term(sign, default, SymbolModifier.None, value);
                i = j;
            }
            else if (GasLexer.IsIdentifierStart(c))
            {
                int j = i;
                while (j < s.Length && GasLexer.IsIdentifierPart(s[j])) j++;
                var symbol = new Range(i, j);
                var modifier = SymbolModifier.None;
                if (j < s.Length && s[j] == '@')
                {
                    int k = j + 1;
                    while (k < s.Length && GasLexer.IsIdentifierPart(s[k])) k++;
                    modifier = ParseModifier(s[(j + 1)..k]);
                    if (modifier == SymbolModifier.Unknown) return -1;
                    j = k;
                }
                terms[n++] = new Term(sign, symbol, modifier, 0);
                i = j;
            }
            else return -1;
            i = GasLexer.SkipSpaces(s, i);
            if (i == s.Length) return n;
            if (s[i] != '+' && s[i] != '-') return -1;
        }
    }

    public static SymbolModifier ParseModifier(ReadOnlySpan<char> m) => m switch
    {
        "PLT" => SymbolModifier.Plt,
        "PLTOFF" => SymbolModifier.PltOff,
        "GOTPLT" => SymbolModifier.GotPlt,
        "GOTPCREL" => SymbolModifier.GotPcRel,
        "GOT" => SymbolModifier.Got,
        "GOTOFF" => SymbolModifier.GotOff,
        "tpoff" or "TPOFF" => SymbolModifier.TpOff,
        "gottpoff" or "GOTTPOFF" => SymbolModifier.GotTpOff,
        "tlsgd" or "TLSGD" => SymbolModifier.TlsGd,
        "tlsld" or "TLSLD" => SymbolModifier.TlsLd,
        "dtpoff" or "DTPOFF" => SymbolModifier.DtpOff,
        "tlsdesc" or "TLSDESC" => SymbolModifier.TlsDesc,
        "tlscall" or "TLSCALL" => SymbolModifier.TlsCall,
        _ => SymbolModifier.Unknown,
    };

    /// <summary>GAS integer syntax: decimal, 0x hex, 0b binary, leading-0 octal.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.Length > 2 && s[0] == '0' && (s[1] | 0x20) == 'x')
        {
            if (!ulong.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong h)) return false;
            value = unchecked((long)h);
            return true;
        }
        if (s.Length > 2 && s[0] == '0' && (s[1] | 0x20) == 'b')
        {
            ulong b = 0;
            foreach (char c in s[2..])
            {
                if (c != '0' && c != '1') return false;
                b = (b << 1) | (uint)(c - '0');
            }
            value = unchecked((long)b);
            return true;
        }
        if (s.Length > 1 && s[0] == '0')
        {
            ulong o = 0;
            foreach (char c in s[1..])
            {
                if ((uint)(c - '0') > 7) return false;
                o = (o << 3) | (uint)(c - '0');
            }
            value = unchecked((long)o);
            return true;
        }
        if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong d)) return false;
        value = unchecked((long)d);
        return true;
    }
}
