using System.Globalization;
using System.Numerics;
using System.Text;

namespace CompilerLLM.Verification;

/// <summary>
/// Text builders for SMT-LIB2 terms. Terms are plain strings: the scripts are small, z3 parses
/// them once, and strings keep every query printable for a human reading a failed proof.
/// </summary>
public static class Smt
{
    public const string Bool = "Bool";
    public const string True = "true";
    public const string False = "false";

    /// <summary>The sort of the byte-addressed memory: 64-bit addresses to bytes.</summary>
    public const string MemorySort = "(Array (_ BitVec 64) (_ BitVec 8))";

    public const string Bit0 = "#b0";
    public const string Bit1 = "#b1";

    public static string BvSort(int bits) => $"(_ BitVec {bits})";

    /// <summary>
    /// A bit-vector literal of <paramref name="bits"/> bits holding the low bits of
    /// <paramref name="value"/>: hex when the width is a multiple of 4, binary otherwise.
    /// </summary>
    public static string Bv(ulong value, int bits)
    {
        if (bits <= 0) throw new ArgumentOutOfRangeException(nameof(bits));
        if (bits < 64) value &= (1UL << bits) - 1;
        if (bits > 64) return Bv(new BigInteger(value), bits);
        if (bits % 4 == 0) return "#x" + value.ToString("x", CultureInfo.InvariantCulture).PadLeft(bits / 4, '0');
        var sb = new StringBuilder("#b", bits + 2);
        for (int i = bits - 1; i >= 0; i--) sb.Append((value >> i & 1) != 0 ? '1' : '0');
        return sb.ToString();
    }

    /// <summary>A literal of any width (128- and 256-bit vector constants).</summary>
    public static string Bv(BigInteger value, int bits)
    {
        if (bits <= 0) throw new ArgumentOutOfRangeException(nameof(bits));
        var modulus = BigInteger.One << bits;
        value %= modulus;
        if (value.Sign < 0) value += modulus;
        if (bits % 4 == 0)
        {
            // "x" formatting of a BigInteger may add a leading 0 digit for the sign; trim to width.
            string hex = value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
            return "#x" + hex.PadLeft(bits / 4, '0');
        }
        return $"(_ bv{value.ToString(CultureInfo.InvariantCulture)} {bits})";
    }

    public static string Zero(int bits) => Bv(0UL, bits);

    public static string Ones(int bits) => bits <= 64 ? Bv(ulong.MaxValue, bits) : Bv((BigInteger.One << bits) - 1, bits);

    public static string App(string op, params string[] args) => $"({op} {string.Join(' ', args)})";

    public static string Extract(int hi, int lo, string term)
    {
        if (hi < lo || lo < 0) throw new ArgumentOutOfRangeException(nameof(hi), $"extract {hi} {lo}");
        return $"((_ extract {hi} {lo}) {term})";
    }

    /// <summary>The low <paramref name="bits"/> bits.</summary>
    public static string Low(int bits, string term) => Extract(bits - 1, 0, term);

    public static string Bit(int index, string term) => Extract(index, index, term);

    public static string ZeroExtend(int extraBits, string term) =>
        extraBits == 0 ? term : $"((_ zero_extend {extraBits}) {term})";

    public static string SignExtend(int extraBits, string term) =>
        extraBits == 0 ? term : $"((_ sign_extend {extraBits}) {term})";

    /// <summary>Concatenation, most significant part first (SMT-LIB order).</summary>
    public static string Concat(params string[] highToLow) =>
        highToLow.Length == 1 ? highToLow[0] : App("concat", highToLow);

    public static string Ite(string condition, string then, string otherwise) =>
        then == otherwise ? then : $"(ite {condition} {then} {otherwise})";

    public static string Eq(string a, string b) => $"(= {a} {b})";
    public static string Distinct(string a, string b) => $"(distinct {a} {b})";
    public static string Not(string a) => $"(not {a})";
    public static string And(params string[] terms) => terms.Length == 0 ? True : terms.Length == 1 ? terms[0] : App("and", terms);
    public static string Or(params string[] terms) => terms.Length == 0 ? False : terms.Length == 1 ? terms[0] : App("or", terms);

    public static string BvAdd(params string[] terms) => App("bvadd", terms);
    public static string BvSub(string a, string b) => App("bvsub", a, b);
    public static string BvMul(string a, string b) => App("bvmul", a, b);
    public static string BvAnd(params string[] terms) => App("bvand", terms);
    public static string BvOr(params string[] terms) => App("bvor", terms);
    public static string BvXor(params string[] terms) => App("bvxor", terms);
    public static string BvNot(string a) => App("bvnot", a);
    public static string BvNeg(string a) => App("bvneg", a);
    public static string BvShl(string a, string count) => App("bvshl", a, count);
    public static string BvLshr(string a, string count) => App("bvlshr", a, count);
    public static string BvAshr(string a, string count) => App("bvashr", a, count);
    public static string BvUrem(string a, string b) => App("bvurem", a, b);
    public static string BvUlt(string a, string b) => App("bvult", a, b);
    public static string BvUle(string a, string b) => App("bvule", a, b);

