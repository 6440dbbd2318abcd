using CompilerLLM.Lab.Corpus;
using CompilerLLM.Pipeline;
using CompilerLLM.Tests.Policy;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;
using Xunit.Abstractions;

namespace CompilerLLM.Tests.Variants;

/// <summary>
/// Differential testing of every variant through the engine's own per-unit pipeline: csmith programs (fixed seeds)
/// compiled at -O3, the variant chosen (a model that prefers it; profile variants with a profile made by running the
/// program), compiled, optimized with every rewrite, linked and run; the program must behave exactly like GCC's -O3
/// build. COMPILERLLM_VARIANT_DIFF_SEEDS raises the seed count.
/// </summary>
public sealed class VariantDifferentialTests(ITestOutputHelper output)
{
    private static int SeedCount => int.TryParse(Environment.GetEnvironmentVariable("COMPILERLLM_VARIANT_DIFF_SEEDS"), out int n) ? n : 6;

    public static TheoryData<string> Variants() => [.. VariantTable.For(VariantObjective.Speed).Where(v => v != VariantTable.Base).Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_behaves_like_gcc_O3(string variant)
    {
        var corpus = new CorpusBuilder(Path.Combine(CompilerLLM.Lab.Repository.DefaultCacheDirectory(AppContext.BaseDirectory), "diff-corpus"));
        using var temp = new TempDirectory("compilerllm-variant-diff-");
        string model = temp.File("model.onnx");
        var w = new float[VariantFeatures.Width];
        w[VariantFeatures.UnitWidth + VariantFeatures.Variants.ToList().FindIndex(v => v.Name == variant)] = 1;
        File.WriteAllBytes(model, RewritePolicyTests.LinearPolicy(w, 0, VariantPolicy.Contract.Metadata()));
        using var policy = VariantPolicy.Load(model);

        var seeds = Enumerable.Range(2000, SeedCount).ToArray();
        var results = new (string? Failure, bool Skipped, bool Chosen, int Applied)[seeds.Length];
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            results[i] = Check(corpus, seeds[i], policy, temp.File($"s{seeds[i]}")));
        var failures = results.Where(r => r.Failure is not null).Select(r => r.Failure).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var ran = results.Where(r => !r.Skipped).ToList();
        output.WriteLine($"{variant}: {ran.Count} programs ran like gcc -O3, variant used in {ran.Count(r => r.Chosen)}, {ran.Sum(r => r.Applied)} rewrites");
        Assert.True(ran.Count >= seeds.Length / 2, "too many programs skipped");
        Assert.True(ran.All(r => r.Chosen), "the variant was not used for every program");
    }

    private static (string? Failure, bool Skipped, bool Chosen, int Applied) Check(CorpusBuilder corpus, int seed, VariantPolicy policy, string dir)
    {
        Directory.CreateDirectory(dir);
        string source = corpus.Csmith(seed);
        var gcc = new Gcc(ToolchainOptions.Default, dir);
        string[] args = ["-O3", "-w", "-I" + CorpusBuilder.CsmithIncludeDirectory];
        var unit = new TranslationUnit(source, args, UnitFiles.At(Path.Combine(dir, "unit")));
        string baseExe = Path.Combine(dir, "base"), ourExe = Path.Combine(dir, "ours");
        if (!gcc.Link(NativeOutputKind.Application, [source], baseExe, [.. args, "-lm"]).Succeeded) return ($"seed {seed}: gcc -O3 does not build", false, false, 0);
        var baseline = UserProgram.Run(baseExe, timeout: TimeSpan.FromSeconds(4));
        if (baseline.TimedOut) return (null, true, false, 0);

        var builder = new UnitBuilder(gcc);
        if (!builder.Compile(unit, writeDependencies: false).Succeeded) return ($"seed {seed}: the unit does not compile", false, false, 0);
        // A profile from running the program itself (every variant gets one: only the profile variants use it).
        var made = new ProfileBuilder(gcc).Build([unit], NativeOutputKind.Application, Path.Combine(dir, "instrumented"), ["-lm"],
            Path.Combine(dir, "instrumented") + " > /dev/null", dir, TimeSpan.FromSeconds(20), Path.Combine(dir, "profile-data"));
        var profile = made.Profile;
        var decision = builder.ChooseVariant(unit, new VariantOptions(VariantObjective.Speed, policy, profile));
        var report = builder.Optimize(unit, new OptimizerOptions { Policy = PolicyKind.All }, variant: decision);
        if (!gcc.Link(NativeOutputKind.Application, [unit.Files.OptimizedObject], ourExe, ["-lm"]).Succeeded)
            return ($"seed {seed}: ours does not link", false, false, 0);
        var ours = UserProgram.Run(ourExe, timeout: TimeSpan.FromSeconds(20));
        if (!ours.SameBehaviourAs(baseline))
            return ($"seed {seed} {decision.Variant}: MISCOMPILE ({report.Applied} rewrites): expected exit {baseline.ExitCode} '{baseline.StandardOutput.Trim()}', "
                + $"got exit {ours.ExitCode} '{ours.StandardOutput.Trim()}'", false, false, 0);
        return (null, false, !decision.IsBase, report.Applied);
    }
}
