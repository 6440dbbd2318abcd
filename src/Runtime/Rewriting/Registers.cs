using Iced.Intel;

namespace CompilerLLM.Rewriting;

/// <summary>Sub-registers of the 16 general registers by width.</summary>
public static class Registers
{
    public static Register OfWidth(Register full, int width)
    {
        int n = full - Register.RAX;
        return width switch
        {
            64 => Register.RAX + n,
            32 => Register.EAX + n,
            16 => Register.AX + n,
            8 => n < 4 ? Register.AL + n : Register.SPL + (n - 4),
            _ => throw new ArgumentOutOfRangeException(nameof(width)),
        };
    }
}
