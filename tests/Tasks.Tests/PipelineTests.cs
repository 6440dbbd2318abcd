using CompilerLLM.Pipeline;
using System.Text.Json;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CompilerLLM.Build.Tasks.Tests;

/// <summary>The tasks in process, in the order the targets run them, on a real three-TU C program with real gcc.</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly RecordingBuildEngine _engine = new();

    public PipelineTests()
    {
        _dir.Write("include/hash.h", "#include <stddef.h>\n#include <stdint.h>\nuint32_t fnv1a(const unsigned char *d, size_t n);\nint digits(unsigned v);\n");
        _dir.Write("src/hash.c", """
            #include "hash.h"
            uint32_t fnv1a(const unsigned char *d, size_t n)
            {
                uint32_t h = 2166136261u;
                for (size_t i = 0; i < n; i++) { h ^= d[i]; h *= 16777619u; }
                return h;
            }
            """);
        _dir.Write("src/digits.c", """
            #include "hash.h"
            int digits(unsigned v) { int n = 1; while (v >= 10) { v /= 10; n++; } return n; }
            """);
        _dir.Write("src/main.c", """
            #include <stdio.h>
            #include <string.h>
            #include "hash.h"
            int main(void)
            {
                const char *words[] = {"alpha", "beta", "gamma", "delta"};
                for (int i = 0; i < 4; i++)
                    printf("%s %08x %d\n", words[i], fnv1a((const unsigned char *)words[i], strlen(words[i])), digits(fnv1a((const unsigned char *)words[i], i)));
                return 0;
            }
            """);
    }

    public void Dispose() => _dir.Dispose();

    private ITaskItem[] Plan()
    {
        var sources = new[] { "src/main.c", "src/hash.c", "src/digits.c" }.Select(s =>
        {
            var item = new TaskItem(s);
            item.SetMetadata("AdditionalIncludeDirectories", "include");
            return (ITaskItem)item;
        }).ToArray();
        var plan = new PlanTranslationUnits
        {
            BuildEngine = _engine, Sources = sources, ProjectDirectory = _dir.Path, IntermediateDirectory = "obj",
            CompilerIdentity = "gcc", CFlags = "-O2", NativeOutputType = "Application",
        };
        Assert.True(plan.Execute(), _engine.AllText);
        return plan.TranslationUnits;
    }

    private CompileTranslationUnits Compile(ITaskItem[] units)
    {
        var task = new CompileTranslationUnits { BuildEngine = _engine, TranslationUnits = units, Compiler = "gcc", ProjectDirectory = _dir.Path };
        Assert.True(task.Execute(), _engine.AllText);
        return task;
    }

    private OptimizeAssembly Optimize(ITaskItem[] units, string? fault = null, bool smt = false)
    {
        var task = new OptimizeAssembly
        {
            BuildEngine = _engine, TranslationUnits = units, Compiler = "gcc", ProjectDirectory = _dir.Path,
            OptimizeStampFile = _dir.File("obj/optimize.stamp"), Policy = "all", FaultInjectionFunction = fault, ValidateWithSmt = smt,
        };
        Assert.True(task.Execute(), _engine.AllText);
        return task;
    }

    private LinkNative Link(ITaskItem[] units, bool optimize, string? test) => new()
    {
        BuildEngine = _engine, TranslationUnits = units, NativeOutputPath = _dir.File("bin/app"), NativeOutputType = "Application",
        Compiler = "gcc", Optimize = optimize, TestCommand = test, TestTimeout = "20", ProjectDirectory = _dir.Path,
        WorkDirectory = _dir.File("obj/link"), ReplayReportFile = _dir.File("obj/replay.json"),
    };

    private string Program() => Tools.Run(_dir.File("bin/app"), _dir.Path).StandardOutput;

    [Fact]
    public void Compile_is_per_unit_incremental_and_follows_headers()
    {
        var units = Plan();
        Assert.Equal(3, Compile(units).Compiled.Length);
        Assert.Empty(Compile(Plan()).Compiled);

        var digitsAsm = units.Single(u => u.ItemSpec == "src/digits.c").GetMetadata("AsmFile");
        var before = File.GetLastWriteTimeUtc(digitsAsm);
        File.SetLastWriteTimeUtc(_dir.File("src/main.c"), DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(["src/main.c"], Compile(Plan()).Compiled.Select(u => u.ItemSpec));

        File.SetLastWriteTimeUtc(_dir.File("include/hash.h"), DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(3, Compile(Plan()).Compiled.Length);
        // Recompiled to the same assembly: x.s keeps its timestamp, so the optimizer has nothing to redo.
        Assert.Equal(before, File.GetLastWriteTimeUtc(digitsAsm));
    }

    [Fact]
    public void Changing_a_flag_recompiles_through_the_stamp()
    {
        Compile(Plan());
        var plan = new PlanTranslationUnits
        {
            BuildEngine = _engine, Sources = [new TaskItem("src/digits.c", new Dictionary<string, string> { ["AdditionalIncludeDirectories"] = "include" })],
            ProjectDirectory = _dir.Path, IntermediateDirectory = "obj", CompilerIdentity = "gcc", CFlags = "-O1", NativeOutputType = "Application",
        };
        Assert.True(plan.Execute());
        string stamp = plan.TranslationUnits.Single().GetMetadata("CompileStampFile");
        Assert.Contains("-O1", File.ReadAllText(stamp));
        // File times are coarse (a kernel tick): make the rewritten stamp visibly newer than the last compile.
        File.SetLastWriteTimeUtc(stamp, DateTime.UtcNow.AddSeconds(2));
        Assert.Single(Compile(plan.TranslationUnits).Compiled);
    }

    [Fact]
    public void Optimize_writes_optimized_files_and_reports_and_is_incremental()
    {
        var units = Plan();
        Compile(units);
        Assert.Equal(3, Optimize(units).Optimized.Length);
        foreach (var u in units)
        {
            Assert.True(File.Exists(u.GetMetadata("OptimizedObjectFile")));
            var report = JsonSerializer.Deserialize<UnitReport>(File.ReadAllText(u.GetMetadata("ReportFile")), UnitReport.Json)!;
            Assert.Equal(u.ItemSpec, report.Source);
            Assert.NotEqual(UnitStatus.FellBack, report.Status);
        }
        Assert.Contains(units, u => JsonSerializer.Deserialize<UnitReport>(File.ReadAllText(u.GetMetadata("ReportFile")), UnitReport.Json)!.Applied > 0);
        Assert.Empty(Optimize(units).Optimized);
        File.WriteAllText(_dir.File("obj/optimize.stamp"), "policy=none\n");
        // File times are coarse (a kernel tick): make the new stamp visibly newer than the reports.
        File.SetLastWriteTimeUtc(_dir.File("obj/optimize.stamp"), DateTime.UtcNow.AddSeconds(2));
        Assert.Equal(3, Optimize(units).Optimized.Length);
    }

    [Fact]
    public void Unreadable_assembly_falls_back_to_gccs_object_with_a_warning()
    {
        var units = Plan();
        Compile(units);
        var hash = units.Single(u => u.ItemSpec == "src/hash.c");
        File.AppendAllText(hash.GetMetadata("AsmFile"), "\n\tmovl %eax\n"); // GAS rejects it
        Optimize(units);
        Assert.Contains("CLLM3001", _engine.WarningCodes);
        var report = JsonSerializer.Deserialize<UnitReport>(File.ReadAllText(hash.GetMetadata("ReportFile")), UnitReport.Json)!;
        Assert.Equal(UnitStatus.FellBack, report.Status);
        Assert.Equal(File.ReadAllBytes(hash.GetMetadata("ObjectFile")), File.ReadAllBytes(hash.GetMetadata("OptimizedObjectFile")));
    }

    [Fact]
    public void Replay_of_a_correct_build_keeps_every_optimized_unit()
    {
        var units = Plan();
        Compile(units);
        Optimize(units);
        var link = Link(units, optimize: true, test: "bin/app");
        Assert.True(link.Execute(), _engine.AllText);
        var replay = JsonSerializer.Deserialize<ReplayReport>(File.ReadAllText(_dir.File("obj/replay.json")), Reports.Json)!;
        Assert.Equal(ReplayReport.FinalOptimized, replay.Final);
        Assert.Empty(replay.Culprits);
        Assert.Contains("CLLM5004", _engine.Messages.Select(m => m.Code));
        Assert.DoesNotContain(_engine.Warnings, w => w.Code.StartsWith("CLLM4", StringComparison.Ordinal));
    }

    [Fact]
    public void Replay_bisects_a_corrupted_unit_and_falls_back_for_it_only()
    {
        var units = Plan();
        Compile(units);
        Optimize(units, fault: "fnv1a");
        var link = Link(units, optimize: false, test: null);
        Assert.True(link.Execute(), _engine.AllText);
        string expected = Program();
        Assert.Contains("alpha", expected);

        Assert.True(Link(units, optimize: true, test: "bin/app").Execute(), _engine.AllText);
        Assert.Contains("CLLM4001", _engine.WarningCodes);
        var culprit = Assert.Single(_engine.Warnings, w => w.Code == "CLLM4002");
        Assert.Equal("src/hash.c", culprit.File);
        var replay = JsonSerializer.Deserialize<ReplayReport>(File.ReadAllText(_dir.File("obj/replay.json")), Reports.Json)!;
        Assert.Equal(["src/hash.c"], replay.Culprits);
        Assert.Equal(ReplayReport.FinalPartial, replay.Final);
        Assert.Equal(expected, Program());
    }

    [Fact]
    public void Translation_validation_drops_the_corrupted_rewrite_before_replay_sees_it()
    {
        var units = Plan();
        Compile(units);
        Optimize(units, fault: "fnv1a", smt: true);
        var hash = JsonSerializer.Deserialize<UnitReport>(File.ReadAllText(units.Single(u => u.ItemSpec == "src/hash.c").GetMetadata("ReportFile")), UnitReport.Json)!;
        var fnv = hash.Report!.FunctionReports.Single(f => f.Name == "fnv1a");
        Assert.Contains(fnv.Rejected, r => r.Rule == "add-one-to-inc" && r.Reason.StartsWith("translation validation", StringComparison.Ordinal));
        Assert.DoesNotContain(fnv.Applied, a => a.Rule == "add-one-to-inc");
        Assert.True(Link(units, optimize: true, test: "bin/app").Execute(), _engine.AllText);
        Assert.DoesNotContain(_engine.Warnings, w => w.Code.StartsWith("CLLM4", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_test_command_the_optimized_link_is_final()
    {
        var units = Plan();
        Compile(units);
        Optimize(units);
        Assert.True(Link(units, optimize: false, test: null).Execute());
        string expected = Program();
        Assert.True(Link(units, optimize: true, test: null).Execute());
        Assert.Contains("CLLM5003", _engine.Messages.Select(m => m.Code));
        Assert.Equal(expected, Program());
        var linked = File.ReadAllBytes(_dir.File("bin/app"));
        Assert.Equal(File.ReadAllBytes(_dir.File("obj/link/optimized")), linked);
    }

    [Fact]
    public void A_flaky_test_command_keeps_gccs_build()
    {
        var units = Plan();
        Compile(units);
        Optimize(units);
        Assert.True(Link(units, optimize: true, test: "date +%N").Execute(), _engine.AllText);
        Assert.Contains("CLLM4006", _engine.WarningCodes);
        Assert.Equal(File.ReadAllBytes(_dir.File("obj/link/gcc")), File.ReadAllBytes(_dir.File("bin/app")));
    }
}
