using Iced.Intel;
using CompilerLLM.Assembly;

namespace CompilerLLM.Rewriting;

/// <summary>Matches one operand of an instruction (Intel operand order), binding variables.</summary>
public abstract record OperandPattern
{
    /// <summary>A general register of the rule's width (or <paramref name="width"/> bits), bound by its full register.</summary>
    public static OperandPattern Reg(string name, int width = 0) => new RegisterPattern(name, width);

    /// <summary>An immediate equal to <paramref name="value"/> (compared at the operand width).</summary>
    public static OperandPattern Imm(long value) => new ImmediatePattern(null, [value]);

    /// <summary>An immediate bound to <paramref name="name"/>; with a domain, only those values match (and are proven).</summary>
    public static OperandPattern Imm(string name, IReadOnlyList<long>? domain = null) => new ImmediatePattern(name, domain);

    /// <summary>A memory operand of the rule's width; stack slots only (rsp/rbp base, no index, no symbol) by default.</summary>
    public static OperandPattern Mem(string name, int width = 0, bool stackOnly = true) => new MemoryPattern(name, width, stackOnly);

    internal abstract bool Match(in AsmInstruction asm, int operand, int width, Bindings bindings);
}

public sealed record RegisterPattern(string Name, int Width) : OperandPattern
{
    internal override bool Match(in AsmInstruction asm, int operand, int width, Bindings bindings)
    {
        var i = asm.Instruction;
        if (i.GetOpKind(operand) != OpKind.Register) return false;
        var r = i.GetOpRegister(operand);
        if (!r.IsGPR() || r is Register.AH or Register.BH or Register.CH or Register.DH) return false;
        if (r.GetSize() * 8 != (Width == 0 ? width : Width)) return false;
        return bindings.BindRegister(Name, r.GetFullRegister());
    }
}

public sealed record ImmediatePattern(string? Name, IReadOnlyList<long>? Domain) : OperandPattern
{
    internal override bool Match(in AsmInstruction asm, int operand, int width, Bindings bindings)
    {
        var i = asm.Instruction;
        if (!IsImmediate(i.GetOpKind(operand))) return false;
        if (asm.SymbolFor(OperandField.Immediate).IsPresent) return false;
        long value = Truncate((long)i.GetImmediate(operand), width);
        if (Domain is not null && !Domain.Contains(value)) return false;
        return Name is null || bindings.BindImmediate(Name, value);
    }

    internal static bool IsImmediate(OpKind k) => k is OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32 or OpKind.Immediate64
        or OpKind.Immediate8to16 or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64;

    /// <summary>The value as a signed number of <paramref name="width"/> bits.</summary>
    internal static long Truncate(long value, int width) => width switch
    {
        8 => (sbyte)value,
        16 => (short)value,
        32 => (int)value,
        _ => value,
    };
}

public sealed record MemoryPattern(string Name, int Width, bool StackOnly) : OperandPattern
{
    internal override bool Match(in AsmInstruction asm, int operand, int width, Bindings bindings)
    {
        var i = asm.Instruction;
        if (i.GetOpKind(operand) != OpKind.Memory) return false;
        if (i.MemorySize.GetSize() * 8 != (Width == 0 ? width : Width)) return false;
        var m = new MemoryBinding(i.MemoryBase, i.MemoryIndex, i.MemoryIndexScale, (long)i.MemoryDisplacement64,
            i.MemoryDisplSize, i.SegmentPrefix, asm.SymbolFor(OperandField.Displacement));
        if (StackOnly && !m.IsStackSlot) return false;
        return bindings.BindMemory(Name, m);
    }
}

/// <summary>Matches one instruction: its mnemonic and each operand, with no prefixes beyond those the pattern allows.</summary>
public sealed record InstructionPattern(Mnemonic Mnemonic, IReadOnlyList<OperandPattern> Operands)
{
    public static InstructionPattern Of(Mnemonic mnemonic, params OperandPattern[] operands) => new(mnemonic, operands);

    internal bool Match(in AsmInstruction asm, int width, Bindings bindings)
    {
        var i = asm.Instruction;
        if (i.Mnemonic != Mnemonic || i.OpCount != Operands.Count) return false;
        if (i.HasLockPrefix || i.HasRepPrefix || i.HasRepnePrefix || i.HasXacquirePrefix || i.HasXreleasePrefix) return false;
        if (i.SegmentPrefix is not Register.None && i.Op0Kind != OpKind.Memory && i.Op1Kind != OpKind.Memory) return false;
        for (int k = 0; k < Operands.Count; k++)
        {
            if (!Operands[k].Match(asm, k, width, bindings)) return false;
        }
        return true;
    }
}

/// <summary>
/// The address of an <c>lea</c> (no memory access): <c>disp(base, index, scale)</c> with register
/// variables, a fixed scale (or any when 0, bound to <c>Scale</c>'s variable), and a displacement
/// variable or fixed value. No symbol, no segment, no RIP base.
/// </summary>
public sealed record AddressPattern(string BaseName, string? IndexName, int Scale, string? DisplacementName, long? Displacement, int Width = 0) : OperandPattern
{
    internal override bool Match(in AsmInstruction asm, int operand, int width, Bindings bindings)
    {
        var i = asm.Instruction;
        if (i.GetOpKind(operand) != OpKind.Memory || asm.SymbolFor(OperandField.Displacement).IsPresent) return false;
        if (i.SegmentPrefix != Register.None || i.MemoryBase == Register.RIP || !i.MemoryBase.IsGPR64()) return false;
        if (Width != 0 && i.MemorySize.GetSize() * 8 != Width) return false;
        if (!bindings.BindRegister(BaseName, i.MemoryBase)) return false;
        if (IndexName is null)
        {
            if (i.MemoryIndex != Register.None) return false;
        }
        else
        {
            if (!i.MemoryIndex.IsGPR64() || !bindings.BindRegister(IndexName, i.MemoryIndex)) return false;
            if (Scale != 0 ? i.MemoryIndexScale != Scale : !bindings.BindImmediate(IndexName + ".scale", i.MemoryIndexScale)) return false;
        }
        long disp = (long)i.MemoryDisplacement64;
        if (Displacement is { } fixedDisp && disp != fixedDisp) return false;
        return DisplacementName is null || bindings.BindImmediate(DisplacementName, disp);
    }
}

/// <summary>A memory access <c>disp(base)</c>: base register variable, displacement variable, no index/symbol/segment.</summary>
public sealed record BasedMemoryPattern(string BaseName, string DisplacementName, int Width) : OperandPattern
{
    internal override bool Match(in AsmInstruction asm, int operand, int width, Bindings bindings)
    {
        var i = asm.Instruction;
        if (i.GetOpKind(operand) != OpKind.Memory || asm.SymbolFor(OperandField.Displacement).IsPresent) return false;
        if (i.SegmentPrefix != Register.None || i.MemoryIndex != Register.None || !i.MemoryBase.IsGPR64()) return false;
        if (i.MemorySize.GetSize() * 8 != (Width == 0 ? width : Width)) return false;
        return bindings.BindRegister(BaseName, i.MemoryBase) && bindings.BindImmediate(DisplacementName, (long)i.MemoryDisplacement64);
    }
}
