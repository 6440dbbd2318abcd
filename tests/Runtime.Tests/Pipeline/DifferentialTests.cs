using CompilerLLM.Assembly;
using CompilerLLM.Lab.Corpus;
using CompilerLLM.Lab.Measurement;
using CompilerLLM.Pipeline;
using CompilerLLM.Tests.TestSupport;
using Xunit.Abstractions;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Pipeline;

/// <summary>
/// Differential testing of the whole optimizer: csmith programs (fixed seeds) compiled by GCC,
/// optimized with the apply-everything policy, assembled, linked and run; the optimized program must
/// behave exactly like GCC's (exit code and output). COMPILERLLM_DIFF_SEEDS raises the seed count.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private static int SeedCount => int.TryParse(Environment.GetEnvironmentVariable("COMPILERLLM_DIFF_SEEDS"), out int n) ? n : 40;

    public static TheoryData<string> FlagSets() => new() { "O0", "O2", "O3", "O3-v3" };

    [Theory]
    [MemberData(nameof(FlagSets))]
    public void OptimizedCsmithProgramsBehaveLikeGcc(string flagSet)
    {
        var flags = TestCorpus.FlagSet(flagSet);
        if (flags.Flags.Contains("x86-64-v3") && !CpuHasAvx2()) return;
        var builder = new CorpusBuilder(Path.Combine(CompilerLLM.Lab.Repository.DefaultCacheDirectory(AppContext.BaseDirectory), "diff-corpus"));
        var seeds = Enumerable.Range(1000, SeedCount).ToArray();
        var results = new (int Applied, string? Failure, bool Skipped)[seeds.Length];
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            results[i] = Check(builder, seeds[i], flags));

        var failures = results.Where(r => r.Failure is not null).Select(r => r.Failure).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var ran = results.Where(r => !r.Skipped).ToList();
        int withRewrites = ran.Count(r => r.Applied > 0);
        output.WriteLine($"{flagSet}: {ran.Count} programs ran identically ({results.Count(r => r.Skipped)} skipped: baseline timed out), " +
            $"{ran.Sum(r => r.Applied)} rewrites, {withRewrites} programs with at least one");
        Assert.True(ran.Count >= seeds.Length * 3 / 4, "too many programs skipped");
        Assert.True(withRewrites * 2 > ran.Count, $"only {withRewrites} of {ran.Count} programs had a rewrite applied");
    }

    private static (int Applied, string? Failure, bool Skipped) Check(CorpusBuilder builder, int seed, GccFlagSet flags)
    {
        string asm = builder.Assembly(builder.Csmith(seed), flags);
        using var temp = new TempDirectory("compilerllm-diff-");
        var file = AsmReader.ReadFile(asm);
        var result = Optimizer.Optimize(file, new OptimizerOptions { Policy = PolicyKind.All });
        string optimized = temp.File("opt.s");
        File.WriteAllText(optimized, result.Text);

        string baseExe = temp.File("base"), optExe = temp.File("opt");
        var linkFlags = new[] { "-lm" };
        var gcc = new Gcc(ToolchainOptions.Default);
        if (gcc.Link(NativeOutputKind.Application, [asm], baseExe, linkFlags) is { Succeeded: false } e1)
            return (0, $"seed {seed} {flags.Name}: baseline does not link: {e1.StandardError.Trim()}", false);
        if (gcc.Link(NativeOutputKind.Application, [optimized], optExe, linkFlags) is { Succeeded: false } e2)
            return (0, $"seed {seed} {flags.Name}: optimized does not link: {e2.StandardError.Trim()}", false);
        var baseline = UserProgram.Run(baseExe, timeout: TimeSpan.FromSeconds(4));
        if (baseline.TimedOut) return (0, null, true);
        var ours = UserProgram.Run(optExe, timeout: TimeSpan.FromSeconds(20));
        if (!ours.SameBehaviourAs(baseline))
        {
            return (result.Report.Applied, $"seed {seed} {flags.Name}: MISCOMPILE ({result.Report.Applied} rewrites): expected exit {baseline.ExitCode} '{baseline.StandardOutput.Trim()}', " +
                $"got exit {ours.ExitCode}{(ours.TimedOut ? " (timed out)" : "")} '{ours.StandardOutput.Trim()}'", false);
        }
        return (result.Report.Applied, null, false);
    }

    private static bool CpuHasAvx2() =>
        File.Exists("/proc/cpuinfo") && File.ReadAllText("/proc/cpuinfo").Contains(" avx2", StringComparison.Ordinal);
}
