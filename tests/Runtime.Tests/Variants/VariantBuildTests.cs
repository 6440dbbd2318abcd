using CompilerLLM.Analysis;
using CompilerLLM.Pipeline;
using CompilerLLM.Tests.Policy;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Tests.Variants;

/// <summary>Profiles made the way GCC makes them, and units compiled with the variant a policy chooses (real gcc, real ONNX Runtime).</summary>
public sealed class VariantBuildTests : IDisposable
{
    private const string Kernel = """
        int kernel(const int *a, int n)
        {
            int s = 0;
            for (int i = 0; i < n; i++) { if (a[i] & 1) s += a[i] * 3; else if (a[i] % 7 == 0) s -= a[i]; else s ^= a[i]; }
            return s;
        }
        """;

    private const string Main = """
        #include <stdio.h>
        int kernel(const int *a, int n);
        int never_called(int x) { return x * 5; }
        int main(void)
        {
            static int a[4096];
            for (int i = 0; i < 4096; i++) a[i] = (i * 2654435761u) >> 7;
            long t = 0;
            for (int r = 0; r < 50; r++) t += kernel(a, 4096);
            printf("%ld\n", t);
            return 0;
        }
        """;

    private readonly TempDirectory _temp = new("compilerllm-variant-tests-");
    private readonly UnitBuilder _builder;

    public VariantBuildTests()
    {
        File.WriteAllText(_temp.File("kernel.c"), Kernel);
        File.WriteAllText(_temp.File("main.c"), Main);
        Directory.CreateDirectory(_temp.File("obj"));
        _builder = new UnitBuilder(new Gcc(ToolchainOptions.Default, _temp.Path));
    }

    public void Dispose() => _temp.Dispose();

    private TranslationUnit[] Units() =>
        [new("kernel.c", ["-O2"], UnitFiles.At(_temp.File("obj/kernel"))), new("main.c", ["-O2"], UnitFiles.At(_temp.File("obj/main")))];

    private ProfileOutcome Profile(TranslationUnit[] units) =>
        new ProfileBuilder(new Gcc(ToolchainOptions.Default, _temp.Path)).Build(units, NativeOutputKind.Application, _temp.File("bin/prog"), [],
            "bin/prog > /dev/null", _temp.Path, TimeSpan.FromMinutes(1), _temp.File("obj/profile-data"));

    /// <summary>A variant policy that prefers one variant over every other, whatever the unit.</summary>
    private string PolicyPreferring(string variant, float margin = 0, bool? requiresProfile = null)
    {
        var w = new float[VariantFeatures.Width];
        w[VariantFeatures.UnitWidth + VariantFeatures.Variants.ToList().FindIndex(v => v.Name == variant)] = 1;
        string path = _temp.File($"prefer-{variant}-{requiresProfile}.onnx");
        var extra = requiresProfile is { } r ? new Dictionary<string, string> { [VariantPolicy.RequiresProfileKey] = r ? "true" : "false" } : null;
        File.WriteAllBytes(path, RewritePolicyTests.LinearPolicy(w, 0, VariantPolicy.Contract.Metadata(margin, extra)));
        return path;
    }

    [Theory]
    [InlineData(null, "unroll")]   // a model without the key chooses for every unit
    [InlineData(false, "unroll")]
    [InlineData(true, "base")]     // a model that requires a profile leaves a unit without one on its flags
    public void A_model_that_requires_a_profile_chooses_only_for_units_with_one(bool? requiresProfile, string expected)
    {
        var units = Units();
        foreach (var u in units) Assert.True(_builder.Compile(u).Succeeded);
        using var policy = VariantPolicy.Load(PolicyPreferring("unroll", requiresProfile: requiresProfile));
        Assert.Equal(requiresProfile == true, policy.RequiresProfile);
        var decision = _builder.ChooseVariant(units[0], new VariantOptions(VariantObjective.Speed, policy, null));
        Assert.Equal(expected, decision.Variant);
        if (requiresProfile == true) Assert.Contains("no profile data", decision.Note);

        // With a profile the same model chooses.
        var profile = Profile(units).Profile!;
        foreach (var u in units) Assert.True(_builder.Compile(u).Succeeded);
        Assert.Equal("unroll", _builder.ChooseVariant(units[0], new VariantOptions(VariantObjective.Speed, policy, profile)).Variant);
    }

    [Fact]
    public void The_workload_leaves_a_profile_for_every_unit_it_ran()
    {
        var units = Units();
        var outcome = Profile(units);
        Assert.Null(outcome.Failure);
        Assert.True(2 == outcome.UnitsWithData, string.Join("\n", Directory.GetFiles(_temp.File("obj/profile-data"), "*", SearchOption.AllDirectories))
            + "\nlooking for " + GcovData.FileFor(outcome.Profile!.Directory, ProfileSet.InstrumentedObjectOf(units[1].Files.Asm)));
        var kernel = outcome.Profile!.DataFor(units[0].Files.Asm)!.Summarize();
        var main = outcome.Profile.DataFor(units[1].Files.Asm)!.Summarize();
        Assert.Equal(1u, kernel.Runs);
        Assert.Equal(1.0, kernel.Coverage);
        Assert.True(main.Coverage < 1.0 && main.ExecutedFunctions >= 1); // main ran, never_called did not
        Assert.True(kernel.TotalCount >= 50 * 4096, $"{kernel.TotalCount}"); // the loop ran 50 × 4096 times
        Assert.True(kernel.MaxCount >= 50 * 4096 / 2, $"{kernel.MaxCount}"); // its hottest arc, about one half of the iterations
        Assert.Equal(2, main.Functions); // never_called's counters are all zero: GCC writes them as a negative length
        Assert.Equal(1, main.ExecutedFunctions);
        Assert.True(kernel.TotalCount > main.TotalCount);
        Assert.Equal(kernel.TotalCount + main.TotalCount, outcome.Profile.ProgramTotal);
    }

