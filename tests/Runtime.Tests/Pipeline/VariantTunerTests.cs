using CompilerLLM.Caching;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Tests.Pipeline;

/// <summary>
/// Tune mode's decisions with real GCC objects and a scripted timer in place of the clock: which candidates are timed,
/// what clears the margin, what the cache spares, and that the test command vetoes a wrong candidate.
/// </summary>
public sealed class VariantTunerTests : IDisposable
{
    private const string Kernel = """
        unsigned long kernel(unsigned rounds)
        {
        #ifdef WRONG
            return 42;
        #endif
            unsigned long s = 0;
            for (unsigned r = 0; r < rounds; r++)
                for (unsigned i = 0; i < 4096; i++) s += (i * 2654435761u) ^ (s >> 3);
            return s;
        }
        """;

    private const string Main = """
        #include <stdio.h>
        unsigned long kernel(unsigned rounds);
        int main(void) { printf("%lu\n", kernel(10)); return 0; }
        """;

    private readonly TempDirectory _temp = new("compilerllm-tuner-tests-");
    private readonly UnitBuilder _builder;

    public VariantTunerTests()
    {
        File.WriteAllText(_temp.File("kernel.c"), Kernel);
        File.WriteAllText(_temp.File("main.c"), Main);
        Directory.CreateDirectory(_temp.File("obj"));
        _builder = new UnitBuilder(new Gcc(ToolchainOptions.Default, _temp.Path));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Answers every comparison from a table keyed by the candidate's changed object (its file name, e.g.
    /// <c>kernel.tune.align32.o</c>), and counts what it was asked.
    /// </summary>
    private sealed class ScriptedTimer(Func<string, (double Ratio, double Low, double High)> script) : IAssignmentTimer
    {
        public List<string> Timed { get; } = [];

        public int Runs { get; private set; }

        public string? Check(IReadOnlyList<string> objects)
        {
            Runs++;
            return null;
        }

        public IReadOnlyList<TimedComparison> Compare(IReadOnlyList<string> current, IReadOnlyList<IReadOnlyList<string>> candidates) =>
            [.. candidates.Select(c =>
            {
                string changed = Path.GetFileName(c.Where((o, i) => o != current[i]).Single());
                Timed.Add(changed);
                Runs += 5;
                var (ratio, low, high) = script(changed);
                return new TimedComparison(ratio, low, high, 5, [Math.Log(ratio)]);
            })];
    }

    /// <summary>Both units compiled at -O2 (GCC's assembly and object), each with a zero-shot decision for unroll that scores align32 and novec next.</summary>
    private TuneUnit[] Compiled()
    {
        var scores = new Dictionary<string, float> { ["base"] = 0, ["unroll"] = 1, ["align32"] = 0.5f, ["novec"] = 0.4f, ["ipa-pta"] = 0.1f };
        return [.. new[] { "kernel", "main" }.Select(name =>
        {
            var unit = new TranslationUnit(name + ".c", ["-O2"], UnitFiles.At(_temp.File("obj/" + name)));
            Assert.True(_builder.Compile(unit).Succeeded);
            return new TuneUnit(unit, new VariantDecision("unroll", 1, scores, null, null));
        })];
    }

    private TuneOptions Options(string? testCommand = null, double margin = 0.02) => new(
        "true", testCommand, 2, 5, margin, TuneOptions.DefaultMaxUnits, TimeSpan.FromSeconds(30), _temp.Path, _temp.File("bin/prog"),
        NativeOutputKind.Application, [], _temp.File("obj/tune"));

    private TuneCache Cache() => new(new ContentCache(_temp.File("cache"), 1L << 30), _temp.File("obj/cache-tmp"));

    [Fact]
    public void A_candidate_is_taken_only_when_its_whole_interval_clears_the_margin()
    {
        var units = Compiled();
        // kernel: align32 clears 2% (lower end 1.03); novec's median is above it but its interval is not. main: nothing clears.
        var timer = new ScriptedTimer(o => o switch
        {
            "kernel.tune.align32.o" => (1.05, 1.03, 1.07),
            "kernel.tune.novec.o" => (1.06, 1.01, 1.09),
            _ => (1.0, 0.98, 1.02),
        });
        var result = new VariantTuner(_builder, Options(), timer).Tune(units, null, "model x");

        // main has no loop: without vectorization its code is unroll's, byte for byte, so that one is not timed.
        Assert.Equal(["kernel.tune.align32.o", "kernel.tune.novec.o", "main.tune.align32.o"], timer.Timed.Order(StringComparer.Ordinal));
        Assert.Equal(TuneVerdict.Identical, result.Decisions[1].Tuning!.Measured.Single(m => m.Variant == "novec").Verdict);
        var kernel = result.Decisions[0];
        Assert.Equal("align32", kernel.Variant);
        Assert.Equal("unroll", kernel.Tuning!.ZeroShot);
        Assert.Equal((1.05, 1.03, 1.07), (kernel.MeasuredSpeedup!.Value, kernel.MeasuredLow!.Value, kernel.MeasuredHigh!.Value));
        Assert.Equal(TuneVerdict.NotClear, kernel.Tuning.Measured.Single(m => m.Variant == "novec").Verdict);
        Assert.Equal("unroll", result.Decisions[1].Variant);
        Assert.Null(result.Decisions[1].MeasuredSpeedup);
        // The optimizer starts from the taken variant: its assembly and object are the unit's variant files now.
        var files = units[0].Unit.Files;
        Assert.Equal(File.ReadAllBytes(files.TuneObject("align32")), File.ReadAllBytes(files.VariantObject));
        Assert.Equal(File.ReadAllText(files.TuneAsm("align32")), File.ReadAllText(files.VariantAsm));
        // One record per measured candidate, with the unit's features.
        Assert.Equal(4, result.Records.Count);
        Assert.All(result.Records, r => Assert.Equal(VariantFeatures.UnitWidth, r.Features.Count));
        Assert.Single(result.Records, r => r.Taken);
    }

    [Fact]
    public void A_candidate_whose_object_is_identical_is_not_timed()
    {
        var units = Compiled();
        // Warnings change no code: unroll's own flags plus a warning option give the current variant's object again.
        Assert.True(TuneCandidateInjection.TryParse("same=-funroll-loops -Wall", out var injection));
        var timer = new ScriptedTimer(_ => (1.0, 0.99, 1.01));
        var result = new VariantTuner(_builder, Options(), timer, injection: injection).Tune(units, null, "model x");
        Assert.DoesNotContain(timer.Timed, t => t.Contains("same"));
        Assert.All(result.Decisions, d => Assert.Equal(TuneVerdict.Identical, d.Tuning!.Measured.Single(m => m.Variant == "same").Verdict));
    }

    [Fact]
    public void The_same_program_takes_its_decisions_from_the_cache_and_a_changed_one_is_measured_again()
    {
        var units = Compiled();
        var timer = new ScriptedTimer(o => o == "kernel.tune.align32.o" ? (1.05, 1.03, 1.07) : (1.0, 0.98, 1.02));
        var first = new VariantTuner(_builder, Options("bin/prog"), timer, Cache()).Tune(units, null, "model x");
        int timed = timer.Timed.Count;
        Assert.Equal("align32", first.Decisions[0].Variant);
        Assert.Equal(2, first.Summary.TestRuns); // the changed assignment was gated: GCC's build and the tuned one

        var again = new ScriptedTimer(_ => throw new InvalidOperationException("nothing should be timed"));
        var second = new VariantTuner(_builder, Options("bin/prog"), again, Cache()).Tune(Compiled(), null, "model x");
        Assert.Equal(0, again.Runs);
        Assert.Equal(0, second.Summary.TestRuns); // gated when it was decided, on the same program and test command
        Assert.Empty(second.Records);
        Assert.Equal(first.Decisions.Select(d => d.Variant), second.Decisions.Select(d => d.Variant));
        Assert.All(second.Decisions, d => Assert.True(d.Tuning!.FromCache));
        Assert.Equal(2, second.Summary.FromCache);

        // Another model, or a change to any unit of the program: measured again.
        var other = new ScriptedTimer(_ => (1.0, 0.98, 1.02));
        new VariantTuner(_builder, Options("bin/prog"), other, Cache()).Tune(Compiled(), null, "model y");
        Assert.Equal(timed, other.Timed.Count);
        File.WriteAllText(_temp.File("main.c"), Main.Replace("kernel(10)", "kernel(11)"));
        var changed = new ScriptedTimer(_ => (1.0, 0.98, 1.02));
        new VariantTuner(_builder, Options("bin/prog"), changed, Cache()).Tune(Compiled(), null, "model x");
        Assert.Equal(timed, changed.Timed.Count); // the kernel's decision depends on the whole program
    }

    [Fact]
    public void The_test_command_sends_a_wrong_but_faster_unit_back_to_its_zero_shot_variant()
    {
        var units = Compiled();
        Assert.True(TuneCandidateInjection.TryParse("wrong=-DWRONG", out var injection));
        var timer = new ScriptedTimer(o => o == "kernel.tune.wrong.o" ? (3.0, 2.5, 3.5) : o == "main.tune.align32.o" ? (1.05, 1.03, 1.07) : (1.0, 0.98, 1.02));
        var result = new VariantTuner(_builder, Options("bin/prog"), timer, injection: injection).Tune(units, null, "model x");
        Assert.Equal(["kernel.c"], result.TestCulprits);
        Assert.Equal("unroll", result.Decisions[0].Variant);
        Assert.Equal(TuneVerdict.TestDiffers, result.Decisions[0].Tuning!.Measured.Single(m => m.Variant == "wrong").Verdict);
        Assert.Equal("align32", result.Decisions[1].Variant); // right and faster: kept
        Assert.True(result.Summary.TestRuns >= 3);
        Assert.False(File.Exists(_temp.File("bin/prog"))); // the slot gave back what stood there: nothing
    }

    [Theory]
    [InlineData("x=-O2", true)]
    [InlineData("slow=-O0 -fno-inline", true)]
    [InlineData("", true)]
    [InlineData("unroll=-O0", false)]
    [InlineData("=-O0", false)]
    [InlineData("name=", false)]
    [InlineData("bad name=-O0", false)]
    public void The_test_seam_takes_a_new_name_and_flags(string text, bool ok)
    {
        Assert.Equal(ok, TuneCandidateInjection.TryParse(text, out var injection));
        if (ok && text.Length > 0) Assert.Equal(text[..text.IndexOf('=')], injection!.Variant.Name);
    }
}
