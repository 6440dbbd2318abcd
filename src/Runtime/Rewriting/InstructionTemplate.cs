using System.Globalization;
using Iced.Intel;
using CompilerLLM.Assembly;

namespace CompilerLLM.Rewriting;

/// <summary>
/// One replacement instruction: Iced <see cref="Code"/> names with <c>{w}</c> for the width,
/// alternatives separated by <c>|</c> (the first whose operand kinds accept the values wins, e.g.
/// <c>Add_rm{w}_imm8|Add_rm{w}_imm32</c>), and the operands in Intel order.
/// <para>
/// The names are resolved to <see cref="Code"/> values once, here, for every register width; a
/// <see cref="RewriteRule"/> refuses to be built when a name is unknown at one of its widths, or
/// names a code that takes a different number of operands, so a misspelt code fails the catalogue's
/// construction (and the test suite) instead of silently never encoding at a user's site.
/// </para>
/// </summary>
public sealed class InstructionTemplate
{
    /// <summary>The operand widths a template can be instantiated at, in the order of <see cref="_codes"/>.</summary>
    private static readonly int[] RegisterWidths = [8, 16, 32, 64];

    // Every Iced code by name, for names the generated table does not list (a new rule's, a test's). Reflecting over
    // Iced's ~4,900 codes costs a native-AOT launcher about 7 ms of a unit's CPU, so the catalogues never need it.
    private static readonly Lazy<Dictionary<string, Code>> AllCodesByName =
        new(() => Enum.GetValues<Code>().ToDictionary(c => c.ToString(), StringComparer.Ordinal));

    /// <summary>Per width of <see cref="RegisterWidths"/>: the alternatives' codes, or null when a name is unknown there.</summary>
    private readonly Code[]?[] _codes = new Code[]?[RegisterWidths.Length];

    /// <summary>Per width: the first alternative that names no Iced code, for the error message.</summary>
    private readonly string?[] _unknown = new string?[RegisterWidths.Length];

