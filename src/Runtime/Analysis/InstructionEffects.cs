using Iced.Intel;
using CompilerLLM.Assembly;

namespace CompilerLLM.Analysis;

/// <summary>Closed set of reasons an instruction is ordered against everything around it.</summary>
public enum BarrierKind : byte
{
    None,
    /// <summary>A line kept verbatim: its effects are unknown.</summary>
    Verbatim,
    /// <summary>A call: the callee may read or write any memory, and TLS call sequences must stay intact.</summary>
    Call,
    /// <summary>The block's control transfer, which must stay last.</summary>
    ControlFlow,
    /// <summary>Locked, fencing, serializing or system instructions; <c>endbr64</c> which must stay first.</summary>
    Ordering,
}

/// <summary>One memory access of an instruction, in the terms the dependence graph needs.</summary>
public readonly struct MemoryAccess
{
    // 24 bytes: registers as bytes (Iced's Register values are below 256), flags packed.
    private readonly long _displacement;
    private readonly int _symbolStart;
    private readonly ushort _symbolLength;
    private readonly ushort _size;
    private readonly byte _base, _index, _segment, _scaleAndFlags;

    public MemoryAccess(Register @base, Register index, int scale, long displacement, int size, bool reads, bool writes,
        Register segment, int symbolStart, int symbolLength)
    {
        _displacement = displacement;
        _symbolStart = symbolStart;
        _symbolLength = (ushort)Math.Min(symbolLength, ushort.MaxValue);
        _size = (ushort)Math.Min(size, ushort.MaxValue);
        _base = (byte)@base;
        _index = (byte)index;
        _segment = (byte)segment;
        _scaleAndFlags = (byte)((scale & 0xF) | (reads ? 0x10 : 0) | (writes ? 0x20 : 0));
    }

    public Register Base => (Register)_base;
    public Register Index => (Register)_index;
    public Register Segment => (Register)_segment;
    public int Scale => _scaleAndFlags & 0xF;
    public long Displacement => _displacement;
    /// <summary>Bytes accessed; 0 when unknown (string instructions).</summary>
    public int Size => _size;
    public bool Reads => (_scaleAndFlags & 0x10) != 0;
    public bool Writes => (_scaleAndFlags & 0x20) != 0;
    public int SymbolStart => _symbolStart;
    public int SymbolLength => _symbolLength;
    public bool HasSymbol => _symbolLength > 0;
}

/// <summary>
/// What one instruction reads and writes. <see cref="Uses"/> includes locations only partly
/// written (a byte write, a conditional write, a legacy-SSE write keeping the upper lanes), since
/// their old value survives; <see cref="Kills"/> are locations whose old value is fully replaced.
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
public readonly record struct InstructionEffects(
    LocationSet Uses,
    LocationSet Kills,
    LocationSet Writes,
    BarrierKind Barrier,
    byte MemoryCount,
    int MemoryStart);

/// <summary>
/// Computes <see cref="InstructionEffects"/> from Iced's <see cref="InstructionInfo"/>, adding
/// what Iced leaves to the ABI (calls, returns) and to architectural corner cases Iced reports as
/// plain writes (shift/rotate flags when the count may be 0).
/// </summary>
public sealed class EffectsBuilder
{
    private readonly InstructionInfoFactory _factory = new();
    private List<MemoryAccess> _memory = [];

    /// <summary>Memory accesses computed since the last <see cref="TakeMemory"/>; <see cref="InstructionEffects.MemoryStart"/> indexes here.</summary>
    public List<MemoryAccess> Memory => _memory;

    /// <summary>Hands over the accesses collected so far and starts a new list.</summary>
    public List<MemoryAccess> TakeMemory()
    {
        var taken = _memory;
        _memory = [];
        return taken;
    }

    public static InstructionEffects VerbatimEffects =>
        new(LocationSet.All, LocationSet.Empty, LocationSet.All, BarrierKind.Verbatim, 0, 0);

