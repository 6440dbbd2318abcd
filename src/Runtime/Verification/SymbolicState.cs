using CompilerLLM.Analysis;
using Iced.Intel;

namespace CompilerLLM.Verification;

/// <summary>
/// A machine state as SMT terms: the 16 GPRs as <c>(_ BitVec 64)</c>, the low 128 bits and the
/// ymm bits 128..255 of the 32 vector registers as <c>(_ BitVec 128)</c> each, CF PF AF ZF SF OF DF
/// as <c>(_ BitVec 1)</c>, and memory as an array from 64-bit addresses to bytes. Mask registers,
/// zmm bits above 255 and the x87 state are not modelled (<see cref="IsModelled"/>): no supported
/// instruction touches them, so they are equal in any two states derived from one initial state.
/// Values are terms over the <see cref="SmtBuilder"/> that built them; the state is a plain
/// mutable map, cheap to <see cref="Clone"/>.
/// </summary>
public sealed class SymbolicState
{
    public const int GprCount = 16;
    public const int VectorCount = 32;

    private const int FlagCount = Location.DF - Location.CF + 1;

    private static readonly string[] FlagNames = ["CF", "PF", "AF", "ZF", "SF", "OF", "DF"];

    private readonly string[] _gpr = new string[GprCount];
    private readonly string[] _vectorLow = new string[VectorCount];
    private readonly string[] _vectorHigh = new string[VectorCount];
    private readonly string[] _flags = new string[FlagCount];

    private SymbolicState(string memory) => Memory = memory;

    /// <summary>The byte memory, an <see cref="Smt.MemorySort"/> term.</summary>
    public string Memory { get; set; }

    /// <summary>
    /// Declares every part of a state as unconstrained constants named
    /// <see cref="VariableName"/>(<paramref name="prefix"/>, location) and
    /// <see cref="MemoryVariableName"/>(<paramref name="prefix"/>).
    /// </summary>
    public static SymbolicState Fresh(SmtBuilder smt, string prefix)
    {
        ArgumentNullException.ThrowIfNull(smt);
        var state = new SymbolicState(smt.Declare(MemoryVariableName(prefix), Smt.MemorySort));
        for (int l = 0; l < Location.Count; l++)
        {
            if (IsModelled(l)) state.Set(l, smt.Declare(VariableName(prefix, l), SortOf(l)));
        }
        return state;
    }

    /// <summary>
    /// A state whose every part is given by <paramref name="valueOf"/> (a term, typically a literal)
    /// and whose memory is <paramref name="memory"/>; used to evaluate semantics on concrete inputs.
    /// </summary>
    public static SymbolicState FromTerms(Func<int, string> valueOf, string memory)
    {
        ArgumentNullException.ThrowIfNull(valueOf);
        var state = new SymbolicState(memory);
        for (int l = 0; l < Location.Count; l++)
        {
            if (IsModelled(l)) state.Set(l, valueOf(l));
        }
        return state;
    }

    /// <summary>The constant <see cref="Fresh"/> declares for <paramref name="location"/>: <c>init_rax</c>, <c>init_xmm3</c>, <c>init_ymm3_hi</c>, <c>init_CF</c>.</summary>
    public static string VariableName(string prefix, int location)
    {
        if (!IsModelled(location)) throw new ArgumentOutOfRangeException(nameof(location), $"{Location.Name(location)} is not modelled");
        string name = location switch
        {
            < Location.VectorLowBase => Location.Name(location),
            < Location.MaskBase => $"xmm{location - Location.VectorLowBase}",
            < Location.VectorHighBase => FlagNames[location - Location.CF],
            _ => $"ymm{location - Location.VectorHighBase}_hi",
        };
        return $"{prefix}_{name}";
    }

    public static string MemoryVariableName(string prefix) => $"{prefix}_mem";

