using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Rewriting.Functions;
using CompilerLLM.Rewriting.Guards;

namespace CompilerLLM.Rewriting.Catalogues;

/// <summary>The small vocabulary the catalogues are written in, so each rule reads as data.</summary>
internal static class RuleDsl
{
    public static readonly IReadOnlyList<int> AllWidths = [8, 16, 32, 64];
    public static readonly IReadOnlyList<int> Wide = [32, 64];

    public static LocationSet Flags(params int[] flags) => LocationSet.Of(flags);
    public static LocationSet AllFlags => LocationSet.StatusFlags;

    public static InstructionPattern I(Mnemonic m, params OperandPattern[] ops) => InstructionPattern.Of(m, ops);

    public static InstructionTemplate T(string codes, params OperandTemplate[] ops) => InstructionTemplate.Of(codes, ops);

    public static OperandPattern Reg(string name, int width = 0) => OperandPattern.Reg(name, width);
    public static OperandPattern Imm(long value) => OperandPattern.Imm(value);
    public static OperandPattern Imm(string name, IReadOnlyList<long>? domain = null) => OperandPattern.Imm(name, domain);
    public static OperandPattern Stack(string name, int width = 0) => OperandPattern.Mem(name, width, stackOnly: true);
    public static OperandPattern Addr(string b, string? index = null, int scale = 1, string? disp = null, long? fixedDisp = null) =>
        new AddressPattern(b, index, scale, disp, fixedDisp);
    /// <summary>A memory access <c>disp(base)</c> of the rule's width (no index, no symbol).</summary>
    public static OperandPattern At(string b, string disp, int width = 0) => new BasedMemoryPattern(b, disp, width);

    public static OperandTemplate R(string name, int width = 0) => OperandTemplate.Reg(name, width);
    public static OperandTemplate Im(long value) => OperandTemplate.Imm(value);
    public static OperandTemplate Im(string name) => OperandTemplate.Imm(name);
    public static OperandTemplate Im(OperandFunction value) => OperandTemplate.Imm(value);
    public static OperandTemplate M(string name) => OperandTemplate.Mem(name);
    /// <summary>An address <c>disp(b, index, scale)</c>; scale 1 and displacement 0 unless given.</summary>
    public static OperandTemplate A(string? b, string? index = null, OperandFunction? scale = null, OperandFunction? disp = null) =>
        OperandTemplate.Address(b, index, scale, disp);

    // Operand functions: computed immediates, displacements and scales (Functions/).

    /// <summary>The value of the immediate variable <paramref name="name"/>.</summary>
    public static OperandFunction Var(string name) => new VariableFunction(name);
    /// <summary><c>a+b</c> of two immediate variables (wrapping).</summary>
    public static OperandFunction Sum(string a, string b) => new SumFunction(Var(a), Var(b));
    /// <summary><c>name-constant</c> (wrapping).</summary>
    public static OperandFunction Minus(string name, long constant) => new MinusConstantFunction(Var(name), constant);
    /// <summary><c>log2(name)</c>: the shift count of a power of two.</summary>
    public static OperandFunction Log2(string name) => new Log2Function(Var(name));

    // Guards: conditions checked at every match and assumed by every proof (Guards/).

    public static RuleGuard FitsInt32(OperandFunction value) => new FitsInInt32Guard(value);
    public static RuleGuard FitsInt32(string name) => FitsInt32(Var(name));
    public static RuleGuard NonZero(string name) => new NonZeroGuard(Var(name));
    /// <summary>Register variables <paramref name="a"/> and <paramref name="b"/> bind different registers.</summary>
    public static RuleGuard Distinct(string a, string b) => new DistinctRegistersGuard(a, b);
    /// <summary>Register variable <paramref name="reg"/> is neither base nor index of memory variable <paramref name="mem"/>.</summary>
    public static RuleGuard NotInAddress(string reg, string mem) => new RegisterOutsideAddressGuard(reg, mem);
    public static RuleGuard All(params RuleGuard[] guards) => new AllOfGuard(guards);

    public static RewriteRule Rule(string name, RuleFamily family, string equation, IReadOnlyList<int> widths,
        InstructionPattern[] match, InstructionTemplate[] replace, RuleConditions? when = null) =>
        new(name, family, equation, widths, match, replace, when ?? RuleConditions.None);

    public static RuleConditions Dead(LocationSet flags, params string[] registers) => new() { DeadFlags = flags, DeadRegisters = registers };

    /// <summary>The conditions plus a guard (its description comes from the guard itself).</summary>
    public static RuleConditions Guarded(RuleConditions c, RuleGuard guard) => c with { Guard = guard };
}

