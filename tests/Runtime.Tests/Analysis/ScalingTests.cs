using System.Diagnostics;
using System.Text;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;

namespace CompilerLLM.Tests.Analysis;

/// <summary>Analysis cost on files with many functions, as GCC produces for large translation units.</summary>
public sealed class ScalingTests
{
    /// <summary>N functions, each loading its own double constant .LCi from .rodata.cst8 (GCC's usual shape).</summary>
    private static string ManyFunctionsWithConstants(int n)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++)
        {
            sb.Append("\t.text\n\t.globl\tf").Append(i).Append("\n\t.type\tf").Append(i).Append(", @function\nf").Append(i).Append(":\n");
            sb.Append("\tmovsd\t.LC").Append(i).Append("(%rip), %xmm0\n\tret\n");
            sb.Append("\t.size\tf").Append(i).Append(", .-f").Append(i).Append('\n');
            sb.Append("\t.section\t.rodata.cst8,\"aM\",@progbits,8\n\t.align 8\n.LC").Append(i).Append(":\n");
            sb.Append("\t.long\t").Append(i).Append("\n\t.long\t1072693248\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void ManySmallFunctions_AreAllAnalysed()
    {
        var file = AsmReader.Read("many.s", ManyFunctionsWithConstants(50));
        Assert.Equal(50, file.Functions.Count);
        foreach (var f in file.Functions)
        {
            var a = FunctionAnalysis.Analyze(file, f);
            Assert.Single(a.Cfg.Blocks);
            Assert.Equal(BlockExit.Return, a.Cfg.Blocks[0].Exit);
            // xmm0 is written by the movsd (legacy load: low lane only), so only its upper half is live at entry.
            Assert.False(a.Liveness.LiveIn(0).Contains(Location.VectorLowBase));
            Assert.True(a.Liveness.LiveIn(0).Contains(Location.VectorHighBase));
        }
    }

    [Fact]
    public void ManyFunctionsWithConstants_AnalyseInLinearTime()
    {
        var file = AsmReader.Read("many.s", ManyFunctionsWithConstants(1500));
        Assert.Equal(1500, file.Functions.Count);
        // Speed is measured by `compilerllm bench`, not asserted here; this checks every function is analysed alike.
        var builder = new EffectsBuilder();
        foreach (var f in file.Functions)
        {
            var a = FunctionAnalysis.Analyze(file, f, builder);
            Assert.Single(a.Cfg.Blocks);
            Assert.Equal(BlockExit.Return, a.Cfg.Blocks[0].Exit);
        }
    }
}
