using System.Diagnostics;
using System.Text.Json;
using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>What happened to one translation unit, written next to its objects as x.report.json.</summary>
public sealed record UnitReport(
    string Source,
    string Status,
    string? Reason,
    double OptimizerSeconds,
    int Functions,
    int Candidates,
    int Applied,
    int FunctionFallbacks,
    int SizeDelta,
    double EstimatedCycleDelta,
    OptimizationReport? Report)
{
    public const string Optimized = "optimized";
    public const string Unchanged = "unchanged";
    public const string FellBack = "fallback";

    /// <summary>The options every report is written and read with (camelCase, indented, source-generated).</summary>
    public static JsonSerializerOptions Json => ReportJson.Default.Options;
}

/// <summary>
/// The optimize task: per translation unit, in parallel, runs the optimizer in-process on x.s with the
/// node's shared policy and writes x.opt.s, assembles it to x.opt.o (GCC's driver, same flags) and writes
/// x.report.json. On any failure for a function (the optimizer keeps its original code) or for the file
/// (unreadable assembly, an optimizer exception, an assembler error) it falls back to GCC's code and says so.
/// </summary>
public sealed class OptimizeAssembly : CompilerLlmTask
{
    [Required] public ITaskItem[] TranslationUnits { get; set; } = [];
    [Required] public string Compiler { get; set; } = "gcc";
    [Required] public string ProjectDirectory { get; set; } = ".";
    [Required] public string OptimizeStampFile { get; set; } = "";
    public string? Policy { get; set; }
    /// <summary>CompilerLlmOnnxRuntimePath: a libonnxruntime.so.1 to use instead of the packaged one.</summary>
    public string? OnnxRuntimePath { get; set; }
    public bool ValidateWithSmt { get; set; }
    public string? FaultInjectionFunction { get; set; }
    public int MaxParallelism { get; set; }

    [Output] public ITaskItem[] Optimized { get; private set; } = [];

