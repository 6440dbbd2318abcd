namespace CompilerLLM.Rewriting.Guards;

/// <summary>
/// A register variable is neither the base nor the index of a memory variable's address, so writing
/// the register leaves the address unchanged (<c>mov m, r; mov m, r</c> reads the same slot twice).
/// </summary>
public sealed class RegisterOutsideAddressGuard(string register, string memory) : RuleGuard
{
    /// <summary>The register variable.</summary>
    public string RegisterVariable { get; } = register;

    /// <summary>The memory variable whose address must not use it.</summary>
    public string MemoryVariable { get; } = memory;

    public override bool Holds(Bindings bindings)
    {
        var m = bindings.MemoryOperand(MemoryVariable);
        var r = bindings.Register(RegisterVariable);
        return m.Base != r && m.Index != r;
    }

    /// <summary>Registers and addresses are concrete in every proof instantiation: the decision itself.</summary>
    public override string Meaning(Bindings bindings) => Literal(Holds(bindings));

    public override bool IsSymbolic(Bindings bindings) => false;

    public override string ToString() => $"{RegisterVariable} is not part of the address of {MemoryVariable}";
}
