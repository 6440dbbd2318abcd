using Iced.Intel;

namespace CompilerLLM.Cost;

/// <summary>
/// A deliberately small latency table for the optimizer's report: cycles of one instruction on a
/// generic recent x86-64 core, memory operands adding an L1 hit. The evaluation work replaces it
/// with llvm-mca per block weighted by execution counts; this only ranks rewrites.
/// </summary>
public static class StaticCost
{
    public static double Cycles(in Instruction instruction)
    {
        double c = instruction.Mnemonic switch
        {
            Mnemonic.Imul or Mnemonic.Mul => 3,
            Mnemonic.Div or Mnemonic.Idiv => 25,
            Mnemonic.Popcnt or Mnemonic.Lzcnt or Mnemonic.Tzcnt or Mnemonic.Bsf or Mnemonic.Bsr => 3,
            Mnemonic.Lea => IsThreeComponent(instruction) ? 3 : 1,
            Mnemonic.Nop or Mnemonic.Endbr64 => 0.25,
            Mnemonic.Xor or Mnemonic.Sub when IsZeroingIdiom(instruction) => 0.25,
            Mnemonic.Mov when instruction.Op0Kind == OpKind.Register && instruction.Op1Kind == OpKind.Register => 0.25, // eliminated at rename
            _ => 1,
        };
        if (instruction.Mnemonic != Mnemonic.Lea && HasMemoryOperand(instruction)) c += 4;
        return c;
    }

    private static bool IsThreeComponent(in Instruction i) =>
        i.MemoryBase != Register.None && i.MemoryIndex != Register.None && i.MemoryDisplacement64 != 0;

    private static bool IsZeroingIdiom(in Instruction i) =>
        i.OpCount == 2 && i.Op0Kind == OpKind.Register && i.Op1Kind == OpKind.Register && i.Op0Register == i.Op1Register;

    private static bool HasMemoryOperand(in Instruction i)
    {
        for (int k = 0; k < i.OpCount; k++) if (i.GetOpKind(k) == OpKind.Memory) return true;
        return false;
    }
}