    [Fact]
    public void A_failing_workload_is_an_outcome_not_an_exception()
    {
        var units = Units();
        var outcome = new ProfileBuilder(new Gcc(ToolchainOptions.Default, _temp.Path)).Build(units, NativeOutputKind.Application, _temp.File("bin/prog"), [],
            "exit 3", _temp.Path, TimeSpan.FromMinutes(1), _temp.File("obj/profile-data"));
        Assert.Null(outcome.Profile);
        Assert.Contains("exited with code 3", outcome.Failure);
    }

    [Fact]
    public void The_policy_chooses_profile_use_and_the_unit_is_compiled_with_it()
    {
        var units = Units();
        var profile = Profile(units).Profile!;
        foreach (var u in units) Assert.True(_builder.Compile(u).Succeeded);
        using var policy = VariantPolicy.Load(PolicyPreferring("pgo"));
        var decision = _builder.ChooseVariant(units[0], new VariantOptions(VariantObjective.Speed, policy, profile));
        Assert.Equal("pgo", decision.Variant);
        Assert.NotNull(decision.Profile);
        Assert.True(File.Exists(units[0].Files.VariantObject));
        Assert.NotEqual(File.ReadAllText(units[0].Files.Asm), File.ReadAllText(units[0].Files.VariantAsm));
        var written = UnitBuilder.ReadDecision(units[0].Files)!;
        Assert.Equal(decision.Variant, written.Variant);
        Assert.Equal(decision.Score, written.Score);
        Assert.Equal(decision.Profile, written.Profile);

        // The optimizer starts from the variant; without rewrites our object is the variant's GCC object.
        var report = _builder.Optimize(units[0], new OptimizerOptions { Policy = PolicyKind.None }, variant: decision);
        Assert.Equal(File.ReadAllBytes(units[0].Files.VariantObject), File.ReadAllBytes(units[0].Files.OptimizedObject));
        Assert.Equal("pgo", report.Variant!.Variant);
    }

    [Fact]
    public void Without_a_profile_profile_variants_are_not_offered()
    {
        var units = Units();
        foreach (var u in units) Assert.True(_builder.Compile(u).Succeeded);
        using var policy = VariantPolicy.Load(PolicyPreferring("pgo"));
        var decision = _builder.ChooseVariant(units[0], new VariantOptions(VariantObjective.Speed, policy, null));
        Assert.NotEqual("pgo", decision.Variant);
        Assert.DoesNotContain("pgo", decision.Scores!.Keys);
        Assert.DoesNotContain("pgo-unroll", decision.Scores.Keys);
    }

    [Fact]
    public void A_stale_profile_leaves_the_unit_on_its_flags_with_a_note()
    {
        var units = Units();
        var profile = Profile(units).Profile!;
        // A new loop: the function's control flow no longer matches its profile data.
        File.WriteAllText(_temp.File("kernel.c"), Kernel.Replace("s ^= a[i];", "{ s ^= a[i]; for (int j = 0; j < (a[i] & 3); j++) s += j; }"));
        foreach (var u in units) Assert.True(_builder.Compile(u).Succeeded);
        using var policy = VariantPolicy.Load(PolicyPreferring("pgo"));
        var decision = _builder.ChooseVariant(units[0], new VariantOptions(VariantObjective.Speed, policy, profile));
        Assert.Equal("base", decision.Variant);
        Assert.Contains("pgo not used", decision.Note);
        Assert.Contains("coverage-mismatch", decision.Note);
    }

    [Fact]
    public void A_margin_keeps_base_unless_a_variant_clears_it()
    {
        var units = Units();
        foreach (var u in units) Assert.True(_builder.Compile(u).Succeeded);
        using var policy = VariantPolicy.Load(PolicyPreferring("unroll", margin: 2));
        var decision = _builder.ChooseVariant(units[0], new VariantOptions(VariantObjective.Speed, policy, null));
        Assert.Equal("base", decision.Variant);
        Assert.Equal(1f, decision.Scores!["unroll"]);
    }

    [Fact]
    public void Size_takes_the_smallest_code_of_the_size_variants_measured()
    {
        var units = Units();
        Assert.True(_builder.Compile(units[0]).Succeeded);
        var decision = _builder.ChooseVariant(units[0], new VariantOptions(VariantObjective.Size, null, null));
        var sizes = decision.TextBytes!;
        Assert.Equal(["base", "os", "oz"], sizes.Keys.Order());
        Assert.Equal(sizes.Values.Min(), sizes[decision.Variant]);
        Assert.True(sizes[decision.Variant] < sizes["base"]);
        Assert.Equal(sizes[decision.Variant], UnitBuilder.CodeBytes(units[0].Files.VariantObject));
    }
}
