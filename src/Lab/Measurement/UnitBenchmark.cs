using System.Diagnostics;
using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Lab.Measurement;

/// <summary>One run of the per-unit entry point: its wall time, CPU (ours and the tools'), the outcome and where the time went.</summary>
public sealed record UnitRun(TimeSpan Wall, ResourceUsage Own, ResourceUsage Tools, UnitReport Report, IReadOnlyList<PhaseTime> Phases);

/// <summary>
/// What <see cref="UnitBenchmark"/> measured: each run, the process's peak resident set (runtime start included), the
/// process's CPU in all (what <c>/usr/bin/time</c> would show for a one-run bench), and the unit's size. (The kernel's
/// peak for child processes is no use here: a child forked from this process starts with its resident set.)
/// </summary>
public sealed record UnitBenchmarkResult(
    IReadOnlyList<UnitRun> Runs,
    long PeakRssKilobytes,
    TimeSpan ProcessCpu,
    int Lines,
    int InstructionLines,
    int ModelledInstructions);

/// <summary>
/// Runs the engine's per-unit entry point (<see cref="UnitBuilder.Optimize(TranslationUnit, Func{OptimizerOptions}, UnitCache?, CompilerLLM.Variants.VariantDecision?)"/>,
/// as the launcher and the MSBuild tasks do, without a cache) on one assembly file, as if GCC had just written it: GCC's
/// object is assembled by the entry point, the policy is loaded inside the timed run. The first run includes the
/// JIT's work, as each launcher process does; later runs show the steady state of a long-lived MSBuild node.
/// </summary>
public static class UnitBenchmark
{
    public static UnitBenchmarkResult Run(string assemblyFile, PolicyRequest policy, IReadOnlyList<string> arguments, int runs, Action<string>? progress = null)
    {
        var results = new List<UnitRun>(runs);
        PhaseTimings.Collecting = true;
        using (var temp = new TempDirectory("compilerllm-bench-"))
        {
            var builder = new UnitBuilder(new Gcc(ToolchainOptions.Default, Environment.CurrentDirectory));
            for (int r = 0; r < runs; r++)
            {
                string dir = Path.Combine(temp.Path, $"run{r}");
                Directory.CreateDirectory(dir);
                var unit = new TranslationUnit(Path.GetFullPath(assemblyFile), arguments, UnitFiles.At(Path.Combine(dir, "unit")));
                File.Copy(assemblyFile, unit.Files.Asm);
                PhaseTimings.Reset();
                LoadedPolicy? loaded = null;
                var own = ResourceUsage.Self();
                var tools = ResourceUsage.Children();
                var clock = Stopwatch.StartNew();
                UnitReport report;
                try
                {
                    report = builder.Optimize(unit, () => (loaded = policy.Load()).ToOptions(), null);
                }
                finally
                {
                    clock.Stop();
                }
                var run = new UnitRun(clock.Elapsed, ResourceUsage.Self() - own, ResourceUsage.Children() - tools, report, PhaseTimings.Snapshot());
                loaded?.Dispose();
                results.Add(run);
                progress?.Invoke($"run {r + 1}: {run.Wall.TotalSeconds:F3} s wall, {run.Own.Cpu.TotalSeconds + run.Tools.Cpu.TotalSeconds:F3} s CPU, {report.StatusText}");
            }
        }
        long peak = ResourceUsage.PeakRssKilobytes();
        var total = ResourceUsage.Self().Cpu + ResourceUsage.Children().Cpu;
        PhaseTimings.Collecting = false;
        // Counted after the runs, so that the model read here does not raise the peak measured above.
        var file = AsmReader.ReadFile(assemblyFile);
        int instructionLines = file.Lines.Count(l => l.Kind == LineKind.Instruction || (l.Kind == LineKind.Verbatim && l.Section >= 0 && file.Sections[l.Section].IsExecutable));
        return new UnitBenchmarkResult(results, peak, total, file.Lines.Length, instructionLines, file.Instructions.Length);
    }
}
