using System.Numerics;
using System.Text;
using Iced.Intel;

namespace CompilerLLM.Analysis;

/// <summary>
/// The machine state the analyses track, one bit each: the 16 general registers (whole 64-bit
/// registers; byte/word writes are partial), the low 128 bits and the upper part of the 32 vector
/// registers, the 8 mask registers, the status flags one by one, DF, and the x87 stack as a whole.
/// </summary>
public static class Location
{
    public const int GprBase = 0;          // RAX..R15 in Iced/hardware order
    public const int VectorLowBase = 16;   // XMM0..XMM31, bits 0..127
    public const int MaskBase = 48;        // K0..K7
    public const int CF = 56, PF = 57, AF = 58, ZF = 59, SF = 60, OF = 61, DF = 62;
    public const int X87 = 63;
    public const int VectorHighBase = 64;  // YMM/ZMM bits above 127
    public const int Count = 96;

    public const int Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, Rsp = 4, Rbp = 5, Rsi = 6, Rdi = 7,
        R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

    private static readonly string[] GprNames =
        ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];

    public static string Name(int location) => location switch
    {
        < VectorLowBase => GprNames[location],
        < MaskBase => $"xmm{location - VectorLowBase}",
        < CF => $"k{location - MaskBase}",
        CF => "CF", PF => "PF", AF => "AF", ZF => "ZF", SF => "SF", OF => "OF", DF => "DF",
        X87 => "x87",
        < Count => $"ymm{location - VectorHighBase}.hi",
        _ => $"loc{location}",
    };

    /// <summary>The status flags and DF as Iced names them, in location order.</summary>
    public static LocationSet FromRflags(RflagsBits bits)
    {
        ulong lo = 0;
        if ((bits & RflagsBits.CF) != 0) lo |= 1UL << CF;
        if ((bits & RflagsBits.PF) != 0) lo |= 1UL << PF;
        if ((bits & RflagsBits.AF) != 0) lo |= 1UL << AF;
        if ((bits & RflagsBits.ZF) != 0) lo |= 1UL << ZF;
        if ((bits & RflagsBits.SF) != 0) lo |= 1UL << SF;
        if ((bits & RflagsBits.OF) != 0) lo |= 1UL << OF;
        if ((bits & RflagsBits.DF) != 0) lo |= 1UL << DF;
        return new LocationSet(lo, 0);
    }
}

/// <summary>A set of <see cref="Location"/>s: 96 bits in 12 bytes, value semantics, no allocation.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
public readonly struct LocationSet : IEquatable<LocationSet>
{
    public LocationSet(ulong lo, uint hi)
    {
        Lo = lo;
        Hi = hi;
    }

    public ulong Lo { get; }
    public uint Hi { get; }

    public static LocationSet Empty => default;

    public static LocationSet All => new(ulong.MaxValue, uint.MaxValue);

    public static LocationSet Of(params ReadOnlySpan<int> locations)
    {
        var s = Empty;
        foreach (int l in locations) s = s.With(l);
        return s;
    }

    public static LocationSet Range(int first, int count)
    {
        var s = Empty;
        for (int i = 0; i < count; i++) s = s.With(first + i);
        return s;
    }

    public static LocationSet StatusFlags => Of(Location.CF, Location.PF, Location.AF, Location.ZF, Location.SF, Location.OF);

    public bool IsEmpty => (Lo | Hi) == 0;

    public int Count => BitOperations.PopCount(Lo) + BitOperations.PopCount(Hi);

    public bool Contains(int location) =>
        location < 64 ? (Lo >> location & 1) != 0 : (Hi >> (location - 64) & 1) != 0;

    public LocationSet With(int location) =>
        location < 64 ? new(Lo | 1UL << location, Hi) : new(Lo, Hi | 1u << (location - 64));

    public bool Overlaps(LocationSet other) => ((Lo & other.Lo) | (Hi & other.Hi)) != 0;

    public static LocationSet operator |(LocationSet a, LocationSet b) => new(a.Lo | b.Lo, a.Hi | b.Hi);
    public static LocationSet operator &(LocationSet a, LocationSet b) => new(a.Lo & b.Lo, a.Hi & b.Hi);
    public static LocationSet operator -(LocationSet a, LocationSet b) => new(a.Lo & ~b.Lo, a.Hi & ~b.Hi);
    public static bool operator ==(LocationSet a, LocationSet b) => a.Lo == b.Lo && a.Hi == b.Hi;
    public static bool operator !=(LocationSet a, LocationSet b) => !(a == b);

    public bool Equals(LocationSet other) => this == other;
    public override bool Equals(object? obj) => obj is LocationSet s && this == s;
    public override int GetHashCode() => HashCode.Combine(Lo, Hi);

    /// <summary>Enumerates member locations in increasing order without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator(LocationSet set)
    {
        private ulong _lo = set.Lo;
        private uint _hi = set.Hi;
        public int Current { get; private set; }

        public bool MoveNext()
        {
            if (_lo != 0)
            {
                Current = BitOperations.TrailingZeroCount(_lo);
                _lo &= _lo - 1;
                return true;
            }
            if (_hi != 0)
            {
                Current = 64 + BitOperations.TrailingZeroCount(_hi);
                _hi &= _hi - 1;
                return true;
            }
            return false;
        }
    }

    public override string ToString()
    {
        if (this == All) return "{all}";
        var sb = new StringBuilder("{");
        foreach (int l in this)
        {
            if (sb.Length > 1) sb.Append(' ');
            sb.Append(Location.Name(l));
        }
        return sb.Append('}').ToString();
    }
}