    /// <summary>GPRs, vector halves, the six status flags and DF; not masks, not x87.</summary>
    public static bool IsModelled(int location) =>
        location is >= 0 and < Location.MaskBase
        || location is >= Location.CF and <= Location.DF
        || location is >= Location.VectorHighBase and < Location.Count;

    /// <summary>The SMT sort of a modelled location.</summary>
    public static string SortOf(int location) => location switch
    {
        < Location.VectorLowBase => Smt.BvSort(64),
        < Location.MaskBase => Smt.BvSort(128),
        >= Location.CF and <= Location.DF => Smt.BvSort(1),
        >= Location.VectorHighBase and < Location.Count => Smt.BvSort(128),
        _ => throw new ArgumentOutOfRangeException(nameof(location), $"{Location.Name(location)} is not modelled"),
    };

    /// <summary>Width in bits of a modelled location.</summary>
    public static int BitsOf(int location) => location switch
    {
        < Location.VectorLowBase => 64,
        >= Location.CF and <= Location.DF => 1,
        _ => 128,
    };

    public SymbolicState Clone()
    {
        var copy = new SymbolicState(Memory);
        CopyTo(copy);
        return copy;
    }

    /// <summary>Overwrites <paramref name="target"/> with this state's terms.</summary>
    public void CopyTo(SymbolicState target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Array.Copy(_gpr, target._gpr, GprCount);
        Array.Copy(_vectorLow, target._vectorLow, VectorCount);
        Array.Copy(_vectorHigh, target._vectorHigh, VectorCount);
        Array.Copy(_flags, target._flags, FlagCount);
        target.Memory = Memory;
    }

    public string this[int location]
    {
        get => Get(location);
        set => Set(location, value);
    }

    public string Get(int location) => Slot(location, out int i)[i];

    public void Set(int location, string term)
    {
        ArgumentException.ThrowIfNullOrEmpty(term);
        Slot(location, out int i)[i] = term;
    }

    private string[] Slot(int location, out int index)
    {
        switch (location)
        {
            case >= 0 and < Location.VectorLowBase:
                index = location;
                return _gpr;
            case >= Location.VectorLowBase and < Location.MaskBase:
                index = location - Location.VectorLowBase;
                return _vectorLow;
            case >= Location.CF and <= Location.DF:
                index = location - Location.CF;
                return _flags;
            case >= Location.VectorHighBase and < Location.Count:
                index = location - Location.VectorHighBase;
                return _vectorHigh;
            default:
                throw new ArgumentOutOfRangeException(nameof(location), $"{Location.Name(location)} is not modelled");
        }
    }

    // ------------------------------------------------------------------ registers by name

    /// <summary>
    /// The value of a GPR of any width (AH..BH are bits 8..15 of their register), or of an XMM
    /// (128 bits) or YMM (256 bits) register. Other registers throw <see cref="NotSupportedException"/>.
    /// </summary>
    public string ReadRegister(Register register)
    {
        if (register.IsGPR())
        {
            string full = _gpr[GprIndex(register)];
            if (IsHighByte(register)) return Smt.Extract(15, 8, full);
            int bits = register.GetSize() * 8;
            return bits == 64 ? full : Smt.Low(bits, full);
        }
        if (register.IsXMM()) return _vectorLow[VectorIndex(register)];
        if (register.IsYMM())
        {
            int n = VectorIndex(register);
            return Smt.Concat(_vectorHigh[n], _vectorLow[n]);
        }
        throw new NotSupportedException($"register {register} is not modelled");
    }

    /// <summary>
    /// Writes a GPR with x86-64's rules: a 32-bit write zero-extends into the full register, an 8-
    /// or 16-bit write (AH..BH included) replaces only its bits. <paramref name="value"/> has the
    /// register's width. The merged value is bound with <see cref="SmtBuilder.Define"/>.
    /// </summary>
    public void WriteGpr(Register register, string value, SmtBuilder smt)
    {
        if (!register.IsGPR()) throw new NotSupportedException($"{register} is not a general register");
        int n = GprIndex(register);
        string old = _gpr[n];
        string merged;
        if (IsHighByte(register)) merged = Smt.Concat(Smt.Extract(63, 16, old), value, Smt.Extract(7, 0, old));
        else
        {
            merged = register.GetSize() switch
            {
                8 => value,
                4 => Smt.ZeroExtend(32, value),
                2 => Smt.Concat(Smt.Extract(63, 16, old), value),
                1 => Smt.Concat(Smt.Extract(63, 8, old), value),
                _ => throw new NotSupportedException($"{register}"),
            };
        }
        _gpr[n] = smt.DefineBv(64, merged, Location.Name(n));
    }

