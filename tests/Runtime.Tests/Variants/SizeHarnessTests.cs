using CompilerLLM.Lab.Variants;
using CompilerLLM.Pipeline;
using CompilerLLM.Tests.TestSupport;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Variants;

/// <summary>
/// <c>compilerllm size</c> on a small suite program written like the development suite's manifests: real gcc at -O3,
/// -Os and -Oz, the size objective through the engine's own per-unit path with the shipped policy (real ONNX Runtime),
/// each build linked and run against the expected output.
/// </summary>
public sealed class SizeHarnessTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-size-harness-");
    private readonly LoadedPolicy _policy = PolicyRequest.Default.Load();

    public void Dispose()
    {
        _policy.Dispose();
        _temp.Dispose();
    }

    private const string Main = """
        #include <stdio.h>
        #include <stdlib.h>
        unsigned kernel(unsigned n, unsigned seed);
        int main(int argc, char **argv) {
            printf("%u\n", kernel((unsigned)atoi(argv[1]), 7));
            return 0;
        }
        """;

    /// <summary>Loops -O3 unrolls and vectorizes, which -Os and -Oz keep short; <c>WRONG_WHEN_SMALL</c> makes the size builds miscompute on purpose.</summary>
    private const string Kernel = """
        static unsigned table[256];
        unsigned kernel(unsigned n, unsigned x) {
            unsigned acc = 0;
            for (unsigned i = 0; i < 256; i++) table[i] = i * 2654435761u;
            for (unsigned i = 0; i < n; i++) { x = x * 1103515245u + 12345u; acc += table[(x >> 16) & 255] % 7u; }
        #if defined(WRONG_WHEN_SMALL) && defined(__OPTIMIZE_SIZE__)
            acc++;
        #endif
        #if defined(UNDEFINED_WHEN_SMALL) && defined(__OPTIMIZE_SIZE__)
            extern unsigned defined_nowhere(void);
            acc += defined_nowhere();
        #endif
            return acc;
        }
        """;

    private SizeHarness Harness(List<string> log) =>
        new(ToolchainOptions.Default, new SizeHarnessOptions { Policy = _policy, CacheDirectory = _temp.File("cache") }, log.Add);

    [Fact]
    public void EveryBuildIsLinkedCheckedAndMeasuredAndTheObjectiveIsAtOrBelowOs()
    {
        var programs = SuiteProgram.Discover(DemoSuite.Write(_temp.Path, Main, Kernel), w => Assert.Fail(w));
        var log = new List<string>();
        string json = _temp.File("size.json");
        var results = Harness(log).Measure(programs, json);

        var p = Assert.Single(results.Programs);
        Assert.Equal(SizeHarness.Builds.Order(StringComparer.Ordinal), p.Builds.Keys.Order(StringComparer.Ordinal));
        Assert.All(p.Builds.Values, b => Assert.True(b.Passed && b.Failure is null && b.TextBytes > 0 && b.ObjectCodeBytes > 0));
        var (o3, os, oz, variants, size) = (p.Builds["O3"], p.Builds["Os"], p.Builds["Oz"], p.Builds["size-variants"], p.Builds["size"]);
        Assert.True(o3.ObjectCodeBytes > os.ObjectCodeBytes, $"-O3 {o3.ObjectCodeBytes} bytes, -Os {os.ObjectCodeBytes}");
        // Per unit the smallest of the three: never more than any one of them everywhere.
        Assert.True(variants.ObjectCodeBytes <= new[] { o3, os, oz }.Min(b => b.ObjectCodeBytes));
        Assert.True(size.ObjectCodeBytes <= variants.ObjectCodeBytes, "the rewrites on top never make the code longer");
        Assert.True(size.TextBytes <= os.TextBytes);
        Assert.Equal(2, p.Units);
        Assert.Equal(2, p.Chosen.Values.Sum());
        Assert.Contains(p.Chosen.Keys, k => k is "os" or "oz");
        Assert.All(p.RewritesByRule.Values, r => Assert.True(r.BytesSaved >= 0));
        Assert.Equal(p.Rewrites, p.RewritesByRule.Values.Sum(r => r.Applied));

        var row = Assert.Single(results.Summary, r => r.Build == SizeHarness.Size);
        Assert.Equal((1, 1, 1), (row.Programs, row.Passed, row.TextAtOrBelowOs));
        Assert.Equal((double)size.TextBytes / os.TextBytes, row.TextVsOs, 12);
        Assert.Equal(1.0, Assert.Single(results.Summary, r => r.Build == SizeHarness.Os).TextVsOs, 12);
        Assert.True(Assert.Single(results.Summary, r => r.Build == SizeHarness.O3).TextVsOs > 1);

        var read = SizeResults.Read(json);
        Assert.Equal(SizeResults.SchemaName, read.Schema);
        Assert.Equal(size.TextBytes, read.Programs[0].Builds["size"].TextBytes);
        Assert.Contains("| demo | 2 |", results.Markdown(), StringComparison.Ordinal);

        // Deterministic: a second run gives the same bytes.
        var again = Assert.Single(Harness([]).Measure(programs).Programs);
        Assert.Equal(p.Builds.Select(b => (b.Key, b.Value.TextBytes, b.Value.ObjectCodeBytes)), again.Builds.Select(b => (b.Key, b.Value.TextBytes, b.Value.ObjectCodeBytes)));

        // A rerun with the same output keeps what it holds and measures nothing again.
        var resumedLog = new List<string>();
        var resumed = Assert.Single(Harness(resumedLog).Measure(programs, json).Programs);
        Assert.Equal(["resuming: 1 programs already in " + json], resumedLog);
        Assert.Equal(size.TextBytes, resumed.Builds["size"].TextBytes);
    }

    [Fact]
    public void ABuildThatMiscomputesFailsItsCheckAndIsReported()
    {
        var programs = SuiteProgram.Discover(DemoSuite.Write(_temp.Path, Main, "#define WRONG_WHEN_SMALL 1\n" + Kernel), w => Assert.Fail(w));
        var log = new List<string>();
        var p = Assert.Single(Harness(log).Measure(programs).Programs);
        Assert.True(p.Builds["O3"].Passed);
        foreach (string small in new[] { "Os", "Oz", "size-variants", "size" })
        {
            Assert.False(p.Builds[small].Passed, small);
            Assert.Equal("standard output differs from the expected output", p.Builds[small].Failure);
        }
        Assert.Contains(log, l => l.Contains("demo: Os fails its check", StringComparison.Ordinal));
    }

    [Fact]
    public void ABuildThatDoesNotLinkIsReportedWithTheLinkersReasonAndLeftOutOfTheRatios()
    {
        var programs = SuiteProgram.Discover(DemoSuite.Write(_temp.Path, Main, "#define UNDEFINED_WHEN_SMALL 1\n" + Kernel), w => Assert.Fail(w));
        var results = Harness([]).Measure(programs);
        var p = Assert.Single(results.Programs);
        Assert.True(p.Builds["O3"].Passed);
        Assert.All(new[] { "Os", "Oz", "size-variants", "size" }, b =>
        {
            Assert.Equal(0, p.Builds[b].TextBytes);
            Assert.False(p.Builds[b].Passed);
            Assert.Matches("^link failed: .*undefined reference to `defined_nowhere'$", p.Builds[b].Failure);
        });
        Assert.Empty(results.Summary); // no -Os to compare with
        Assert.Contains("| demo | 2 | ", results.Markdown(), StringComparison.Ordinal);
        Assert.Contains("not linked ✗", results.Markdown(), StringComparison.Ordinal);
        Assert.Contains("- demo, size: link failed:", results.Markdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void AProgramWhoseO3BuildFailsItsCheckIsLeftOut()
    {
        var programs = SuiteProgram.Discover(DemoSuite.Write(_temp.Path, Main, Kernel, expected: "not what it prints\n"), w => Assert.Fail(w));
        var log = new List<string>();
        var results = Harness(log).Measure(programs);
        Assert.Empty(results.Programs);
        Assert.Empty(results.Summary);
        Assert.Contains(log, l => l.Contains("demo: left out: its -O3 build does not pass its check", StringComparison.Ordinal));
    }
}
