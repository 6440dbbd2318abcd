using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Lab.Measurement;

namespace CompilerLLM.Tests.Measurement;

/// <summary>
/// The static estimate against numbers worked out by hand from llvm-mca's model of Zen 3 (znver3):
/// <c>imul r64, r64</c> has latency 3 (AMD's Zen 3 optimization guide, and LLVM's Zen 3 model), so a
/// chain of k dependent imuls simulated for N iterations takes 1 cycle to dispatch the first, 3·k·N
/// cycles of chained execution, 1 to write back and 1 to retire: Total Cycles = 3kN + 3.
/// </summary>
public sealed class StaticEstimatorTests : IDisposable
{
    private readonly MeasurementWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    /// <summary>f(n): one imul (block 0), a loop of two chained imuls run n times (block 1), ret (block 2); main calls f(1000).</summary>
    public const string LoopProgram = """
        	.text
        	.globl	f
        	.type	f, @function
        f:
        	imulq	%rax, %rax
        .L2:
        	imulq	%rax, %rax
        	imulq	%rax, %rax
        	subq	$1, %rdi
        	jne	.L2
        	ret
        	.size	f, .-f
        	.globl	main
        	.type	main, @function
        main:
        	subq	$8, %rsp
        	movl	$1000, %edi
        	call	f
        	xorl	%eax, %eax
        	addq	$8, %rsp
        	ret
        	.size	main, .-main
        	.section	.note.GNU-stack,"",@progbits
        """;

    private static StaticEstimator Zen3() => new(new StaticEstimatorOptions { Mcpu = "znver3", Iterations = 100 });

    [Fact]
    public void BlockCyclesEqualTheHandComputedChainLatency()
    {
        // Block 1 of f as a region on its own: two chained imuls (6 cycles per iteration); the sub/jne
        // chain (1 cycle) runs beside it and retires with it.
        var region = LlvmMca.Run([new McaRegion("loop", ["imulq %rax, %rax", "imulq %rax, %rax", "subq $1, %rdi", "jne .Lx"])], "znver3", 100);
        Assert.Equal(3 * 2 * 100 + 3, Assert.Single(region.Regions).TotalCycles);

        var file = AsmReader.Read("loop.s", LoopProgram);
        var estimate = Zen3().Estimate(file);
        var f = estimate.Files[0].Functions.Single(x => x.Name == "f");
        Assert.Equal(3, f.Blocks.Count);
        Assert.Equal((3 * 1 * 100 + 3) / 100.0, f.Blocks[0].CyclesPerExecution, 9); // one imul
        Assert.Equal((3 * 2 * 100 + 3) / 100.0, f.Blocks[1].CyclesPerExecution, 9);
        Assert.False(estimate.Weighted);
        Assert.Equal("znver3", estimate.Cpu);
    }

    [Fact]
    public void WeightedEstimateIsCyclesTimesCountsSummed()
    {
        var file = AsmReader.Read("loop.s", LoopProgram);
        // Counts as a profile would give them: f runs once, its loop 1000 times.
        int loop = file.DefinedLabels[".L2"], mainLine = file.DefinedLabels["main"];
        var counts = BlockCounts.FromLineCounts(file, line => line > loop && line < mainLine && !file.TextOf(line).Contains("ret", StringComparison.Ordinal) ? 1000 : 1);
        var estimate = Zen3().Estimate(file, counts);
        var f = estimate.Files[0].Functions.Single(x => x.Name == "f");
        Assert.Equal([1L, 1000L, 1L], f.Blocks.Select(b => b.Count).ToArray());

        // ret alone, simulated independently of the estimator's batch.
        double ret = Assert.Single(LlvmMca.Run([new McaRegion("ret", ["ret"])], "znver3", 100).Regions).CyclesPerIteration;
        double expected = 3.03 * 1 + 6.03 * 1000 + ret * 1;
        Assert.Equal(expected, f.Cycles, 6);
        Assert.True(estimate.Weighted);
        Assert.Equal(estimate.Files[0].Functions.Sum(x => x.Cycles), estimate.Cycles, 6);
    }