    /// <summary>
    /// The effects of one instruction. For a direct call to a function of the same file, pass that
    /// function's summary as <paramref name="localCallWrites"/>: such a call then writes only those
    /// registers and kills none (see <see cref="CallSummaries"/>).
    /// </summary>
    public InstructionEffects Compute(in AsmInstruction asm, LocationSet? localCallWrites = null)
    {
        var instruction = asm.Instruction;
        var info = _factory.GetInfo(instruction);
        var uses = LocationSet.Empty;
        var kills = LocationSet.Empty;
        var writes = LocationSet.Empty;

        foreach (var used in info.GetUsedRegisters())
        {
            var access = used.Access;
            if (access is OpAccess.None or OpAccess.NoMemAccess) continue;
            if (!Map(used.Register, out var whole, out var killedByWrite, instruction.Encoding)) continue;
            switch (access)
            {
                case OpAccess.Read:
                case OpAccess.CondRead:
                    uses |= whole;
                    break;
                case OpAccess.Write:
                    writes |= whole;
                    kills |= killedByWrite;
                    uses |= whole - killedByWrite; // a partial write keeps the rest of the old value
                    break;
                default: // ReadWrite, CondWrite, ReadCondWrite
                    uses |= whole;
                    writes |= whole;
                    break;
            }
        }

        var flagsRead = Location.FromRflags(instruction.RflagsRead);
        var flagsWritten = Location.FromRflags(instruction.RflagsModified);
        uses |= flagsRead;
        writes |= flagsWritten;
        if (FlagsWrittenOnlyIfCountNonZero(instruction)) uses |= flagsWritten;
        else kills |= flagsWritten;

        var barrier = BarrierKind.None;
        switch (instruction.FlowControl)
        {
            case FlowControl.Call when instruction.Mnemonic is Mnemonic.Syscall or Mnemonic.Sysenter:
                // The Linux system call convention, not the function-call one: arguments in rax, rdi, rsi,
                // rdx, r10, r8, r9; only rax, rcx and r11 are clobbered; RFLAGS comes back as it was.
                uses |= LocationSet.Of(Location.Rax, Location.Rdi, Location.Rsi, Location.Rdx, Location.R10, Location.R8, Location.R9, Location.Rsp);
                kills |= LocationSet.Of(Location.Rax, Location.Rcx, Location.R11);
                writes |= LocationSet.Of(Location.Rax, Location.Rcx, Location.R11);
                kills -= LocationSet.StatusFlags;
                uses |= writes & LocationSet.StatusFlags;
                barrier = BarrierKind.Ordering;
                break;
            case FlowControl.Interrupt:
                // int $0x80 and friends: a convention per vector and kernel (some zero r8-r11, some keep them).
                // Read and possibly write everything, kill nothing.
                uses = LocationSet.All;
                writes = LocationSet.All;
                kills = LocationSet.Empty;
                barrier = BarrierKind.Ordering;
                break;
            case FlowControl.Call when localCallWrites is { } local:
                uses |= SysVAbi.CallUses;
                writes |= local;
                uses |= local & SysVAbi.CallClobbers; // may-writes: the old value may survive
                barrier = BarrierKind.Call;
                break;
            case FlowControl.Call:
            case FlowControl.IndirectCall:
                uses |= SysVAbi.CallUses;
                kills |= SysVAbi.CallClobbers;
                writes |= SysVAbi.CallClobbers;
                barrier = BarrierKind.Call;
                break;
            case FlowControl.Return:
                uses |= SysVAbi.ReturnUses;
                barrier = BarrierKind.ControlFlow;
                break;
            case FlowControl.Next:
                if (IsOrdering(instruction)) barrier = BarrierKind.Ordering;
                break;
            default:
                barrier = BarrierKind.ControlFlow;
                break;
        }
        // The x87 stack (and the MMX registers aliasing it) is one location, read and written by every
        // x87/MMX instruction (pushes and pops move the top even when Iced lists no ST register), never fully replaced.
        if (TouchesX87(instruction)) { uses = uses.With(Location.X87); writes = writes.With(Location.X87); }
        kills -= LocationSet.Of(Location.X87);
        // TLS access sequences (x@tlsgd, x@tlsld, @tlsdesc) must stay exactly as written for the linker to relax them.
        if (barrier == BarrierKind.None && IsTlsSequencePart(asm)) barrier = BarrierKind.Ordering;
        // Moving rsp moves the red zone: stack accesses must not cross an allocation or release.
        if (barrier == BarrierKind.None && writes.Contains(Location.Rsp)) barrier = BarrierKind.Ordering;

        int memoryStart = _memory.Count;
        if (CollectMemory)
        foreach (var m in info.GetUsedMemory())
        {
            bool reads = m.Access is OpAccess.Read or OpAccess.CondRead or OpAccess.ReadWrite or OpAccess.ReadCondWrite;
            bool writesMemory = m.Access is OpAccess.Write or OpAccess.CondWrite or OpAccess.ReadWrite or OpAccess.ReadCondWrite;
            if (!reads && !writesMemory) continue;
            int size = m.MemorySize == MemorySize.Unknown || HasUnboundedBitOffset(instruction) ? 0 : m.MemorySize.GetSize();
            var symbol = asm.SymbolFor(OperandField.Displacement);
            _memory.Add(new MemoryAccess(m.Base, m.Index, m.Scale, (long)m.Displacement, size, reads, writesMemory, m.Segment,
                symbol.TextStart, symbol.TextLength));
        }
        return new InstructionEffects(uses, kills, writes, barrier, (byte)(_memory.Count - memoryStart), memoryStart);
    }

