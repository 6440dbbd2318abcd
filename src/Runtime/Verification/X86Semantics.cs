using CompilerLLM.Analysis;
using Iced.Intel;

namespace CompilerLLM.Verification;

/// <summary>
/// Symbolic replacements for an instruction's constant fields, so one proof covers every value.
/// Both are <c>(_ BitVec 64)</c> terms.
/// </summary>
/// <param name="Immediate">
/// Replaces the immediate operand: its value after the encoding's sign extension, as 64 bits. The
/// instruction uses the low operand-size bits (the low 8 bits for a shift or rotate count, which is
/// then masked as the hardware does).
/// </param>
/// <param name="Displacement">
/// Replaces the memory operand's displacement (the low 32 bits under a 32-bit address size). For
/// a RIP-relative operand it replaces the whole address, i.e. the symbol's value.
/// </param>
public sealed record OperandTerms(string? Immediate = null, string? Displacement = null);

/// <summary>
/// Exact bit-vector semantics of a subset of x86-64, executed on a <see cref="SymbolicState"/>.
/// <para>
/// Exact means: every result bit and every flag the Intel SDM defines is computed; a flag (or
/// result) the manual leaves undefined becomes a fresh unconstrained constant, so a proof can never
/// depend on what one particular CPU happens to produce. Anything not modelled exactly makes
/// <see cref="TryExecute"/> return false with a reason; there are no approximations.
/// </para>
/// <para>
/// Assumptions, stated once: the instruction completes (faults, including the alignment #GP of
/// movaps/movdqa and legacy-SSE memory operands, are not modelled); memory is plain memory (no
/// MMIO, no other thread: a lock prefix is rejected); MXCSR.RC is round-to-nearest-even (the ABI
/// default) for int→float conversions; the CPU has BMI1/LZCNT, so <c>tzcnt</c>/<c>lzcnt</c> are
/// not executed as <c>bsf</c>/<c>bsr</c>.
/// </para>
/// </summary>
public static class X86Semantics
{
    /// <summary>
    /// Mnemonics with at least one modelled form. Support also depends on the operands (no FS/GS
    /// memory, no MMX registers, no EVEX encoding, no 16-bit push/pop...): <see cref="TryExecute"/>
    /// is the authority.
    /// </summary>
    public static IReadOnlySet<Mnemonic> SupportedMnemonics { get; } = new HashSet<Mnemonic>
    {
        Mnemonic.Mov, Mnemonic.Movzx, Mnemonic.Movsx, Mnemonic.Movsxd, Mnemonic.Lea,
        Mnemonic.Add, Mnemonic.Adc, Mnemonic.Sub, Mnemonic.Sbb, Mnemonic.Cmp,
        Mnemonic.And, Mnemonic.Or, Mnemonic.Xor, Mnemonic.Test,
        Mnemonic.Inc, Mnemonic.Dec, Mnemonic.Neg, Mnemonic.Not,
        Mnemonic.Shl, Mnemonic.Sal, Mnemonic.Shr, Mnemonic.Sar, Mnemonic.Rol, Mnemonic.Ror,
        Mnemonic.Imul, Mnemonic.Mul,
        Mnemonic.Seto, Mnemonic.Setno, Mnemonic.Setb, Mnemonic.Setae, Mnemonic.Sete, Mnemonic.Setne,
        Mnemonic.Setbe, Mnemonic.Seta, Mnemonic.Sets, Mnemonic.Setns, Mnemonic.Setp, Mnemonic.Setnp,
        Mnemonic.Setl, Mnemonic.Setge, Mnemonic.Setle, Mnemonic.Setg,
        Mnemonic.Cmovo, Mnemonic.Cmovno, Mnemonic.Cmovb, Mnemonic.Cmovae, Mnemonic.Cmove, Mnemonic.Cmovne,
        Mnemonic.Cmovbe, Mnemonic.Cmova, Mnemonic.Cmovs, Mnemonic.Cmovns, Mnemonic.Cmovp, Mnemonic.Cmovnp,
        Mnemonic.Cmovl, Mnemonic.Cmovge, Mnemonic.Cmovle, Mnemonic.Cmovg,
        Mnemonic.Xchg, Mnemonic.Nop, Mnemonic.Endbr64, Mnemonic.Endbr32, Mnemonic.Push, Mnemonic.Pop,
        Mnemonic.Bswap, Mnemonic.Bsf, Mnemonic.Bsr, Mnemonic.Tzcnt, Mnemonic.Lzcnt, Mnemonic.Popcnt,
        Mnemonic.Cbw, Mnemonic.Cwde, Mnemonic.Cdqe, Mnemonic.Cwd, Mnemonic.Cdq, Mnemonic.Cqo,
        Mnemonic.Movaps, Mnemonic.Movapd, Mnemonic.Movups, Mnemonic.Movupd, Mnemonic.Movdqa, Mnemonic.Movdqu,
        Mnemonic.Vmovaps, Mnemonic.Vmovapd, Mnemonic.Vmovups, Mnemonic.Vmovupd, Mnemonic.Vmovdqa, Mnemonic.Vmovdqu,
        Mnemonic.Movd, Mnemonic.Movq, Mnemonic.Vmovd, Mnemonic.Vmovq,
        Mnemonic.Movss, Mnemonic.Movsd, Mnemonic.Vmovss, Mnemonic.Vmovsd,
        Mnemonic.Pxor, Mnemonic.Xorps, Mnemonic.Xorpd, Mnemonic.Vpxor, Mnemonic.Vxorps, Mnemonic.Vxorpd,
        Mnemonic.Pand, Mnemonic.Andps, Mnemonic.Andpd, Mnemonic.Vpand, Mnemonic.Vandps, Mnemonic.Vandpd,
        Mnemonic.Por, Mnemonic.Orps, Mnemonic.Orpd, Mnemonic.Vpor, Mnemonic.Vorps, Mnemonic.Vorpd,
        Mnemonic.Pandn, Mnemonic.Andnps, Mnemonic.Andnpd, Mnemonic.Vpandn, Mnemonic.Vandnps, Mnemonic.Vandnpd,
        Mnemonic.Cvtsi2sd, Mnemonic.Cvtsi2ss, Mnemonic.Vcvtsi2sd, Mnemonic.Vcvtsi2ss,
    };

