using CompilerLLM.Assembly;
using CompilerLLM.Lab.Measurement;

namespace CompilerLLM.Tests.Measurement;

/// <summary>Execution counts from callgrind mapped back to the blocks of the <c>.s</c>, against counts known from the source.</summary>
public sealed class ExecutionProfilerTests : IDisposable
{
    private readonly MeasurementWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("-pie")] // callgrind reports addresses relative to the load address
    [InlineData("-no-pie")] // absolute addresses
    public void ALoopThatRunsExactly1000TimesIsCounted1000Times(string linkFlag)
    {
        string s = _work.Write("loop.s", StaticEstimatorTests.LoopProgram);
        var profile = new ExecutionProfiler().Profile(new ProfileRequest([s]) { LinkFlags = [linkFlag] });
        var file = AsmReader.ReadFile(s);
        var counts = profile.BlockCountsFor(0, file);
        Assert.Equal([1L, 1000L, 1L], counts.Functions["f"].Counts);
        Assert.Equal(1, counts.EntryCount("main"));
        Assert.Equal(0, profile.UnmappedInstructions);
        // every instruction of the loop ran 1000 times, so the program's own instructions are known exactly:
        // f: 1 + 4·1000 + 1, main: 6
        Assert.Equal(1 + 4 * 1000 + 1 + 6, profile.ProgramInstructions);
        Assert.False(profile.FromCache);
        // deterministic: a second run measures exactly the same
        var again = new ExecutionProfiler().Profile(new ProfileRequest([s]) { LinkFlags = [linkFlag] });
        Assert.Equal(profile.LineCounts[0].OrderBy(kv => kv.Key), again.LineCounts[0].OrderBy(kv => kv.Key));
    }

    [Fact]
    public void TwoTranslationUnitsWithTheSameStaticNameAreCountedApart()
    {
        // Both files define a static 'helper'; callgrind and nm would confuse them by name, the linker map does not.
        const string unitA = """
            static volatile int sink;
            __attribute__((noinline)) static void helper(int i) { if (i % 3 == 0) sink += i; else sink -= 1; }
            void run_a(int n) { for (int i = 0; i < n; i++) helper(i); }
            """;
        const string unitB = """
            #include <stdio.h>
            static volatile int sink;
            void run_a(int n);
            __attribute__((noinline)) static void helper(int i) { sink += i; }
            int main(void) { for (int i = 0; i < 37; i++) helper(i); run_a(1000); printf("%d\n", sink); return 0; }
            """;
        string a = _work.CompileToAssembly("a", unitA, "-O1"), b = _work.CompileToAssembly("b", unitB, "-O1");
        string cache = _work.File("profiles");
        var request = new ProfileRequest([a, b]);
        var profile = new ExecutionProfiler(cache).Profile(request);
        var fileA = AsmReader.ReadFile(a);
        var fileB = AsmReader.ReadFile(b);
        Assert.Equal(1000, profile.BlockCountsFor(0, fileA).EntryCount("helper"));
        Assert.Equal(37, profile.BlockCountsFor(1, fileB).EntryCount("helper"));
        // the branch inside helper of unit A: i % 3 == 0 for 334 of 0..999
        var helperA = profile.BlockCountsFor(0, fileA).Functions["helper"].Counts;
        Assert.Contains(334L, helperA);
        Assert.Contains(666L, helperA);

        var cached = new ExecutionProfiler(cache).Profile(request);
        Assert.True(cached.FromCache);
        Assert.Equal(profile.ProgramInstructions, cached.ProgramInstructions);
        Assert.Equal(profile.LineCounts.Select(d => d.OrderBy(kv => kv.Key).ToList()), cached.LineCounts.Select(d => d.OrderBy(kv => kv.Key).ToList()));
    }

    [Fact]
    public void CountsOfTheOriginalApplyToARewrittenFile()
    {
        string s = _work.Write("loop.s", StaticEstimatorTests.LoopProgram);
        var profile = new ExecutionProfiler().Profile(new ProfileRequest([s]));
        var original = AsmReader.ReadFile(s);
        var rewritten = AsmReader.Read("rewritten.s", StaticEstimatorTests.LoopProgram.Replace("subq\t$1, %rdi", "decq\t%rdi", StringComparison.Ordinal)
            .Replace(".L2:", "\t.p2align 4\n.L2:", StringComparison.Ordinal));
        var counts = profile.BlockCountsFor(0, original);
        var cfg = CompilerLLM.Analysis.ControlFlowGraph.Build(rewritten, rewritten.Functions[0]);
        Assert.Equal([1L, 1000L, 1L], cfg.Blocks.Select(b => counts.CountOf(cfg, b)).ToArray());
        // Line counts belong to the profiled text: asking with the rewritten model is refused, not silently wrong.
        Assert.Throws<ArgumentException>(() => profile.BlockCountsFor(0, rewritten));
    }

    [Fact]
    public void CountsOfTheBaselineFollowTheOptimizersOutputBlockForBlock()
    {
        string s = _work.CompileToAssembly("loops", """
            #include <stdio.h>
            static volatile int seed = 3;
            __attribute__((noinline)) int work(int n) { int t = seed; for (int i = 0; i < n; i++) { for (int j = 0; j < i % 7; j++) t += j * i + 1; } return t; }
            int main(void) { printf("%d\n", work(5000)); return 0; }
            """, "-O0");
        var original = AsmReader.ReadFile(s);
        var optimized = AsmReader.Read("opt.s", CompilerLLM.Pipeline.Optimizer.Optimize(original, new CompilerLLM.Pipeline.OptimizerOptions()).Text);
        Assert.NotEqual(original.Source, optimized.Source);
        var profile = new ExecutionProfiler().Profile(new ProfileRequest([s]));
        var counts = profile.BlockCountsFor(0, original);
        foreach (var function in optimized.Functions)
        {
            var cfg = CompilerLLM.Analysis.ControlFlowGraph.Build(optimized, function);
            Assert.Equal(counts.Functions[function.Name].Counts, cfg.Blocks.Select(b => counts.CountOf(cfg, b)).ToArray());
        }
        Assert.Equal(1, counts.EntryCount("work"));
        Assert.Contains(14995L, counts.Functions["work"].Counts); // inner body: Σ (i mod 7) over i < 5000
        Assert.Contains(5000L, counts.Functions["work"].Counts);
    }
}