    /// <summary>
    /// Writes an XMM (128-bit <paramref name="value"/>) or YMM (256-bit) register. For XMM,
    /// <paramref name="zeroUpper"/> is the VEX rule (bits 128..255 cleared); legacy SSE passes false
    /// and keeps them.
    /// </summary>
    public void WriteVector(Register register, string value, bool zeroUpper, SmtBuilder smt)
    {
        int n = VectorIndex(register);
        if (register.IsXMM())
        {
            _vectorLow[n] = smt.DefineBv(128, value, $"xmm{n}");
            if (zeroUpper) _vectorHigh[n] = Smt.Zero(128);
            return;
        }
        if (register.IsYMM())
        {
            string whole = smt.DefineBv(256, value, $"ymm{n}");
            _vectorLow[n] = smt.DefineBv(128, Smt.Extract(127, 0, whole), $"xmm{n}");
            _vectorHigh[n] = smt.DefineBv(128, Smt.Extract(255, 128, whole), $"ymm{n}_hi");
            return;
        }
        throw new NotSupportedException($"{register} is not an XMM or YMM register");
    }

    // ------------------------------------------------------------------ memory

    /// <summary>
    /// <paramref name="bytes"/> bytes at <paramref name="address"/> (a 64-bit term), little-endian:
    /// the byte at the lowest address is the least significant. Addresses wrap modulo 2^64.
    /// </summary>
    public string ReadMemory(string address, int bytes, SmtBuilder smt)
    {
        if (bytes <= 0) throw new ArgumentOutOfRangeException(nameof(bytes));
        string a = smt.DefineBv(64, address, "addr");
        var parts = new string[bytes];
        for (int i = 0; i < bytes; i++) parts[bytes - 1 - i] = $"(select {Memory} {ByteAddress(a, i)})";
        return smt.DefineBv(bytes * 8, Smt.Concat(parts), "load");
    }

    /// <summary>Stores <paramref name="value"/> (<paramref name="bytes"/>·8 bits) little-endian at <paramref name="address"/>.</summary>
    public void WriteMemory(string address, int bytes, string value, SmtBuilder smt)
    {
        if (bytes <= 0) throw new ArgumentOutOfRangeException(nameof(bytes));
        string a = smt.DefineBv(64, address, "addr");
        string v = smt.DefineBv(bytes * 8, value, "stored");
        string memory = Memory;
        for (int i = 0; i < bytes; i++) memory = $"(store {memory} {ByteAddress(a, i)} {Smt.Extract(8 * i + 7, 8 * i, v)})";
        Memory = smt.Define(Smt.MemorySort, memory, "mem");
    }

    private static string ByteAddress(string address, int offset) =>
        offset == 0 ? address : Smt.BvAdd(address, Smt.Bv((ulong)offset, 64));

    private static bool IsHighByte(Register register) =>
        register is Register.AH or Register.CH or Register.DH or Register.BH;

    private static int GprIndex(Register register)
    {
        int n = register.GetFullRegister() - Register.RAX;
        if ((uint)n >= GprCount) throw new NotSupportedException($"register {register} is not modelled");
        return n;
    }

    private static int VectorIndex(Register register)
    {
        int n = register.GetNumber();
        if ((uint)n >= VectorCount || !(register.IsXMM() || register.IsYMM()))
            throw new NotSupportedException($"register {register} is not modelled");
        return n;
    }
}