    /// <summary>
    /// Executes <paramref name="instr"/> on <paramref name="state"/>, binding intermediate values in
    /// <paramref name="smt"/>. On false the state is unchanged and <paramref name="why"/> says what
    /// is not modelled (the builder may hold unused definitions, which are harmless).
    /// </summary>
    public static bool TryExecute(in Instruction instr, SymbolicState state, SmtBuilder smt, OperandTerms? terms, out string? why)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(smt);
        // Executed on a copy so that an instruction rejected half-way leaves no partial writes.
        var work = state.Clone();
        try
        {
            new Executor(instr, work, smt, terms).Run();
        }
        catch (UnsupportedException e)
        {
            why = $"{instr.Mnemonic.ToString().ToLowerInvariant()} ({instr.Code}): {e.Message}";
            return false;
        }
        catch (NotSupportedException e)
        {
            // SymbolicState's register accessors: segment, control, MMX, mask registers...
            why = $"{instr.Mnemonic.ToString().ToLowerInvariant()} ({instr.Code}): {e.Message}";
            return false;
        }
        work.CopyTo(state);
        why = null;
        return true;
    }

    /// <summary>
    /// The condition <paramref name="cc"/> over the flags of <paramref name="state"/>, as a Bool term.
    /// One row per condition of the SDM's Jcc/SETcc/CMOVcc table.
    /// </summary>
    public static string Condition(ConditionCode cc, SymbolicState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string cf = Smt.IsSet(state[Location.CF]), zf = Smt.IsSet(state[Location.ZF]), sf = Smt.IsSet(state[Location.SF]),
            of = Smt.IsSet(state[Location.OF]), pf = Smt.IsSet(state[Location.PF]);
        string less = Smt.Distinct(state[Location.SF], state[Location.OF]);
        return cc switch
        {
            ConditionCode.o => of,
            ConditionCode.no => Smt.Not(of),
            ConditionCode.b => cf,
            ConditionCode.ae => Smt.Not(cf),
            ConditionCode.e => zf,
            ConditionCode.ne => Smt.Not(zf),
            ConditionCode.be => Smt.Or(cf, zf),
            ConditionCode.a => Smt.And(Smt.Not(cf), Smt.Not(zf)),
            ConditionCode.s => sf,
            ConditionCode.ns => Smt.Not(sf),
            ConditionCode.p => pf,
            ConditionCode.np => Smt.Not(pf),
            ConditionCode.l => less,
            ConditionCode.ge => Smt.Not(less),
            ConditionCode.le => Smt.Or(zf, less),
            ConditionCode.g => Smt.And(Smt.Not(zf), Smt.Not(less)),
            _ => throw new ArgumentOutOfRangeException(nameof(cc), cc, "no condition"),
        };
    }

    /// <summary>Thrown inside the executor for anything not modelled; becomes the reason.</summary>
    private sealed class UnsupportedException(string message) : Exception(message);

    /// <summary>The integer operations whose flags follow one formula each.</summary>
    private enum AluOp : byte { Add, Adc, Sub, Sbb, And, Or, Xor }

    private enum ShiftOp : byte { Shl, Shr, Sar, Rol, Ror }

    private enum VectorLogic : byte { And, Or, Xor, AndNot }

    private sealed class Executor(Instruction instr, SymbolicState state, SmtBuilder smt, OperandTerms? terms)
    {
        private readonly Instruction _i = instr;
        private string? _address;
        private bool _immediateUsed, _displacementUsed;

        private bool Vex => _i.Encoding == EncodingKind.VEX;

        public void Run()
        {
            if (_i.Encoding is not (EncodingKind.Legacy or EncodingKind.VEX))
                throw new UnsupportedException($"{_i.Encoding} encoding is not modelled (masking, zmm state)");
            if (_i.HasLockPrefix || _i.HasXacquirePrefix || _i.HasXreleasePrefix)
                throw new UnsupportedException("lock/xacquire/xrelease: atomicity is not modelled");
            if (_i.IsStringInstruction) throw new UnsupportedException("string instructions are not modelled");
            for (int op = 0; op < _i.OpCount; op++)
            {
                if (_i.GetOpKind(op) == OpKind.Memory && _i.Mnemonic != Mnemonic.Lea && _i.Mnemonic != Mnemonic.Nop
                    && _i.MemorySegment is Register.FS or Register.GS)
                    throw new UnsupportedException("FS/GS-based memory is not modelled (the segment base is unknown)");
            }

            Dispatch();

            if (terms?.Immediate is not null && !_immediateUsed)
                throw new UnsupportedException("OperandTerms.Immediate given but the instruction has no immediate operand");
            if (terms?.Displacement is not null && !_displacementUsed)
                throw new UnsupportedException("OperandTerms.Displacement given but the instruction computes no address");
        }

        private void Dispatch()
        {
            switch (_i.Mnemonic)
            {
                case Mnemonic.Add: Alu(AluOp.Add, writeBack: true); return;
                case Mnemonic.Adc: Alu(AluOp.Adc, writeBack: true); return;
                case Mnemonic.Sub: Alu(AluOp.Sub, writeBack: true); return;
                case Mnemonic.Sbb: Alu(AluOp.Sbb, writeBack: true); return;
                case Mnemonic.Cmp: Alu(AluOp.Sub, writeBack: false); return;
                case Mnemonic.And: Alu(AluOp.And, writeBack: true); return;
                case Mnemonic.Or: Alu(AluOp.Or, writeBack: true); return;
                case Mnemonic.Xor: Alu(AluOp.Xor, writeBack: true); return;
                case Mnemonic.Test: Alu(AluOp.And, writeBack: false); return;
                case Mnemonic.Inc: IncDec(AluOp.Add); return;
                case Mnemonic.Dec: IncDec(AluOp.Sub); return;
                case Mnemonic.Neg: Neg(); return;
                case Mnemonic.Not: Not(); return;
                case Mnemonic.Shl or Mnemonic.Sal: Shift(ShiftOp.Shl); return;
                case Mnemonic.Shr: Shift(ShiftOp.Shr); return;
                case Mnemonic.Sar: Shift(ShiftOp.Sar); return;
                case Mnemonic.Rol: Shift(ShiftOp.Rol); return;
                case Mnemonic.Ror: Shift(ShiftOp.Ror); return;
                case Mnemonic.Imul when _i.OpCount > 1: ImulTruncating(); return;
                case Mnemonic.Imul: MulWidening(signed: true); return;
                case Mnemonic.Mul: MulWidening(signed: false); return;
                case Mnemonic.Mov: Mov(); return;
                case Mnemonic.Movzx: Extend(signed: false); return;
                case Mnemonic.Movsx or Mnemonic.Movsxd: Extend(signed: true); return;
                case Mnemonic.Lea: Lea(); return;
                case Mnemonic.Xchg: Xchg(); return;
                case Mnemonic.Nop when _i.Code is Code.Nopw or Code.Nopd or Code.Nopq or Code.Nop_rm16 or Code.Nop_rm32 or Code.Nop_rm64:
                case Mnemonic.Endbr64 or Mnemonic.Endbr32:
                    return; // architecturally no effect (the multi-byte nop's memory operand is never accessed)
                case Mnemonic.Push: Push(); return;
                case Mnemonic.Pop: Pop(); return;
                case Mnemonic.Bswap: Bswap(); return;
                case Mnemonic.Bsf or Mnemonic.Bsr or Mnemonic.Tzcnt or Mnemonic.Lzcnt or Mnemonic.Popcnt: BitCount(); return;
                case Mnemonic.Cbw: SignExtendAccumulator(Register.AL, Register.AX); return;
                case Mnemonic.Cwde: SignExtendAccumulator(Register.AX, Register.EAX); return;
                case Mnemonic.Cdqe: SignExtendAccumulator(Register.EAX, Register.RAX); return;
                case Mnemonic.Cwd: SignIntoDx(Register.AX, Register.DX); return;
                case Mnemonic.Cdq: SignIntoDx(Register.EAX, Register.EDX); return;
                case Mnemonic.Cqo: SignIntoDx(Register.RAX, Register.RDX); return;
                case Mnemonic.Movaps or Mnemonic.Movapd or Mnemonic.Movups or Mnemonic.Movupd or Mnemonic.Movdqa or Mnemonic.Movdqu
                    or Mnemonic.Vmovaps or Mnemonic.Vmovapd or Mnemonic.Vmovups or Mnemonic.Vmovupd or Mnemonic.Vmovdqa or Mnemonic.Vmovdqu:
                    VectorMove(); return;
                case Mnemonic.Movd or Mnemonic.Vmovd: MovdMovq(32); return;
                case Mnemonic.Movq or Mnemonic.Vmovq: MovdMovq(64); return;
                case Mnemonic.Movss or Mnemonic.Vmovss: ScalarMove(32); return;
                case Mnemonic.Movsd or Mnemonic.Vmovsd: ScalarMove(64); return; // the string movsd was rejected above
                case Mnemonic.Pxor or Mnemonic.Xorps or Mnemonic.Xorpd or Mnemonic.Vpxor or Mnemonic.Vxorps or Mnemonic.Vxorpd:
                    VectorBitwise(VectorLogic.Xor); return;
                case Mnemonic.Pand or Mnemonic.Andps or Mnemonic.Andpd or Mnemonic.Vpand or Mnemonic.Vandps or Mnemonic.Vandpd:
                    VectorBitwise(VectorLogic.And); return;
                case Mnemonic.Por or Mnemonic.Orps or Mnemonic.Orpd or Mnemonic.Vpor or Mnemonic.Vorps or Mnemonic.Vorpd:
                    VectorBitwise(VectorLogic.Or); return;
                case Mnemonic.Pandn or Mnemonic.Andnps or Mnemonic.Andnpd or Mnemonic.Vpandn or Mnemonic.Vandnps or Mnemonic.Vandnpd:
                    VectorBitwise(VectorLogic.AndNot); return;
                case Mnemonic.Cvtsi2sd or Mnemonic.Vcvtsi2sd: IntToFloat(11, 53); return;
                case Mnemonic.Cvtsi2ss or Mnemonic.Vcvtsi2ss: IntToFloat(8, 24); return;
            }
            // Iced's Mnemonic enum is alphabetical, so conditions are matched by name, not by range.
            if (IsSetcc(_i.Mnemonic)) { Setcc(); return; }
            if (IsCmovcc(_i.Mnemonic)) { Cmovcc(); return; }
            throw new UnsupportedException("instruction is not modelled");
        }

        private static bool IsSetcc(Mnemonic m) => m is Mnemonic.Seto or Mnemonic.Setno or Mnemonic.Setb or Mnemonic.Setae
            or Mnemonic.Sete or Mnemonic.Setne or Mnemonic.Setbe or Mnemonic.Seta or Mnemonic.Sets or Mnemonic.Setns
            or Mnemonic.Setp or Mnemonic.Setnp or Mnemonic.Setl or Mnemonic.Setge or Mnemonic.Setle or Mnemonic.Setg;

        private static bool IsCmovcc(Mnemonic m) => m is Mnemonic.Cmovo or Mnemonic.Cmovno or Mnemonic.Cmovb or Mnemonic.Cmovae
            or Mnemonic.Cmove or Mnemonic.Cmovne or Mnemonic.Cmovbe or Mnemonic.Cmova or Mnemonic.Cmovs or Mnemonic.Cmovns
            or Mnemonic.Cmovp or Mnemonic.Cmovnp or Mnemonic.Cmovl or Mnemonic.Cmovge or Mnemonic.Cmovle or Mnemonic.Cmovg;

        // ------------------------------------------------------------ operands

        /// <summary>Width in bits of operand <paramref name="op"/>; immediates have none of their own (-1).</summary>
        private int Bits(int op) => _i.GetOpKind(op) switch
        {
            OpKind.Register => _i.GetOpRegister(op).GetSize() * 8,
            OpKind.Memory => MemoryBits(),
            _ => -1,
        };

        private int MemoryBits()
        {
            int bytes = _i.MemorySize.GetSize();
            if (bytes <= 0) throw new UnsupportedException($"memory operand of unknown size ({_i.MemorySize})");
            return bytes * 8;
        }

        /// <summary>Operand <paramref name="op"/> as a <paramref name="bits"/>-bit term (a wider register gives its low bits).</summary>
        private string Read(int op, int bits)
        {
            switch (_i.GetOpKind(op))
            {
                case OpKind.Register:
                {
                    var register = _i.GetOpRegister(op);
                    int size = register.GetSize() * 8;
                    string value = state.ReadRegister(register);
                    if (size == bits) return value;
                    if (size > bits && !register.IsGPR()) return Smt.Low(bits, value);
                    throw new UnsupportedException($"operand {register} is {size} bits, {bits} expected");
                }
                case OpKind.Memory:
                    return state.ReadMemory(Address(), bits / 8, smt);
                case OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32 or OpKind.Immediate64
                    or OpKind.Immediate8to16 or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64:
                    return Immediate(op, bits);
                default:
                    throw new UnsupportedException($"operand kind {_i.GetOpKind(op)}");
            }
        }

        private string Immediate(int op, int bits)
        {
            if (bits is <= 0 or > 64) throw new UnsupportedException($"immediate of {bits} bits");
            if (terms?.Immediate is { } symbolic)
            {
                _immediateUsed = true;
                return bits == 64 ? symbolic : smt.DefineBv(bits, Smt.Low(bits, symbolic), "imm");
            }
            // Iced sign-extends imm8to32 and friends to 64 bits; the low bits are the operand value.
            return Smt.Bv(_i.GetImmediate(op), bits);
        }

        /// <summary>
        /// Writes operand <paramref name="op"/>: a GPR by the zero-extend/merge rules, an XMM by the
        /// encoding's rule (VEX zeroes bits 128..255, legacy SSE keeps them), memory little-endian.
        /// </summary>
        private void Write(int op, string value, int bits)
        {
            switch (_i.GetOpKind(op))
            {
                case OpKind.Register:
                {
                    var register = _i.GetOpRegister(op);
                    if (register.GetSize() * 8 != bits) throw new UnsupportedException($"writing {bits} bits to {register}");
                    if (register.IsGPR()) state.WriteGpr(register, value, smt);
                    else state.WriteVector(register, value, zeroUpper: Vex, smt);
                    return;
                }
                case OpKind.Memory:
                    if (bits != MemoryBits()) throw new UnsupportedException($"writing {bits} bits to a {MemoryBits()}-bit memory operand");
                    state.WriteMemory(Address(), bits / 8, value, smt);
                    return;
                default:
                    throw new UnsupportedException($"cannot write operand kind {_i.GetOpKind(op)}");
            }
        }

        /// <summary>
        /// The effective address as a 64-bit term, computed once per instruction: base + index·scale +
        /// displacement modulo 2^64 (2^32 under a 32-bit address size, then zero-extended);
        /// RIP-relative operands are the constant Iced computed from the instruction's IP.
        /// </summary>
        private string Address()
        {
            if (_address is not null) return _address;
            if (_i.IsIPRelativeMemoryOperand)
            {
                if (terms?.Displacement is { } symbol)
                {
                    _displacementUsed = true;
                    return _address = symbol;
                }
                return _address = Smt.Bv(_i.IPRelativeMemoryAddress, 64);
            }
            var @base = _i.MemoryBase;
            var index = _i.MemoryIndex;
            if (index.IsVectorRegister()) throw new UnsupportedException("VSIB addressing is not modelled");
            if ((@base != Register.None && @base.GetSize() == 2) || (index != Register.None && index.GetSize() == 2))
                throw new UnsupportedException("16-bit addressing");
            bool address32 = (@base != Register.None && @base.GetSize() == 4) || (index != Register.None && index.GetSize() == 4);
            int bits = address32 ? 32 : 64;

            var parts = new List<string>(3);
            if (@base != Register.None) parts.Add(state.ReadRegister(@base));
            if (index != Register.None)
            {
                string ix = state.ReadRegister(index);
                int scale = _i.MemoryIndexScale;
                parts.Add(scale == 1 ? ix : Smt.BvMul(ix, Smt.Bv((ulong)scale, bits)));
            }
            string displacement;
            if (terms?.Displacement is { } d)
            {
                _displacementUsed = true;
                displacement = bits == 64 ? d : Smt.Low(32, d);
            }
            else displacement = Smt.Bv(_i.MemoryDisplacement64, bits);
            if (parts.Count == 0 || terms?.Displacement is not null || _i.MemoryDisplacement64 != 0) parts.Add(displacement);

            string sum = parts.Count == 1 ? parts[0] : Smt.BvAdd([.. parts]);
            if (address32) sum = Smt.ZeroExtend(32, sum);
            return _address = smt.DefineBv(64, sum, "ea");
        }

        // ------------------------------------------------------------ flags

        private void SetFlag(int flag, string bit) => state.Set(flag, smt.DefineBv(1, bit, Location.Name(flag)));

        /// <summary>A flag the manual leaves undefined: any value at all.</summary>
        private string Undefined(int flag) => smt.Fresh(Smt.BvSort(1), "undef_" + Location.Name(flag));

        private void SetUndefined(params int[] flags)
        {
            foreach (int f in flags) state.Set(f, Undefined(f));
        }

        /// <summary>PF: set when the low byte of the result has an even number of ones.</summary>
        private static string Parity(string result)
        {
            var bits = new string[8];
            for (int b = 0; b < 8; b++) bits[b] = Smt.Bit(b, result);
            return Smt.BvNot(Smt.BvXor(bits));
        }

        private static string SignOf(string value, int bits) => Smt.Bit(bits - 1, value);

        /// <summary>SF, ZF, PF of a result, the three every arithmetic and logic operation shares.</summary>
        private (string Sf, string Zf, string Pf) ResultFlags(string result, int bits) =>
            (SignOf(result, bits), Smt.BoolToBit(Smt.IsZero(result, bits)), Parity(result));

        private void SetResultFlags(string result, int bits)
        {
            var (sf, zf, pf) = ResultFlags(result, bits);
            SetFlag(Location.SF, sf);
            SetFlag(Location.ZF, zf);
            SetFlag(Location.PF, pf);
        }

        /// <summary>
        /// Computes <paramref name="a"/> op <paramref name="b"/> and its flags by the SDM formulas:
        /// add/adc/sub/sbb set all six (CF from a (bits+1)-wide sum, OF from the operand and result
        /// signs, AF from the carry into bit 4); and/or/xor clear CF and OF and leave AF undefined.
        /// </summary>
        private string AluWithFlags(AluOp op, string a, string b, int bits, bool setCarry = true)
        {
            // Operands are used by several flag formulas: name them once.
            a = smt.DefineBv(bits, a, "a");
            b = smt.DefineBv(bits, b, "b");
            string result;
            switch (op)
            {
                case AluOp.Add or AluOp.Adc or AluOp.Sub or AluOp.Sbb:
                {
                    bool subtract = op is AluOp.Sub or AluOp.Sbb;
                    var operands = new List<string> { Smt.ZeroExtend(1, a), Smt.ZeroExtend(1, b) };
                    if (op is AluOp.Adc or AluOp.Sbb) operands.Add(Smt.ZeroExtend(bits, state[Location.CF]));
                    // bits+1 wide: the top bit is the carry out (add) or the borrow (sub, as the
                    // difference wraps to 2^(bits+1) - k when negative).
                    string wide = subtract
                        ? operands.Skip(1).Aggregate(operands[0], Smt.BvSub)
                        : Smt.BvAdd([.. operands]);
                    wide = smt.DefineBv(bits + 1, wide, op.ToString().ToLowerInvariant());
                    result = smt.DefineBv(bits, Smt.Low(bits, wide), "r");
                    if (setCarry) SetFlag(Location.CF, Smt.Bit(bits, wide));
                    // Signed overflow: add — operands of equal sign, result of the other sign;
                    // sub — operands of different signs, result's sign differs from a's.
                    string overflow = subtract
                        ? Smt.BvAnd(Smt.BvXor(a, b), Smt.BvXor(a, result))
                        : Smt.BvAnd(Smt.BvNot(Smt.BvXor(a, b)), Smt.BvXor(a, result));
                    SetFlag(Location.OF, SignOf(overflow, bits));
                    // Carry/borrow out of bit 3 is bit 4 of a ^ b ^ result, whatever the carry-in.
                    SetFlag(Location.AF, Smt.Bit(4, Smt.BvXor(a, b, result)));
                    break;
                }
                default:
                {
                    string value = op switch
                    {
                        AluOp.And => Smt.BvAnd(a, b),
                        AluOp.Or => Smt.BvOr(a, b),
                        _ => Smt.BvXor(a, b),
                    };
                    result = smt.DefineBv(bits, value, op.ToString().ToLowerInvariant());
                    SetFlag(Location.CF, Smt.Bit0);
                    SetFlag(Location.OF, Smt.Bit0);
                    SetUndefined(Location.AF);
                    break;
                }
            }
            SetResultFlags(result, bits);
            return result;
        }

        // ------------------------------------------------------------ integer instructions

        private void Alu(AluOp op, bool writeBack)
        {
            int bits = Bits(0);
            string a = Read(0, bits);
            string b = Read(1, bits);
            string result = AluWithFlags(op, a, b, bits);
            if (writeBack) Write(0, result, bits);
        }

        /// <summary>inc/dec: add/sub 1 with CF untouched.</summary>
        private void IncDec(AluOp op)
        {
            int bits = Bits(0);
            string a = Read(0, bits);
            Write(0, AluWithFlags(op, a, Smt.Bv(1UL, bits), bits, setCarry: false), bits);
        }

        /// <summary>neg: 0 - x, so CF = (x != 0) and OF = (x == MIN) follow from the sub formulas.</summary>
        private void Neg()
        {
            int bits = Bits(0);
            string a = Read(0, bits);
            Write(0, AluWithFlags(AluOp.Sub, Smt.Zero(bits), a, bits), bits);
        }

        private void Not()
        {
            int bits = Bits(0);
            Write(0, Smt.BvNot(Read(0, bits)), bits);
        }

        /// <summary>
        /// Shifts and rotates. The count is masked to 5 bits (6 for 64-bit operands); a masked count
        /// of 0 leaves every flag unchanged (the destination is still written, so a 32-bit register
        /// is zero-extended). Per the SDM: CF is the last bit shifted out, undefined for SHL/SHR
        /// when the count is ≥ the operand size; OF is defined only for a count of 1; AF is
        /// undefined for shifts; rotates touch only CF and OF, and an 8/16-bit rotate by a multiple
        /// of its width still sets CF.
        /// </summary>
        private void Shift(ShiftOp op)
        {
            int bits = Bits(0);
            string d = smt.DefineBv(bits, Read(0, bits), "d");
            string count8 = _i.OpCount switch
            {
                1 => Smt.Bv(1UL, 8),
                _ => _i.GetOpKind(1) == OpKind.Register
                    ? (_i.GetOpRegister(1) == Register.CL ? Read(1, 8) : throw new UnsupportedException("count register other than cl"))
                    : Immediate(1, 8),
            };
            string masked = smt.DefineBv(8, Smt.BvAnd(count8, Smt.Bv(bits == 64 ? 0x3fUL : 0x1fUL, 8)), "count");
            string nonZero = Smt.Not(Smt.IsZero(masked, 8));
            string isOne = Smt.Eq(masked, Smt.Bv(1UL, 8));
            string width = Smt.Bv((ulong)bits, bits);
            string Widen(string count8Term) => bits == 8 ? count8Term : Smt.ZeroExtend(bits - 8, count8Term);

            string result, carry, overflow;
            string? carryDefined = null; // null: always defined (for a non-zero count)
            if (op is ShiftOp.Rol or ShiftOp.Ror)
            {
                // The rotation proper is by the masked count modulo the width (8/16-bit operands).
                string amount = Widen(bits < 32 ? Smt.BvUrem(masked, Smt.Bv((ulong)bits, 8)) : masked);
                amount = smt.DefineBv(bits, amount, "rot");
                result = op == ShiftOp.Rol
                    ? Smt.BvOr(Smt.BvShl(d, amount), Smt.BvLshr(d, Smt.BvSub(width, amount)))
                    : Smt.BvOr(Smt.BvLshr(d, amount), Smt.BvShl(d, Smt.BvSub(width, amount)));
                result = smt.DefineBv(bits, result, op.ToString().ToLowerInvariant());
                carry = op == ShiftOp.Rol ? Smt.Bit(0, result) : SignOf(result, bits);
                overflow = op == ShiftOp.Rol
                    ? Smt.BvXor(SignOf(result, bits), carry)
                    : Smt.BvXor(SignOf(result, bits), Smt.Bit(bits - 2, result));
            }
            else
            {
                string c = smt.DefineBv(bits, Widen(masked), "cnt");
                result = op switch
                {
                    ShiftOp.Shl => Smt.BvShl(d, c),
                    ShiftOp.Shr => Smt.BvLshr(d, c),
                    _ => Smt.BvAshr(d, c),
                };
                result = smt.DefineBv(bits, result, op.ToString().ToLowerInvariant());
                string one = Smt.Bv(1UL, bits);
                carry = smt.DefineBv(1, op switch
                {
                    ShiftOp.Shl => Smt.Bit(0, Smt.BvLshr(d, Smt.BvSub(width, c))),
                    ShiftOp.Shr => Smt.Bit(0, Smt.BvLshr(d, Smt.BvSub(c, one))),
                    _ => Smt.Bit(0, Smt.BvAshr(d, Smt.BvSub(c, one))),
                }, "cfout");
                // Only 8/16-bit operands can see a masked count ≥ their width.
                if (op != ShiftOp.Sar && bits < 32) carryDefined = Smt.BvUlt(masked, Smt.Bv((ulong)bits, 8));
                overflow = op switch
                {
                    ShiftOp.Shl => Smt.BvXor(SignOf(result, bits), carry),
                    ShiftOp.Shr => SignOf(d, bits),
                    _ => Smt.Bit0,
                };
            }
            Write(0, result, bits);

            string Keep(int flag, string whenShifted) => Smt.Ite(nonZero, whenShifted, state[flag]);
            string newCarry = carryDefined is null ? carry : Smt.Ite(carryDefined, carry, Undefined(Location.CF));
            SetFlag(Location.OF, Keep(Location.OF, Smt.Ite(isOne, overflow, Undefined(Location.OF))));
            SetFlag(Location.CF, Keep(Location.CF, newCarry));
            if (op is ShiftOp.Shl or ShiftOp.Shr or ShiftOp.Sar)
            {
                var (sf, zf, pf) = ResultFlags(result, bits);
                SetFlag(Location.SF, Keep(Location.SF, sf));
                SetFlag(Location.ZF, Keep(Location.ZF, zf));
                SetFlag(Location.PF, Keep(Location.PF, pf));
                SetFlag(Location.AF, Keep(Location.AF, Undefined(Location.AF)));
            }
        }

        /// <summary>
        /// imul r, r/m and imul r, r/m, imm: the low half of the signed product; CF = OF = the
        /// product does not fit; SF, ZF, AF, PF undefined.
        /// </summary>
        private void ImulTruncating()
        {
            int bits = Bits(0);
            string a = _i.OpCount == 2 ? Read(0, bits) : Read(1, bits);
            string b = _i.OpCount == 2 ? Read(1, bits) : Read(2, bits);
            string full = smt.DefineBv(2 * bits, Smt.BvMul(Smt.SignExtend(bits, a), Smt.SignExtend(bits, b)), "prod");
            string low = smt.DefineBv(bits, Smt.Low(bits, full), "r");
            string overflow = Smt.BoolToBit(Smt.Distinct(full, Smt.SignExtend(bits, low)));
            Write(0, low, bits);
            SetFlag(Location.CF, overflow);
            state.Set(Location.OF, state[Location.CF]);
            SetUndefined(Location.SF, Location.ZF, Location.AF, Location.PF);
        }

        /// <summary>
        /// mul/imul r/m: rDX:rAX (AX for bytes) = rAX × src, full width; CF = OF = the high half is
        /// significant; SF, ZF, AF, PF undefined.
        /// </summary>
        private void MulWidening(bool signed)
        {
            int bits = Bits(0);
            string src = Read(0, bits);
            var (acc, high) = bits switch
            {
                8 => (Register.AL, Register.AH),
                16 => (Register.AX, Register.DX),
                32 => (Register.EAX, Register.EDX),
                64 => (Register.RAX, Register.RDX),
                _ => throw new UnsupportedException($"{bits}-bit multiply"),
            };
            string a = state.ReadRegister(acc);
            string Ext(string t) => signed ? Smt.SignExtend(bits, t) : Smt.ZeroExtend(bits, t);
            string full = smt.DefineBv(2 * bits, Smt.BvMul(Ext(a), Ext(src)), "prod");
            string low = Smt.Low(bits, full), hi = Smt.Extract(2 * bits - 1, bits, full);
            string significant = signed
                ? Smt.Distinct(full, Smt.SignExtend(bits, low))
                : Smt.Not(Smt.IsZero(hi, bits));
            if (bits == 8) state.WriteGpr(Register.AX, full, smt);
            else
            {
                state.WriteGpr(acc, low, smt);
                state.WriteGpr(high, hi, smt);
            }
            SetFlag(Location.CF, Smt.BoolToBit(significant));
            state.Set(Location.OF, state[Location.CF]);
            SetUndefined(Location.SF, Location.ZF, Location.AF, Location.PF);
        }

        private void Mov()
        {
            int bits = Bits(0);
            if (bits < 0) throw new UnsupportedException("mov destination");
            Write(0, Read(1, bits), bits);
        }

        /// <summary>movzx/movsx/movsxd (movzbl, movswq, movslq...): extend the source to the destination width.</summary>
        private void Extend(bool signed)
        {
            int to = Bits(0), from = Bits(1);
            if (from > to) throw new UnsupportedException("narrowing extension");
            string src = Read(1, from);
            Write(0, signed ? Smt.SignExtend(to - from, src) : Smt.ZeroExtend(to - from, src), to);
        }

        /// <summary>lea: the address computation alone, truncated to the destination (no memory access, no flags).</summary>
        private void Lea()
        {
            int bits = Bits(0);
            string address = Address();
            Write(0, bits == 64 ? address : Smt.Low(bits, address), bits);
        }

        private void Xchg()
        {
            int bits = Bits(0);
            string a = Read(0, bits), b = Read(1, bits);
            Write(0, b, bits);
            Write(1, a, bits);
        }

        /// <summary>push: rsp -= 8, then store (the source, including rsp itself, is read first).</summary>
        private void Push()
        {
            if (_i.StackPointerIncrement != -8) throw new UnsupportedException("only 64-bit push is modelled");
            string value = Read(0, 64);
            string rsp = smt.DefineBv(64, Smt.BvSub(state[Location.Rsp], Smt.Bv(8UL, 64)), "rsp");
            state.WriteMemory(rsp, 8, value, smt);
            state[Location.Rsp] = rsp;
        }

        /// <summary>
        /// pop: load at rsp, rsp += 8, then write the destination — a memory destination's address
        /// uses the incremented rsp, and <c>pop %rsp</c> ends with the loaded value (SDM).
        /// </summary>
        private void Pop()
        {
            if (_i.StackPointerIncrement != 8) throw new UnsupportedException("only 64-bit pop is modelled");
            string value = state.ReadMemory(state[Location.Rsp], 8, smt);
            state[Location.Rsp] = smt.DefineBv(64, Smt.BvAdd(state[Location.Rsp], Smt.Bv(8UL, 64)), "rsp");
            Write(0, value, 64);
        }

        private void Bswap()
        {
            int bits = Bits(0);
            if (bits < 32) throw new UnsupportedException("bswap of a 16-bit register is undefined");
            string v = Read(0, bits);
            var bytes = new string[bits / 8];
            for (int k = 0; k < bytes.Length; k++) bytes[k] = Smt.Extract(8 * k + 7, 8 * k, v); // low byte first = most significant
            Write(0, Smt.Concat(bytes), bits);
        }

        /// <summary>Population count of a <paramref name="bits"/>-wide term, as a term of the same width (SWAR).</summary>
        private string PopCount(string x, int bits)
        {
            string Mask(ulong pattern) => Smt.Bv(pattern, bits);
            string v1 = smt.DefineBv(bits, Smt.BvSub(x, Smt.BvAnd(Smt.BvLshr(x, Smt.Bv(1UL, bits)), Mask(0x5555555555555555UL))), "pc");
            string v2 = smt.DefineBv(bits, Smt.BvAdd(Smt.BvAnd(v1, Mask(0x3333333333333333UL)),
                Smt.BvAnd(Smt.BvLshr(v1, Smt.Bv(2UL, bits)), Mask(0x3333333333333333UL))), "pc");
            string v3 = smt.DefineBv(bits, Smt.BvAnd(Smt.BvAdd(v2, Smt.BvLshr(v2, Smt.Bv(4UL, bits))), Mask(0x0f0f0f0f0f0f0f0fUL)), "pc");
            if (bits == 8) return v3;
            // Each byte now holds its own count; multiplying by 0x0101.. sums them into the top byte.
            return smt.DefineBv(bits, Smt.BvLshr(Smt.BvMul(v3, Mask(0x0101010101010101UL)), Smt.Bv((ulong)(bits - 8), bits)), "popcnt");
        }

        /// <summary>Number of leading zeros: smear the highest one bit downwards, then count the ones.</summary>
        private string LeadingZeros(string x, int bits)
        {
            string y = x;
            for (int s = 1; s < bits; s *= 2) y = smt.DefineBv(bits, Smt.BvOr(y, Smt.BvLshr(y, Smt.Bv((ulong)s, bits))), "smear");
            return smt.DefineBv(bits, Smt.BvSub(Smt.Bv((ulong)bits, bits), PopCount(y, bits)), "lz");
        }

        /// <summary>Number of trailing zeros (= width for 0): the ones below the lowest set bit.</summary>
        private string TrailingZeros(string x, int bits) =>
            PopCount(smt.DefineBv(bits, Smt.BvSub(Smt.BvAnd(x, Smt.BvNeg(x)), Smt.Bv(1UL, bits)), "below"), bits);

        /// <summary>
        /// bsf/bsr: ZF = (src == 0), other flags undefined, and for a zero source the destination is
        /// undefined (Intel; AMD documents "unchanged") — modelled as a fresh whole register for
        /// 32/64-bit destinations (even the zero-extension is then unspecified), fresh low 16 bits
        /// for 16-bit ones. tzcnt/lzcnt: CF = (src == 0), ZF = (result == 0), OF SF AF PF
        /// undefined. popcnt: all flags cleared but ZF = (src == 0).
        /// </summary>
        private void BitCount()
        {
            int bits = Bits(0);
            if (bits < 16) throw new UnsupportedException("8-bit bit count");
            var dest = _i.Op0Register;
            string src = smt.DefineBv(bits, Read(1, bits), "src");
            string srcZero = Smt.IsZero(src, bits);
            switch (_i.Mnemonic)
            {
                case Mnemonic.Popcnt:
                    Write(0, PopCount(src, bits), bits);
                    foreach (int f in new[] { Location.CF, Location.PF, Location.AF, Location.SF, Location.OF }) SetFlag(f, Smt.Bit0);
                    SetFlag(Location.ZF, Smt.BoolToBit(srcZero));
                    return;
                case Mnemonic.Tzcnt or Mnemonic.Lzcnt:
                {
                    string r = _i.Mnemonic == Mnemonic.Tzcnt ? TrailingZeros(src, bits) : LeadingZeros(src, bits);
                    Write(0, r, bits);
                    SetFlag(Location.CF, Smt.BoolToBit(srcZero));
                    SetFlag(Location.ZF, Smt.BoolToBit(Smt.IsZero(r, bits)));
                    SetUndefined(Location.OF, Location.SF, Location.AF, Location.PF);
                    return;
                }
                default:
                {
                    string r = _i.Mnemonic == Mnemonic.Bsf
                        ? TrailingZeros(src, bits)
                        : Smt.BvSub(Smt.Bv((ulong)(bits - 1), bits), LeadingZeros(src, bits));
                    int full = dest.GetFullRegister() - Register.RAX;
                    string before = state[full];
                    Write(0, r, bits);
                    string written = state[full];
                    string undefinedValue = bits == 16
                        ? Smt.Concat(Smt.Extract(63, 16, before), smt.Fresh(Smt.BvSort(16), "undef_" + dest.ToString().ToLowerInvariant()))
                        : smt.Fresh(Smt.BvSort(64), "undef_" + dest.GetFullRegister().ToString().ToLowerInvariant());
                    state[full] = smt.DefineBv(64, Smt.Ite(srcZero, undefinedValue, written), Location.Name(full));
                    SetFlag(Location.ZF, Smt.BoolToBit(srcZero));
                    SetUndefined(Location.CF, Location.OF, Location.SF, Location.AF, Location.PF);
                    return;
                }
            }
        }

        /// <summary>cbw/cwtl/cltq: sign-extend the accumulator in place (cwtl zero-extends into rax as any 32-bit write).</summary>
        private void SignExtendAccumulator(Register from, Register to)
        {
            int f = from.GetSize() * 8, t = to.GetSize() * 8;
            state.WriteGpr(to, Smt.SignExtend(t - f, state.ReadRegister(from)), smt);
        }

        /// <summary>cwtd/cltd/cqto: rDX = copies of rAX's sign bit (cltd zero-extends rdx as any 32-bit write).</summary>
        private void SignIntoDx(Register acc, Register dx)
        {
            int bits = acc.GetSize() * 8;
            state.WriteGpr(dx, Smt.SignExtend(bits - 1, SignOf(state.ReadRegister(acc), bits)), smt);
        }

        private void Setcc()
        {
            if (Bits(0) != 8) throw new UnsupportedException("setcc operand");
            Write(0, Smt.ZeroExtend(7, Smt.BoolToBit(Condition(_i.ConditionCode, state))), 8);
        }

        /// <summary>cmovcc: the source is always read; a 32-bit destination is written (zero-extended) even when the condition is false.</summary>
        private void Cmovcc()
        {
            int bits = Bits(0);
            string src = Read(1, bits);
            string old = Read(0, bits);
            Write(0, Smt.Ite(Condition(_i.ConditionCode, state), src, old), bits);
        }

        // ------------------------------------------------------------ SSE / AVX

        private void RequireVectorOrMemory(int op)
        {
            var kind = _i.GetOpKind(op);
            if (kind == OpKind.Memory) return;
            if (kind == OpKind.Register && (_i.GetOpRegister(op).IsXMM() || _i.GetOpRegister(op).IsYMM())) return;
            throw new UnsupportedException("only xmm/ymm/memory operands are modelled");
        }

        /// <summary>movaps/movups/movdqa/... and their VEX forms: a full-width copy.</summary>
        private void VectorMove()
        {
            RequireVectorOrMemory(0);
            RequireVectorOrMemory(1);
            int bits = Bits(0);
            Write(0, Read(1, bits), bits);
        }

        /// <summary>
        /// movd/movq (and VEX): into an xmm the value is zero-extended to 128 bits (legacy keeps
        /// ymm bits 128..255, VEX clears them); out of an xmm it is the low 32/64 bits. movq
        /// xmm→xmm copies the low quadword and clears bits 64..127.
        /// </summary>
        private void MovdMovq(int bits)
        {
            var destKind = _i.GetOpKind(0);
            if (destKind == OpKind.Register && _i.Op0Register.IsXMM())
            {
                var srcKind = _i.GetOpKind(1);
                if (srcKind == OpKind.Register && !(_i.Op1Register.IsXMM() || _i.Op1Register.IsGPR()))
                    throw new UnsupportedException("MMX operand");
                string v = srcKind == OpKind.Memory
                    ? state.ReadMemory(Address(), bits / 8, smt)
                    : _i.Op1Register.IsXMM() ? Smt.Low(bits, state.ReadRegister(_i.Op1Register)) : Read(1, bits);
                Write(0, Smt.ZeroExtend(128 - bits, v), 128);
                return;
            }
            if (_i.GetOpKind(1) != OpKind.Register || !_i.Op1Register.IsXMM()) throw new UnsupportedException("MMX operand");
            if (destKind == OpKind.Register && !_i.Op0Register.IsGPR()) throw new UnsupportedException("MMX operand");
            Write(0, Smt.Low(bits, state.ReadRegister(_i.Op1Register)), bits);
        }

        /// <summary>
        /// movss/movsd (SSE2, not the string movsd): register to register merges the low element;
        /// a load zero-extends to 128 bits; a store writes the low element. VEX vmovss/vmovsd with
        /// three operands take bits 127..k from the first source.
        /// </summary>
        private void ScalarMove(int bits)
        {
            if (_i.OpCount == 3)
            {
                string upper = Smt.Extract(127, bits, state.ReadRegister(_i.Op1Register));
                string low = Smt.Low(bits, state.ReadRegister(_i.Op2Register));
                Write(0, Smt.Concat(upper, low), 128);
                return;
            }
            RequireVectorOrMemory(0);
            RequireVectorOrMemory(1);
            if (_i.GetOpKind(0) == OpKind.Memory)
            {
                Write(0, Smt.Low(bits, state.ReadRegister(_i.Op1Register)), bits);
                return;
            }
            if (_i.GetOpKind(1) == OpKind.Memory)
            {
                Write(0, Smt.ZeroExtend(128 - bits, state.ReadMemory(Address(), bits / 8, smt)), 128);
                return;
            }
            if (Vex) throw new UnsupportedException("two-register vmovss/vmovsd");
            string dest = state.ReadRegister(_i.Op0Register);
            Write(0, Smt.Concat(Smt.Extract(127, bits, dest), Smt.Low(bits, state.ReadRegister(_i.Op1Register))), 128);
        }

        /// <summary>pxor/xorps/pand/por/pandn... : legacy dest = dest op src; VEX dest = src1 op src2 (128 or 256 bits).</summary>
        private void VectorBitwise(VectorLogic logic)
        {
            for (int op = 0; op < _i.OpCount; op++) RequireVectorOrMemory(op);
            int bits = Bits(0);
            int first = Vex ? 1 : 0, second = Vex ? 2 : 1;
            if (Vex && _i.OpCount != 3) throw new UnsupportedException("VEX logic needs three operands");
            string a = Read(first, bits), b = Read(second, bits);
            string value = logic switch
            {
                VectorLogic.And => Smt.BvAnd(a, b),
                VectorLogic.Or => Smt.BvOr(a, b),
                VectorLogic.Xor => Smt.BvXor(a, b),
                _ => Smt.BvAnd(Smt.BvNot(a), b),
            };
            Write(0, value, bits);
        }

        /// <summary>
        /// cvtsi2sd/cvtsi2ss: the signed integer source (32 or 64 bits, register or memory) rounded
        /// to double/single with round-to-nearest-even (MXCSR's default; assumed), into the low
        /// element. Legacy SSE keeps bits k..127 of the destination and ymm bits 128..255; VEX takes
        /// bits k..127 from the first source and clears 128..255. MXCSR exception flags are not modelled.
        /// </summary>
        private void IntToFloat(int exponentBits, int significandBits)
        {
            int k = exponentBits + significandBits;
            int srcOp = _i.OpCount - 1;
            int srcBits = Bits(srcOp);
            if (srcBits is not (32 or 64)) throw new UnsupportedException("conversion source width");
            if (_i.GetOpKind(srcOp) == OpKind.Register && !_i.GetOpRegister(srcOp).IsGPR()) throw new UnsupportedException("source register");
            string src = Read(srcOp, srcBits);
            string fp = smt.Define($"(_ FloatingPoint {exponentBits} {significandBits})",
                $"((_ to_fp {exponentBits} {significandBits}) RNE {src})", "fp");
            // No NaN can arise from an integer, so the IEEE encoding is unique.
            string encoded = smt.DefineBv(k, $"(fp.to_ieee_bv {fp})", "ieee");
            var upperFrom = Vex ? _i.Op1Register : _i.Op0Register;
            if (!upperFrom.IsXMM() || !_i.Op0Register.IsXMM()) throw new UnsupportedException("destination must be xmm");
            Write(0, Smt.Concat(Smt.Extract(127, k, state.ReadRegister(upperFrom)), encoded), 128);
        }
    }
}
