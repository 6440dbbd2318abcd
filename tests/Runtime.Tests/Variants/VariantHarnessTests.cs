using CompilerLLM.Lab.Variants;
using CompilerLLM.Tests.Measurement;
using CompilerLLM.Tests.TestSupport;
using CompilerLLM.Timing;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Tests.Variants;

/// <summary>
/// <c>compilerllm variants</c> on a small suite program written like the development suite's manifests (two units in
/// different folders, a wrapper script, an expected output): real gcc, a real profile, real timing (three rounds).
/// </summary>
[Collection(nameof(TimingCollection))]
public sealed class VariantHarnessTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-variant-harness-");

    public void Dispose() => _temp.Dispose();

    private const string Main = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        unsigned kernel(unsigned n, unsigned seed);
        int main(int argc, char **argv) {
            const char *slash = strrchr(argv[0], '/');
            if (strcmp(slash ? slash + 1 : argv[0], "demo") != 0) return 3; /* like gunzip or untoast: the name matters */
            printf("%u\n", kernel((unsigned)atoi(argv[1]), 7));
            return 0;
        }
        """;

    private const string Kernel = DemoSuite.Kernel;

    /// <summary>A suite folder with one program; <paramref name="expected"/> null: the output of a plain -O2 build.</summary>
    private string Suite(string? expected = null) => DemoSuite.Write(_temp.Path, Main, Kernel, expected);

    private VariantHarness Harness(List<string> log) => new(ToolchainOptions.Default, new VariantHarnessOptions
    {
        Variants = [VariantTable.Base, VariantTable.Find("unroll")!, VariantTable.Find("pgo")!],
        Timing = new TimingOptions { Rounds = 3 },
        CacheDirectory = _temp.File("cache"),
    }, log.Add);

    [Fact]
    public void EveryVariantIsBuiltCheckedTimedAndDescribedAndARerunResumes()
    {
        var programs = SuiteProgram.Discover(Suite(), w => Assert.Fail(w));
        var log = new List<string>();
        string output = _temp.File("dataset.json");
        var dataset = Harness(log).Measure(programs, output);

        var p = Assert.Single(dataset.Programs);
        Assert.Equal("demo-src", p.Package);
        Assert.Equal(["base", "pgo", "unroll"], p.Variants.Keys.Order());
        Assert.Null(p.Failed);
        Assert.Equal(1.0, p.Variants["base"].Ratio);
        Assert.All(p.Variants.Values, v => Assert.Equal(3, v.LogRatios.Count));
        Assert.All(p.Variants.Values, v => Assert.True(v.OutputOk && v.TextBytes > 0 && v.Low <= v.Ratio && v.Ratio <= v.High));
        Assert.NotNull(p.Aa);
        Assert.InRange(p.Aa!.Ratio, 0.8, 1.25);
        Assert.Equal(["app/main.c", "lib/kernel.c"], p.Units.Select(u => u.Source));
        Assert.All(p.Units, u => Assert.Equal(VariantFeatures.UnitWidth, u.Features.Count));
        Assert.All(p.Units, u => Assert.Equal(["base", "pgo", "unroll"], u.EstimatedCycles.Keys.Order()));
        Assert.All(p.Units, u => Assert.Equal(1f, u.Features[VariantFeatures.UnitNames.ToList().IndexOf("profile.present")]));
        var kernel = p.Units[1];
        Assert.True(kernel.ProfileShare > 0.9, $"the kernel does the work: share {kernel.ProfileShare}");
        Assert.True(kernel.EstimatedCycles["unroll"] != kernel.EstimatedCycles["base"], "unrolling changes the kernel's loop");
        Assert.NotNull(dataset.AaNoise);
        Assert.Equal(VariantDataset.SchemaName, VariantDataset.TryRead(output)!.Schema);

        var again = new List<string>();
        var resumed = Harness(again).Measure(programs, output);
        Assert.Contains(again, l => l.StartsWith("resuming: 1 programs", StringComparison.Ordinal));
        Assert.Equal(p.Variants["unroll"].LogRatios, Assert.Single(resumed.Programs).Variants["unroll"].LogRatios);

        // A later run with another variant adds it to the record (timed against base in its own run) and keeps the rest.
        var more = new VariantHarness(ToolchainOptions.Default, new VariantHarnessOptions
        {
            Variants = [VariantTable.Base, VariantTable.Find("novec")!], Timing = new TimingOptions { Rounds = 3 }, CacheDirectory = _temp.File("cache"),
        }, _ => { });
        var merged = Assert.Single(more.Measure(programs, output).Programs);
        Assert.Equal(["base", "novec", "pgo", "unroll"], merged.Variants.Keys.Order());
        Assert.Equal(p.Variants["unroll"].LogRatios, merged.Variants["unroll"].LogRatios);
        Assert.Equal(p.Aa!.LogRatios, merged.Aa!.LogRatios);
        Assert.All(merged.Units, u => Assert.Equal(["base", "novec", "pgo", "unroll"], u.EstimatedCycles.Keys.Order()));
        Assert.Equal(p.Units.Select(u => u.Features), merged.Units.Select(u => u.Features));
    }

    [Fact]
    public void AssignmentsAreBuiltPerUnitAndTimedAgainstBase()
    {
        var programs = SuiteProgram.Discover(Suite(), w => Assert.Fail(w));
        string file = _temp.File("assignments.json");
        File.WriteAllText(file, """
            { "schema": "compilerllm.variant-assignments/1",
              "methods": { "kernel-unrolled": { "demo": { "lib/kernel.c": "unroll" } },
                           "kernel-pgo": { "demo": { "lib/kernel.c": "pgo", "app/main.c": "unroll" } },
                           "same-build": { "demo": { "lib/kernel.c": "unroll", "app/main.c": "base" } },
                           "other-program": { "absent": { "x.c": "unroll" } } } }
            """);
        var log = new List<string>();
        var results = Harness(log).MeasureAssignments(programs, AssignmentFile.Read(file), _temp.File("results.json"));
        var p = Assert.Single(results.Programs);
        Assert.Equal(["kernel-pgo", "kernel-unrolled", "same-build"], p.Methods.Keys.Order());
        Assert.All(p.Methods.Values, m => Assert.Equal(3, m.LogRatios.Count));
        // The same build under two names is one program: timed once, the same measurement for both.
        Assert.Same(p.Methods["kernel-unrolled"], p.Methods["same-build"]);
        Assert.NotEqual(p.Methods["kernel-unrolled"].LogRatios, p.Methods["kernel-pgo"].LogRatios);
        Assert.Contains(log, l => l.Contains("same-build = kernel-unrolled", StringComparison.Ordinal));
        Assert.Equal(AssignmentResults.SchemaName, AssignmentResults.TryRead(_temp.File("results.json"))!.Schema);
    }

    [Fact]
    public void AProgramWhoseBaseDoesNotGiveTheExpectedOutputIsLeftOut()
    {
        var programs = SuiteProgram.Discover(Suite(expected: "not what it prints\n"), w => Assert.Fail(w));
        var log = new List<string>();
        var dataset = Harness(log).Measure(programs, _temp.File("bad.json"));
        Assert.Empty(dataset.Programs);
        Assert.Contains(log, l => l.Contains("base fails its check: standard output differs", StringComparison.Ordinal));
    }
}