    public InstructionTemplate(string codes, IReadOnlyList<OperandTemplate> operands)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(codes);
        Codes = codes;
        Operands = operands;
        string[] alternatives = codes.Split('|');
        for (int k = 0; k < RegisterWidths.Length; k++)
        {
            var resolved = new Code[alternatives.Length];
            for (int a = 0; a < alternatives.Length && _unknown[k] is null; a++)
            {
                string name = NameAt(alternatives[a], RegisterWidths[k]);
                if (TryResolve(name, out var code)) resolved[a] = code;
                else _unknown[k] = name;
            }
            if (_unknown[k] is null) _codes[k] = resolved;
        }
    }

    /// <summary>Every code name a template of <paramref name="codes"/> may look up: each alternative at each register width.</summary>
    internal static IEnumerable<string> NamesLookedUp(string codes) =>
        from alternative in codes.Split('|') from width in RegisterWidths select NameAt(alternative, width);

    private static string NameAt(string alternative, int width) =>
        alternative.Replace("{w}", width.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>The Iced code named <paramref name="name"/>: from the generated table, else by reflection over Iced's enum.</summary>
    internal static bool TryResolve(string name, out Code code)
    {
        if (IcedCodeNames.Lookup(name) is { } listed)
        {
            code = listed;
            return listed != Code.INVALID;
        }
        return AllCodesByName.Value.TryGetValue(name, out code);
    }

    /// <summary>
    /// The operand kinds of <paramref name="code"/>: from the generated table, else from Iced's <see cref="OpCodeInfo"/>
    /// (whose first use builds the description of every one of Iced's codes, about 11 ms of a launcher run).
    /// </summary>
    internal static ReadOnlySpan<OpCodeOperandKind> OperandKinds(Code code)
    {
        if (IcedCodeNames.TryGetOperandKinds(code, out var listed)) return listed;
        var op = code.ToOpCode();
        var kinds = new OpCodeOperandKind[op.OpCount];
        for (int k = 0; k < kinds.Length; k++) kinds[k] = op.GetOpKind(k);
        return kinds;
    }

    /// <summary>Whether the generated table lists <paramref name="name"/> (tests: the catalogues never take the slow path).</summary>
    internal static bool IsListed(string name) => IcedCodeNames.Lookup(name) is not null;

    /// <summary>What reflection over Iced's enum says of <paramref name="name"/> (tests: the table's truth).</summary>
    internal static Code ByReflection(string name) => AllCodesByName.Value.GetValueOrDefault(name, Code.INVALID);

    public static InstructionTemplate Of(string codes, params OperandTemplate[] operands) => new(codes, operands);

    /// <summary>The alternatives as written, e.g. <c>Add_rm{w}_imm8|Add_rm{w}_imm32</c>.</summary>
    public string Codes { get; }

    public IReadOnlyList<OperandTemplate> Operands { get; }

    /// <summary>The alternatives' Iced codes at <paramref name="width"/>, in order of preference.</summary>
    /// <exception cref="InvalidOperationException">A name is unknown at that width (a rule never gets built so).</exception>
    public IReadOnlyList<Code> CodesAt(int width) => Array.AsReadOnly(ResolvedAt(width));

    /// <summary>Rule construction: why this template cannot be used at <paramref name="width"/>, or null when it can.</summary>
    internal string? ProblemAt(int width)
    {
        int k = Array.IndexOf(RegisterWidths, width);
        if (k < 0) return $"width {width} is not a register width (8, 16, 32 or 64)";
        if (_unknown[k] is { } unknown) return $"'{unknown}' (from '{Codes}' at width {width}) is not an Iced Code";
        foreach (var code in _codes[k]!)
        {
            int count = OperandKinds(code).Length;
            if (count != Operands.Count)
                return $"Iced Code {code} has {count} operand(s), the template for '{Codes}' gives {Operands.Count}";
        }
        return null;
    }

    private Code[] ResolvedAt(int width)
    {
        int k = Array.IndexOf(RegisterWidths, width);
        return (k >= 0 ? _codes[k] : null) ?? throw new InvalidOperationException($"'{Codes}' names no Iced code at width {width}");
    }

    /// <summary>Proofs: the operand terms for the instruction built from <paramref name="bindings"/>, or null.</summary>
    internal Verification.OperandTerms? Terms(Bindings bindings)
    {
        string? immediate = null, displacement = null;
        foreach (var o in Operands)
        {
            if (o.Term(bindings) is not { } t) continue;
            if (o is ImmediateTemplate) immediate = t;
            else displacement = t;
        }
        return immediate is null && displacement is null ? null : new Verification.OperandTerms(immediate, displacement);
    }

    /// <summary>The instruction with the symbol its memory operand carries; null when no alternative can encode the operands.</summary>
    internal (Instruction Instruction, SymbolicOperand Symbol)? Build(Bindings bindings)
    {
        var codes = ResolvedAt(bindings.Width);
        var values = new object[Operands.Count];
        for (int k = 0; k < values.Length; k++) values[k] = Operands[k].Value(bindings);
        foreach (var code in codes)
        {
            if (!Accepts(code, values)) continue;
            var instruction = Create(code, values, out var symbol);
            return (instruction, symbol);
        }
        return null;
    }

    internal static bool Accepts(Code code, object[] values)
    {
        var kinds = OperandKinds(code);
        if (kinds.Length != values.Length) return false;
        for (int k = 0; k < values.Length; k++)
        {
            var kind = kinds[k];
            switch (values[k])
            {
                case long v when !ImmediateFits(kind, v):
                    return false;
                case MemoryBinding when !KindName(kind).Contains("mem"):
                    return false;
                case Register r when !KindName(kind).StartsWith(RegisterPrefix(r), StringComparison.Ordinal):
                    return false;
            }
        }
        return true;
    }

    private static string KindName(OpCodeOperandKind kind) => kind.ToString();

    private static string RegisterPrefix(Register r) => r.GetSize() switch { 1 => "r8", 2 => "r16", 4 => "r32", _ => "r64" };

    private static bool ImmediateFits(OpCodeOperandKind kind, long v) => kind switch
    {
        OpCodeOperandKind.imm8 => v is >= -128 and <= 255,
        OpCodeOperandKind.imm8sex16 or OpCodeOperandKind.imm8sex32 or OpCodeOperandKind.imm8sex64 => v is >= -128 and <= 127,
        OpCodeOperandKind.imm16 => v is >= short.MinValue and <= ushort.MaxValue,
        OpCodeOperandKind.imm32 => v is >= int.MinValue and <= uint.MaxValue,
        OpCodeOperandKind.imm32sex64 => v is >= int.MinValue and <= int.MaxValue,
        OpCodeOperandKind.imm64 => true,
        _ => false,
    };

    internal static Instruction Create(Code code, object[] v, out SymbolicOperand symbol)
    {
        symbol = default;
        MemoryOperand Memory(object o, ref SymbolicOperand s)
        {
            var m = (MemoryBinding)o;
            s = m.Symbol;
            return m.ToMemoryOperand();
        }
        var sym = default(SymbolicOperand);
        var result = v switch
        {
            [] => Instruction.Create(code),
            [Register a] => Instruction.Create(code, a),
            [MemoryBinding m] => Instruction.Create(code, Memory(m, ref sym)),
            [Register a, Register b] => Instruction.Create(code, a, b),
            [Register a, long i] => OperandKinds(code)[1] == OpCodeOperandKind.imm64
                ? Instruction.Create(code, a, i)
                : Instruction.Create(code, a, unchecked((int)i)),
            [Register a, MemoryBinding m] => Instruction.Create(code, a, Memory(m, ref sym)),
            [MemoryBinding m, Register b] => Instruction.Create(code, Memory(m, ref sym), b),
            [MemoryBinding m, long i] => Instruction.Create(code, Memory(m, ref sym), unchecked((int)i)),
            [Register a, Register b, long i] => Instruction.Create(code, a, b, unchecked((int)i)),
            [Register a, MemoryBinding m, long i] => Instruction.Create(code, a, Memory(m, ref sym), unchecked((int)i)),
            _ => throw new InvalidOperationException($"no Instruction.Create for {code} with {v.Length} operands"),
        };
        symbol = sym.IsPresent ? new SymbolicOperand(OperandField.Displacement, sym.TextStart, sym.TextLength) : default;
        return result;
    }
}

