using System.Text.Json;
using CompilerLLM.Pipeline;
using CompilerLLM.Variants;

namespace CompilerLLM.Build.EndToEnd.Tests;

/// <summary>
/// Tune mode of the packed package, on a two-unit program whose kernel loop takes a few tens of milliseconds: what can
/// fail mechanically. The profile of the test command makes the kernel the one hot unit (main's share of the work is
/// below what could clear the margin), so only the kernel is tuned. Tune mode measures (records with intervals), keeps
/// the zero-shot variants when nothing clears the margin,
/// rejects a deliberately slow candidate and takes a deliberately fast one (both injected through the test-only
/// CompilerLlmTuneTestVariant), reuses cached decisions without running the benchmark, and lets the test command veto a
/// candidate that is faster because it is wrong. No test asserts a speedup of the real variant table.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class TuneTests(PackageFixture fixture)
{
    private const string Items = """<ClCompile Include="src/*.c" AdditionalIncludeDirectories="include" PreprocessorDefinitions="ROUNDS=6000" />""";

    private const string Kernel = "src/kernel.c", Main = "src/main.c";

    /// <summary>
    /// The optimizer and tune mode on, a variant model preferring unroll, the profile from the test command, 3 rounds,
    /// and a benchmark script that logs each run to bench.log before running the program.
    /// </summary>
    private TestProject NewProgram(string name, string extra)
    {
        var p = new TestProject(fixture, name);
        // The loop is bound by how many instructions it runs, not by one dependence chain: with the running sum's
        // chain alone (an earlier kernel), a CPU that renames memory runs -O0 as fast as -O2, and the injected slow and
        // fast candidates did not differ on such a machine.
        p.Write("include/kernel.h", "unsigned long kernel(unsigned rounds);\n");
        p.Write("src/kernel.c", """
            #include "kernel.h"
            unsigned long kernel(unsigned rounds)
            {
            #ifdef TUNE_BROKEN
                return 42; /* skips the work: faster, and wrong */
            #endif
                unsigned long s = 0;
                for (unsigned r = 0; r < rounds; r++)
                    for (unsigned i = 0; i < 16384; i++) s += ((i * 2654435761u) ^ (r + i)) >> (i & 3);
                return s;
            }
            """);
        p.Write("src/main.c", """
            #include <stdio.h>
            #include "kernel.h"
            int main(void)
            {
                unsigned long s = kernel(ROUNDS);
                printf("%lu\n", s);
                return 0;
            }
            """);
        p.Write("bench.sh", "echo run >> bench.log\n\"$1\" > /dev/null\n");
        p.WriteProject($"""
            <CompilerLlmOptimize>true</CompilerLlmOptimize>
            <CompilerLlmTestCommand>$(NativeOutputPath)</CompilerLlmTestCommand>
            <CompilerLlmVariants>prefer-unroll.onnx</CompilerLlmVariants>
            <CompilerLlmCacheDirectory>cache</CompilerLlmCacheDirectory>
            <CompilerLlmTune>true</CompilerLlmTune>
            <CompilerLlmBenchmarkCommand>sh bench.sh $(NativeOutputPath)</CompilerLlmBenchmarkCommand>
            <CompilerLlmTuneRounds>3</CompilerLlmTuneRounds>
            {extra}
            """, Items);
        VariantTests.ModelPreferring(p, "unroll");
        return p;
    }

    private static int BenchmarkRuns(TestProject p)
    {
        string log = Path.Combine(p.Directory, "bench.log");
        return File.Exists(log) ? File.ReadAllLines(log).Length : 0;
    }

    private static IReadOnlyList<TuneRecord> Records(TestProject p) => TuneRecord.ReadAll(Path.Combine(p.IntermediateDirectory(), "tune-records"));

    private static VariantDecision Decision(TestProject p, string unit) =>
        JsonSerializer.Deserialize<VariantDecision>(File.ReadAllText(Path.Combine(p.IntermediateDirectory(), Path.ChangeExtension(unit, ".variant.json"))),
            UnitReport.Json)!;

    private static string Output(TestProject p) => p.RunSucceeding(p.NativeOutput()).StandardOutput;

    [Fact]
    public void Tune_mode_measures_the_hot_unit_rejects_a_slow_candidate_and_the_next_build_takes_its_decision_from_the_cache()
    {
        var p = NewProgram("tune-slow", "<CompilerLlmTuneTestVariant>slow=-O0</CompilerLlmTuneTestVariant>");
        var first = p.BuildSucceeding("-c", "Release");
        Assert.Contains("CLLM2013", first.WarningCodes); // the test-only seam always warns
        Assert.True(first.Ran("CompilerLlmTune"));
        Assert.Contains(first.Lines("CLLM5009"), l => l.Contains("Tune: 1 file(s) tuned (0 decision(s) from the tune cache)"));
        int runs = BenchmarkRuns(p);
        Assert.True(runs > 0);

        // The hot unit's candidates were measured: the policy's two best alternatives to unroll (every other variant scores
        // alike, so align32 and base by name) and the injected -O0; each timed one carries a median and an interval.
        var records = Records(p);
        Assert.All(records, r => Assert.Equal(Kernel, r.Unit));
        Assert.Equal(["align32", "base", "slow"], records.Select(r => r.Variant).Order(StringComparer.Ordinal));
        Assert.All(records, r => Assert.Equal("unroll", r.Current));
        Assert.All(records, r => Assert.Equal(VariantFeatures.UnitWidth, r.Features.Count));
        Assert.All(records, r => Assert.True(r.ProfileShare > 0.5, $"kernel's share {r.ProfileShare}"));
        foreach (var r in records.Where(r => r.Rounds > 0))
        {
            Assert.Equal(3, r.Rounds);
            Assert.True(r.Low <= r.Ratio && r.Ratio <= r.High, $"{r.Variant}: {r.Ratio} not in [{r.Low}, {r.High}]");
            Assert.Equal(3, r.LogRatios.Count);
        }
        // -O0 of the kernel loop is several times slower: measured so, and not taken.
        var slow = records.Single(r => r.Variant == "slow");
        Assert.Equal(TuneVerdict.Slower, slow.Verdict);
        Assert.True(slow.High < 1, $"-O0 measured {slow.Ratio} [{slow.Low}, {slow.High}]");
        Assert.False(slow.Taken);
        var kernel = Decision(p, Kernel);
        Assert.NotEqual("slow", kernel.Variant);
        Assert.Equal("unroll", kernel.Tuning!.ZeroShot);
        Assert.Null(Decision(p, Main).Tuning); // not hot: never measured
        string summary = Assert.Single(first.Lines("CLLM5001"));
        Assert.Contains("test replay: identical", summary);
        Assert.Contains("tune: 1 TU(s) measured", summary);
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(p.IntermediateDirectory(), "report.json"))))
        {
            var unit = report.RootElement.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("source").GetString() == Kernel);
            var measured = unit.GetProperty("variant").GetProperty("tuning").GetProperty("measured").EnumerateArray().ToList();
            Assert.Contains(measured, m => m.GetProperty("variant").GetString() == "slow" && m.GetProperty("verdict").GetString() == "slower"
                && m.GetProperty("high").GetDouble() < 1);
        }
        Assert.Contains("Tune mode", File.ReadAllText(Path.Combine(p.IntermediateDirectory(), "report.html")));
        string output = Output(p);

        // Nothing changed: the target is skipped.
        var second = p.BuildSucceeding("-c", "Release");
        Assert.True(second.Skipped("CompilerLlmTune"));
        Assert.Equal(runs, BenchmarkRuns(p));

        // A clean rebuild: the same program, so the decision comes from the cache and the benchmark never runs.
        Directory.Delete(Path.Combine(p.Directory, "obj"), recursive: true);
        var third = p.BuildSucceeding("-c", "Release");
        Assert.True(third.Ran("CompilerLlmTune"));
        Assert.Contains(third.Lines("CLLM5009"), l => l.Contains("Tune: 1 file(s) tuned (1 decision(s) from the tune cache)") && l.Contains(" 0 benchmark run(s)"));
        Assert.Equal(runs, BenchmarkRuns(p));
        Assert.Empty(Records(p)); // nothing new was measured (the records directory was under obj/)
        Assert.Equal(kernel.Variant, Decision(p, Kernel).Variant);
        Assert.True(Decision(p, Kernel).Tuning!.FromCache);
        Assert.Equal(output, Output(p));
    }

    [Fact]
    public void When_nothing_clears_the_margin_every_unit_keeps_its_zero_shot_variant()
    {
        // No alternative of the table (alignment, no unrolling) moves this program by half: with a 50% margin nothing clears.
        var p = NewProgram("tune-margin", "<CompilerLlmTuneMargin>0.5</CompilerLlmTuneMargin>");
        var build = p.BuildSucceeding("-c", "Release");
        Assert.Empty(build.Lines("CLLM5008"));
        Assert.Contains(build.Lines("CLLM5009"), l => l.Contains("1 file(s) tuned") && l.Contains(", 0 changed variant"));
        var records = Records(p);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(0.5, r.Margin));
        Assert.All(records, r => Assert.False(r.Taken));
        Assert.All(records, r => Assert.NotEqual(TuneVerdict.Faster, r.Verdict));
        var d = Decision(p, Kernel);
        Assert.Equal("unroll", d.Variant);
        Assert.Null(d.MeasuredSpeedup);
        Assert.Equal("unroll", d.Tuning!.ZeroShot);
        string summary = Assert.Single(build.Lines("CLLM5001"));
        Assert.Contains("variants: 2 unroll", summary);
        Assert.Contains("tune: 1 TU(s) measured, 0 changed", summary);
    }

    [Fact]
    public void A_candidate_that_clears_the_margin_is_taken_and_the_optimizer_starts_from_it()
    {
        // The project compiles at -O0; the injected candidate adds -O2 (after the project's flags, so it wins): the kernel
        // loop runs several times faster.
        var p = NewProgram("tune-fast", "<CompilerLlmCFlags>-O0</CompilerLlmCFlags><CompilerLlmTuneTestVariant>fast=-O2</CompilerLlmTuneTestVariant>");
        var build = p.BuildSucceeding("-c", "Release");
        var taken = Assert.Single(build.Lines("CLLM5008"));
        Assert.Contains("src/kernel.c: tune mode takes variant fast over unroll", taken);
        var d = Decision(p, Kernel);
        Assert.Equal("fast", d.Variant);
        Assert.Equal("unroll", d.Tuning!.ZeroShot);
        Assert.True(d.MeasuredLow > 1.02, $"measured {d.MeasuredSpeedup} [{d.MeasuredLow}, {d.MeasuredHigh}]");
        var record = Records(p).Single(r => r.Variant == "fast");
        Assert.True(record.Taken);
        Assert.Equal(["-O2"], record.Flags);
        // The optimizer starts from the tuned variant's assembly: GCC's code for the project's flags followed by -O2.
        string obj = p.IntermediateDirectory();
        var o2 = Path.Combine(p.Directory, "o2.s");
        p.RunSucceeding("gcc", ["-S", "-O0", "-DROUNDS=6000", "-Iinclude", "-O2", Kernel, "-o", o2]);
        Assert.Equal(File.ReadAllText(o2), File.ReadAllText(Path.Combine(obj, "src", "kernel.var.s")));
        string summary = Assert.Single(build.Lines("CLLM5001"));
        Assert.Contains("test replay: identical", summary);
        Assert.Contains("variants: 1 fast, 1 unroll", summary);
        Assert.Contains("tuned from unroll: measured", File.ReadAllText(Path.Combine(obj, "report.html")));

        // Tune mode off: every unit chooses zero-shot again and the optimizer starts from that choice again.
        var off = p.BuildSucceeding("-c", "Release", "-p:CompilerLlmTune=false");
        Assert.False(off.Ran("CompilerLlmTune"));
        Assert.Equal("unroll", Decision(p, Kernel).Variant);
        Assert.Null(Decision(p, Kernel).Tuning);
        string offSummary = Assert.Single(off.Lines("CLLM5001"));
        Assert.Contains("variants: 2 unroll", offSummary);
        Assert.DoesNotContain("tune:", offSummary);
    }

    [Fact]
    public void The_test_command_vetoes_a_candidate_that_is_faster_because_it_is_wrong()
    {
        var p = NewProgram("tune-gate", "<CompilerLlmTuneTestVariant>broken=-DTUNE_BROKEN</CompilerLlmTuneTestVariant>");
        var build = p.BuildSucceeding("-c", "Release");
        var veto = Assert.Single(build.Lines("CLLM4007"));
        Assert.Contains("src/kernel.c: variant broken was measured faster", veto);
        var record = Records(p).Single(r => r.Variant == "broken");
        Assert.Equal(TuneVerdict.TestDiffers, record.Verdict);
        Assert.False(record.Taken);
        Assert.True(record.Low > 1.02, $"measured {record.Ratio} [{record.Low}, {record.High}]");
        Assert.Equal("unroll", Decision(p, Kernel).Variant);
        Assert.Equal(TuneVerdict.TestDiffers, Decision(p, Kernel).Tuning!.Measured.Single(m => m.Variant == "broken").Verdict);
        string summary = Assert.Single(build.Lines("CLLM5001"));
        Assert.Contains("test replay: identical", summary);
        Assert.NotEqual("42\n", Output(p));
    }
}
