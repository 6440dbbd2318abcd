namespace CompilerLLM.Rewriting.Guards;

/// <summary>
/// A register variable is neither the base nor the index of a memory variable's address, so writing
/// the register leaves the address unchanged (<c>mov m, r; mov m, r</c> reads the same slot twice).
/// </summary>
public sealed class RegisterOutsideAddressGuard(string register, string memory) : RuleGuard
{
    public string Register { get; } = register;
    public string Memory { get; } = memory;

    public override bool Holds(Bindings bindings)
    {
        var m = bindings.MemoryOperand(Memory);
        var r = bindings.Register(Register);
        return m.Base != r && m.Index != r;
    }

    /// <summary>Registers and addresses are concrete in every proof instantiation: the decision itself.</summary>
    public override string Meaning(Bindings bindings) => Literal(Holds(bindings));

    public override bool IsSymbolic(Bindings bindings) => false;

    public override string ToString() => $"{Register} is not part of the address of {Memory}";
}