    public override bool Execute()
    {
        var pending = new List<PendingDiagnostic>();
        string? key = PolicySelection.Parse(Policy, ProjectDirectory, pending, OnnxRuntimePath);
        if (key is null)
        {
            Report(pending);
            return false;
        }
        // Diagnostics of loading the policy were reported by CheckEnvironment (the first user in this node).
        var policy = PolicyCache.GetOrLoad(BuildEngine, key, []);
        var options = PolicySelection.ToOptions(policy, ValidateWithSmt, FaultInjectionFunction);
        var toolchain = new Gcc(ToolchainOptions.Default with { Compiler = Compiler }, ProjectDirectory);

        var results = new List<PendingDiagnostic>[TranslationUnits.Length];
        var done = new bool[TranslationUnits.Length];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, TranslationUnits.Length,
            new ParallelOptions { MaxDegreeOfParallelism = CompileTranslationUnits.Parallelism(MaxParallelism) }, i =>
            {
                results[i] = [];
                done[i] = OptimizeOne(toolchain, TranslationUnits[i], options, results[i]);
            });
        foreach (var r in results) Report(r);
        Optimized = [.. TranslationUnits.Where((_, i) => done[i])];
        Log.LogMessage(MessageImportance.Normal, "CompilerLLM: optimized {0} of {1} translation unit(s) in {2:F2} s (policy {3})",
            Optimized.Length, TranslationUnits.Length, clock.Elapsed.TotalSeconds, policy.Identity);
        return !Log.HasLoggedErrors;
    }

    internal static bool IsUpToDate(ITaskItem unit, string stampFile)
    {
        string report = unit.GetMetadata("ReportFile");
        if (!File.Exists(report) || !File.Exists(unit.GetMetadata("OptimizedAsmFile")) || !File.Exists(unit.GetMetadata("OptimizedObjectFile")))
            return false;
        var written = File.GetLastWriteTimeUtc(report);
        return File.GetLastWriteTimeUtc(unit.GetMetadata("AsmFile")) <= written
            && (!File.Exists(stampFile) || File.GetLastWriteTimeUtc(stampFile) <= written);
    }

    private bool OptimizeOne(Gcc toolchain, ITaskItem unit, OptimizerOptions options, List<PendingDiagnostic> diagnostics)
    {
        if (IsUpToDate(unit, OptimizeStampFile)) return false;
        string source = unit.ItemSpec;
        string asm = unit.GetMetadata("AsmFile"), obj = unit.GetMetadata("ObjectFile");
        string optAsm = unit.GetMetadata("OptimizedAsmFile"), optObj = unit.GetMetadata("OptimizedObjectFile");
        var args = CompileTranslationUnits.Arguments(unit);
        var clock = Stopwatch.StartNew();
        UnitReport report;
        try
        {
            var file = AsmReader.Read(asm, File.ReadAllText(asm));
            var result = Optimizer.Optimize(file, options);
            var r = result.Report;
            double seconds = clock.Elapsed.TotalSeconds;
            string tempAsm = Outputs.TempFor(optAsm);
            File.WriteAllText(tempAsm, result.Text);
            bool changed = Outputs.ReplaceIfDifferent(tempAsm, optAsm);
            if (result.Text == file.Source)
            {
                // Nothing rewritten: GCC's object is ours (no need to run the assembler again).
                Outputs.CopyIfDifferent(obj, optObj);
            }
            else if (changed || !File.Exists(optObj))
            {
                string tempObj = Outputs.TempFor(optObj);
                var a = toolchain.Assemble(optAsm, args, tempObj);
                if (!a.Succeeded)
                {
                    File.Delete(tempObj);
                    diagnostics.Add(new(Diagnostics.OptimizedAssembleFailed, source, 0, [source, FirstLine(a.StandardError)]));
                    report = FallBack(unit, "the optimized assembly does not assemble: " + FirstLine(a.StandardError), clock.Elapsed.TotalSeconds);
                    WriteReport(unit, report);
                    return true;
                }
                Outputs.ReplaceIfDifferent(tempObj, optObj);
            }
            foreach (var f in r.FunctionReports.Where(f => f.FallbackReason is not null))
                diagnostics.Add(new(Diagnostics.FunctionFellBack, source, 0, [source, f.Name, f.FallbackReason]));
            report = new UnitReport(source, r.Applied > 0 ? UnitReport.Optimized : UnitReport.Unchanged, null, seconds,
                r.Functions, r.Candidates, r.Applied, r.Fallbacks,
                r.FunctionReports.Sum(f => f.SizeDelta), r.FunctionReports.Sum(f => f.EstimatedCycleDelta), r);
        }
        catch (AsmReadException e)
        {
            diagnostics.Add(new(Diagnostics.FileUnreadable, source, 0, [source, FirstLine(e.Message)]));
            report = FallBack(unit, "unreadable assembly: " + FirstLine(e.Message), clock.Elapsed.TotalSeconds);
        }
        catch (ToolNotFoundException e)
        {
            diagnostics.Add(new(Diagnostics.ToolFailedToStart, null, 0, [e.ToolName, e.Message]));
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            diagnostics.Add(new(Diagnostics.OptimizerCrashed, source, 0, [source, $"{e.GetType().Name}: {FirstLine(e.Message)}"]));
            report = FallBack(unit, $"optimizer failure: {e.GetType().Name}: {FirstLine(e.Message)}", clock.Elapsed.TotalSeconds);
        }
        WriteReport(unit, report);
        return true;
    }

    /// <summary>The file keeps GCC's code: x.opt.s and x.opt.o become copies of x.s and x.o.</summary>
    private static UnitReport FallBack(ITaskItem unit, string reason, double seconds)
    {
        Outputs.CopyIfDifferent(unit.GetMetadata("AsmFile"), unit.GetMetadata("OptimizedAsmFile"));
        Outputs.CopyIfDifferent(unit.GetMetadata("ObjectFile"), unit.GetMetadata("OptimizedObjectFile"));
        return new UnitReport(unit.ItemSpec, UnitReport.FellBack, reason, seconds, 0, 0, 0, 0, 0, 0, null);
    }

    private static void WriteReport(ITaskItem unit, UnitReport report) =>
        File.WriteAllText(unit.GetMetadata("ReportFile"), JsonSerializer.Serialize(report, UnitReport.Json));

    private static string FirstLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.Contains("Error", StringComparison.OrdinalIgnoreCase)) ?? lines.FirstOrDefault() ?? message;
    }
}