    private static bool TouchesX87(in Instruction instruction)
    {
        foreach (var feature in instruction.CpuidFeatures)
        {
            if (feature is CpuidFeature.FPU or CpuidFeature.FPU287 or CpuidFeature.FPU287XL_ONLY or CpuidFeature.FPU387
                or CpuidFeature.FPU387SL_ONLY or CpuidFeature.MMX or CpuidFeature.D3NOW) return true;
        }
        for (int k = 0; k < instruction.OpCount; k++)
        {
            if (instruction.GetOpKind(k) == OpKind.Register && instruction.GetOpRegister(k) is >= Register.MM0 and <= Register.MM7) return true;
        }
        return false;
    }

    private bool IsTlsSequencePart(in AsmInstruction asm)
    {
        for (int k = 0; k < 2; k++)
        {
            var s = k == 0 ? asm.Symbol0 : asm.Symbol1;
            if (!s.IsPresent || SymbolSource is null) continue;
            var text = SymbolSource.AsSpan(s.TextStart, s.TextLength);
            if (text.Contains("@tlsgd", StringComparison.OrdinalIgnoreCase) || text.Contains("@tlsld", StringComparison.OrdinalIgnoreCase)
                || text.Contains("@tlsdesc", StringComparison.OrdinalIgnoreCase) || text.Contains("@tlscall", StringComparison.OrdinalIgnoreCase)
                || text.Contains("__tls_get_addr", StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>False to skip memory accesses (callers that only need register effects save the allocation).</summary>
    public bool CollectMemory { get; set; } = true;

    /// <summary>The source text symbolic operands point into (the file being analysed); set by the analysis.</summary>
    public string? SymbolSource { get; set; }

    /// <summary>Maps an Iced register to locations; <paramref name="killed"/> is what a plain write fully replaces.</summary>
    internal static bool Map(Register register, out LocationSet whole, out LocationSet killed, EncodingKind encoding)
    {
        whole = killed = LocationSet.Empty;
        if (register.IsGPR())
        {
            int n = register.GetFullRegister() - Register.RAX;
            if ((uint)n >= 16) return false;
            whole = LocationSet.Of(Location.GprBase + n);
            // 32-bit writes zero-extend; 8/16-bit writes merge.
            if (register.GetSize() >= 4) killed = whole;
            return true;
        }
        if (register.IsVectorRegister())
        {
            int n = register.GetNumber();
            var low = LocationSet.Of(Location.VectorLowBase + n);
            var high = LocationSet.Of(Location.VectorHighBase + n);
            if (register.IsXMM())
            {
                whole = low;
                // VEX/EVEX writes to xmm zero the upper bits; legacy SSE keeps them.
                killed = encoding == EncodingKind.Legacy ? low : low | high;
                if (encoding != EncodingKind.Legacy) whole = low | high;
            }
            else
            {
                whole = low | high;
                killed = whole;
            }
            return true;
        }
        if (register.IsK())
        {
            whole = killed = LocationSet.Of(Location.MaskBase + (register - Register.K0));
            return true;
        }
        if (register >= Register.ST0 && register <= Register.ST7)
        {
            whole = LocationSet.Of(Location.X87);
            return true;
        }
        return false;
    }

    /// <summary>
    /// <c>bt/bts/btr/btc</c> with a register bit offset and a memory operand address
    /// operand + (offset &gt;&gt; 3), anywhere in ±256 MB: the access has no known extent.
    /// </summary>
    private static bool HasUnboundedBitOffset(in Instruction instruction) =>
        instruction.Mnemonic is Mnemonic.Bt or Mnemonic.Bts or Mnemonic.Btr or Mnemonic.Btc
        && instruction.Op0Kind == OpKind.Memory && instruction.Op1Kind == OpKind.Register;

    /// <summary>Shifts and rotates leave the flags untouched when the masked count is zero.</summary>
    private static bool FlagsWrittenOnlyIfCountNonZero(in Instruction instruction)
    {
        switch (instruction.Mnemonic)
        {
            case Mnemonic.Shl: case Mnemonic.Sal: case Mnemonic.Shr: case Mnemonic.Sar:
            case Mnemonic.Rol: case Mnemonic.Ror: case Mnemonic.Rcl: case Mnemonic.Rcr:
            case Mnemonic.Shld: case Mnemonic.Shrd:
                break;
            default:
                return false;
        }
        int countOperand = instruction.OpCount - 1;
        var kind = instruction.GetOpKind(countOperand);
        if (kind == OpKind.Register) return true; // %cl
        if (kind is OpKind.Immediate8 or OpKind.Immediate8_2nd)
        {
            int mask = instruction.MemorySize == MemorySize.UInt64 || instruction.Op0Register.GetSize() == 8 ? 63 : 31;
            return (instruction.GetImmediate(countOperand) & (ulong)mask) == 0;
        }
        return false; // implicit count of 1
    }

    private static bool IsOrdering(in Instruction instruction)
    {
        if (instruction.HasLockPrefix) return true;
        switch (instruction.Mnemonic)
        {
            case Mnemonic.Mfence: case Mnemonic.Lfence: case Mnemonic.Sfence: case Mnemonic.Cpuid:
            case Mnemonic.Rdtsc: case Mnemonic.Rdtscp: case Mnemonic.Pause: case Mnemonic.Endbr64:
            case Mnemonic.Endbr32: case Mnemonic.Xgetbv: case Mnemonic.Rdrand: case Mnemonic.Rdseed:
            case Mnemonic.Clflush: case Mnemonic.Clflushopt: case Mnemonic.Prefetchw: case Mnemonic.Serialize:
            case Mnemonic.Wbinvd: case Mnemonic.Invlpg: case Mnemonic.Rdpmc: case Mnemonic.Wait:
            case Mnemonic.Fnstenv: case Mnemonic.Fldenv: case Mnemonic.Fnsave: case Mnemonic.Frstor:
            case Mnemonic.Ldmxcsr: case Mnemonic.Stmxcsr: case Mnemonic.Vldmxcsr: case Mnemonic.Vstmxcsr:
            case Mnemonic.Fldcw: case Mnemonic.Fnstcw: case Mnemonic.Xsave: case Mnemonic.Xrstor:
                return true;
            case Mnemonic.Xchg:
                return instruction.Op0Kind == OpKind.Memory || instruction.Op1Kind == OpKind.Memory; // implicitly locked
            default:
                return false;
        }
    }
}