    [Fact]
    public void AllBlocksOfAFileGoToOneLlvmMcaRunAndTheSecondEstimateIsCached()
    {
        string s = _work.CompileToAssembly("kernels", """
            unsigned h(const unsigned char *p, int n) { unsigned x = 2166136261u; for (int i = 0; i < n; i++) x = (x ^ p[i]) * 16777619u; return x; }
            int s(int *a, int n) { int t = 0; for (int i = 0; i < n; i++) if (a[i] > 0) t += a[i]; else t -= 1; return t; }
            """);
        var file = AsmReader.ReadFile(s);
        var estimator = Zen3();
        var first = estimator.Estimate(file);
        var stats = estimator.Statistics;
        Assert.Equal(1, stats.McaInvocations);
        Assert.True(stats.BlocksRequested >= 6, $"{stats.BlocksRequested} blocks");
        var second = estimator.Estimate(file);
        Assert.Equal(1, estimator.Statistics.McaInvocations);
        Assert.Equal(stats.BlocksRequested * 2, estimator.Statistics.BlocksRequested);
        Assert.Equal(first.Cycles, second.Cycles);
        Assert.All(first.Files[0].Functions.SelectMany(f => f.Blocks), b => Assert.True(b.Instructions == 0 || b.CyclesPerExecution > 0));
    }

    [Fact]
    public void ABlockCostsTheSameAloneOrBatchedWithOthers()
    {
        string s = _work.CompileToAssembly("other", "int g(int *a, int n) { int t = 0; for (int i = 0; i < n; i++) t += a[i] * 3; return t; }");
        var loop = AsmReader.Read("loop.s", LoopProgram);
        var alone = Zen3().EstimateFunction(loop, loop.Functions[0]);
        var batched = Zen3().Estimate([(AsmReader.ReadFile(s), null), (loop, null)]).Files[1].Functions[0];
        Assert.Equal(alone.Blocks.Select(b => b.CyclesPerExecution), batched.Blocks.Select(b => b.CyclesPerExecution));
        Assert.Equal("f", alone.Name);
    }

    [Fact]
    public void TheDiskCacheGivesTheSameCyclesWithoutRunningLlvmMca()
    {
        var file = AsmReader.Read("loop.s", LoopProgram);
        string dir = _work.File("mca-cache");
        var options = new StaticEstimatorOptions { Mcpu = "znver3", DiskCacheDirectory = dir };
        var fresh = new StaticEstimator(options).Estimate(file);
        var reloaded = new StaticEstimator(options);
        var again = reloaded.Estimate(file);
        Assert.Equal(fresh.Cycles, again.Cycles);
        Assert.Equal(0, reloaded.Statistics.McaInvocations);
        Assert.True(reloaded.Statistics.DiskHits > 0);
    }

    [Fact]
    public void EqualBlocksWithDifferentLocalLabelsShareOneCacheEntry()
    {
        var file = AsmReader.Read("loop.s", LoopProgram);
        var cfg = ControlFlowGraph.Build(file, file.Functions[0]);
        Assert.Equal(["imulq %rax, %rax", "imulq %rax, %rax", "subq $1, %rdi", "jne .Lx"], StaticEstimator.BlockLines(file, cfg, cfg.Blocks[1]));
    }

    [Fact]
    public void LinesLlvmMcaCannotParseAreReportedAndTheOtherRegionsStillCount()
    {
        var run = LlvmMca.Run([new McaRegion("bad", ["notaninstruction %eax"]), new McaRegion("good", ["addq $1, %rax"])], "znver3", 100);
        Assert.Contains(run.RejectedLines, l => l.StartsWith("bad: invalid instruction mnemonic", StringComparison.Ordinal));
        var good = Assert.Single(run.Regions);
        Assert.Equal("good", good.Name);
        Assert.Equal(100 + 3, good.TotalCycles);
    }

    [Fact]
    public void NativeResolvesToACpuLlvmKnows()
    {
        string cpu = LlvmMca.ResolveCpu("native");
        Assert.NotEqual("native", cpu);
        Assert.True(cpu == "generic" || LlvmMca.IsKnownCpu(cpu), cpu);
    }
}