    /// <summary>A Bool as a 1-bit vector (flags are stored as <c>(_ BitVec 1)</c>).</summary>
    public static string BoolToBit(string condition) => condition switch
    {
        True => Bit1,
        False => Bit0,
        _ => $"(ite {condition} #b1 #b0)",
    };

    /// <summary>A 1-bit vector as a Bool.</summary>
    public static string IsSet(string bit) => $"(= {bit} #b1)";

    public static string IsZero(string term, int bits) => Eq(term, Zero(bits));
}

/// <summary>
/// Collects the declarations, definitions and assertions of one SMT-LIB2 script. Every
/// intermediate value of a symbolic execution is bound with <see cref="Define"/>, so the script
/// grows linearly with the number of instructions instead of exponentially with term sharing.
/// </summary>
public sealed class SmtBuilder
{
    private readonly StringBuilder _body = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    /// <summary>Optional <c>(set-logic ...)</c>; null lets z3 pick (it handles the BV+array+FP mix).</summary>
    public string? Logic { get; set; }

    /// <summary>Number of commands emitted so far (declarations, definitions, assertions, comments).</summary>
    public int CommandCount { get; private set; }

    /// <summary>Declares a constant with exactly this name; throws when the name is taken.</summary>
    public string Declare(string name, string sort)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_names.Add(name)) throw new ArgumentException($"SMT name '{name}' is already declared", nameof(name));
        Emit($"(declare-fun {name} () {sort})");
        return name;
    }

    /// <summary>Declares a new unconstrained constant whose name starts with <paramref name="hint"/>.</summary>
    public string Fresh(string sort, string hint = "v") => Declare(NewName(hint), sort);

    /// <summary>
    /// Binds <paramref name="term"/> to a new name with <c>define-fun</c> and returns the name. An
    /// atomic term (a symbol or literal) is returned as it is: naming it would only add a line.
    /// </summary>
    public string Define(string sort, string term, string hint = "t")
    {
        ArgumentException.ThrowIfNullOrEmpty(term);
        if (IsAtom(term)) return term;
        string name = NewName(hint);
        _names.Add(name);
        Emit($"(define-fun {name} () {sort} {term})");
        return name;
    }

    /// <summary><see cref="Define"/> for a bit-vector of <paramref name="bits"/> bits.</summary>
    public string DefineBv(int bits, string term, string hint = "t") => Define(Smt.BvSort(bits), term, hint);

    public void Assert(string term) => Emit($"(assert {term})");

    /// <summary>A <c>;</c> comment line (newlines are flattened).</summary>
    public void Comment(string text) => _body.Append("; ").Append(text.Replace('\n', ' ').Replace('\r', ' ')).Append('\n');

    /// <summary>Appends a raw command (e.g. <c>(push)</c>); the caller is responsible for its syntax.</summary>
    public void Raw(string command) => Emit(command);

    /// <summary>Whether <paramref name="name"/> is declared or defined in this script.</summary>
    public bool IsDeclared(string name) => _names.Contains(name);

    /// <summary>
    /// The complete script: everything so far, then <c>(assert goal)</c> when a goal is given, then
    /// <c>(check-sat)</c>, then <paramref name="afterCheckSat"/> (e.g. <c>(get-model)</c>).
    /// </summary>
    public string ToScript(string? goal = null, IEnumerable<string>? afterCheckSat = null)
    {
        var sb = new StringBuilder(_body.Length + 64);
        if (Logic is not null) sb.Append("(set-logic ").Append(Logic).Append(")\n");
        sb.Append(_body);
        if (goal is not null) sb.Append("(assert ").Append(goal).Append(")\n");
        sb.Append("(check-sat)\n");
        if (afterCheckSat is not null)
        {
            foreach (var command in afterCheckSat) sb.Append(command).Append('\n');
        }
        return sb.ToString();
    }

    public override string ToString() => _body.ToString();

    private string NewName(string hint)
    {
        // '.' cannot occur in the prefixes callers use for their own names (init_rax, c, imm...),
        // so generated names never collide with declared ones.
        string stem = string.IsNullOrEmpty(hint) ? "t" : hint;
        _counters.TryGetValue(stem, out int n);
        string name;
        do
        {
            name = $"{stem}.{n++}";
        } while (_names.Contains(name));
        _counters[stem] = n;
        return name;
    }

    private void Emit(string command)
    {
        _body.Append(command).Append('\n');
        CommandCount++;
    }

    private static bool IsAtom(string term)
    {
        foreach (char c in term)
        {
            if (c is '(' or ')' or ' ' or '|') return false;
        }
        return true;
    }
}
