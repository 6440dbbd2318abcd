using Iced.Intel;
using CompilerLLM.Assembly;

namespace CompilerLLM.Rewriting;

/// <summary>A memory operand as matched: everything needed to rebuild it, including its symbol.</summary>
public readonly record struct MemoryBinding(Register Base, Register Index, int Scale, long Displacement, int DisplacementSize, Register Segment, SymbolicOperand Symbol)
{
    public bool IsStackSlot => (Base is Register.RSP or Register.RBP) && Index == Register.None && !Symbol.IsPresent && Segment is Register.None or Register.SS or Register.DS;

    public MemoryOperand ToMemoryOperand(long displacementDelta = 0) =>
        new(Base, Index, Scale, Displacement + displacementDelta, DisplacementSize == 0 && Displacement + displacementDelta != 0 ? 1 : DisplacementSize, false, Segment == Register.DS ? Register.None : Segment);

    public bool SameAddress(in MemoryBinding other) =>
        Base == other.Base && Index == other.Index && Scale == other.Scale && Displacement == other.Displacement
        && Segment == other.Segment && !Symbol.IsPresent && !other.Symbol.IsPresent;
}

/// <summary>
/// The values a rule's pattern variables took at one site: registers (by their full 64-bit
/// register), immediates and memory operands. Different register variables always bind different
/// registers, so every proof instantiates them distinctly.
/// </summary>
public sealed class Bindings
{
    private readonly Dictionary<string, Register> _registers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _immediates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemoryBinding> _memory = new(StringComparer.Ordinal);

    private readonly Dictionary<string, string> _terms = new(StringComparer.Ordinal);

    /// <summary>
    /// Proofs only: SMT terms standing for immediate variables and memory displacements, so one
    /// proof covers every value. Empty at real sites.
    /// </summary>
    public IReadOnlyDictionary<string, string> Terms => _terms;

    public string? TermOf(string name) => _terms.TryGetValue(name, out var t) ? t : null;

    public void SetTerm(string name, string term) => _terms[name] = term;

    /// <summary>The operand width in bits the rule was matched (or instantiated) at.</summary>
    public int Width { get; set; }

    public IReadOnlyDictionary<string, Register> Registers => _registers;
    public IReadOnlyDictionary<string, long> Immediates => _immediates;
    public IReadOnlyDictionary<string, MemoryBinding> Memory => _memory;

    public Register Register(string name) => _registers[name];
    public long Immediate(string name) => _immediates[name];
    public MemoryBinding MemoryOperand(string name) => _memory[name];

    /// <summary>Binds or checks a register variable (full register); false on a conflict.</summary>
    public bool BindRegister(string name, Register full)
    {
        if (_registers.TryGetValue(name, out var existing)) return existing == full;
        foreach (var r in _registers.Values) if (r == full) return false; // distinct variables, distinct registers
        _registers[name] = full;
        return true;
    }

    public bool BindImmediate(string name, long value)
    {
        if (_immediates.TryGetValue(name, out long existing)) return existing == value;
        _immediates[name] = value;
        return true;
    }

    public bool BindMemory(string name, in MemoryBinding memory)
    {
        if (_memory.TryGetValue(name, out var existing)) return existing.SameAddress(memory);
        _memory[name] = memory;
        return true;
    }

    public Bindings Clone()
    {
        var b = new Bindings { Width = Width };
        foreach (var (k, v) in _registers) b._registers[k] = v;
        foreach (var (k, v) in _immediates) b._immediates[k] = v;
        foreach (var (k, v) in _memory) b._memory[k] = v;
        foreach (var (k, v) in _terms) b._terms[k] = v;
        return b;
    }

    public override string ToString() =>
        string.Join(", ", _registers.Select(kv => $"{kv.Key}={kv.Value}")
            .Concat(_immediates.Select(kv => $"{kv.Key}={kv.Value}"))
            .Concat(_memory.Select(kv => $"{kv.Key}=[{kv.Value.Base}{(kv.Value.Displacement >= 0 ? "+" : "")}{kv.Value.Displacement}]")));
}
