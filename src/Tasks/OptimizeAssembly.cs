using System.Diagnostics;
using System.Text.Json;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// The optimize task: per translation unit, in parallel, the engine's <see cref="UnitBuilder.Optimize(TranslationUnit, OptimizerOptions, UnitCache?, CompilerLLM.Variants.VariantDecision?)"/> with the
/// node's shared policy (x.opt.s, x.opt.o, or GCC's code when anything fails), then x.report.json, and a coded
/// warning for every fallback (of the file or of one function).
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
    /// <summary>CompilerLlmObjective: speed or size (size: no rewrite that makes the code longer).</summary>
    public string? Objective { get; set; }
    public string? FaultInjectionFunction { get; set; }
    public int MaxParallelism { get; set; }
    /// <summary>CompilerLlmCache: use the content cache of optimized units (true, false or empty: true).</summary>
    public string? Cache { get; set; }
    /// <summary>CompilerLlmCacheDirectory (empty: the launcher's default, shared with it).</summary>
    public string? CacheDirectory { get; set; }
    /// <summary>CompilerLlmCacheSize: the cap (K, M, G suffixes; empty: 2G).</summary>
    public string? CacheSize { get; set; }

    [Output] public ITaskItem[] Optimized { get; private set; } = [];

    public override bool Execute()
    {
        var pending = new List<PendingDiagnostic>();
        var request = PolicySelection.Parse(Policy, ProjectDirectory, pending, OnnxRuntimePath);
        if (request is null)
        {
            Report(pending);
            return false;
        }
        // Diagnostics of loading the policy were reported by CheckEnvironment (the first user in this node).
        var policy = PolicyCache.GetOrLoad(BuildEngine, request, []);
        // An unknown objective was reported by CheckEnvironment; it builds for speed.
        VariantSelection.TryParseObjective(Objective, [], out var objective);
        var options = PolicySelection.ToOptions(policy, ValidateWithSmt, FaultInjectionFunction).For(objective);
        var cache = CacheOf(policy, objective);
        var builder = new UnitBuilder(new Gcc(ToolchainOptions.Default with { Compiler = Compiler }, ProjectDirectory));

        var units = UnitItem.From(TranslationUnits);
        var results = new List<PendingDiagnostic>[units.Length];
        var done = new bool[units.Length];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, units.Length,
            new ParallelOptions { MaxDegreeOfParallelism = CompileTranslationUnits.Parallelism(MaxParallelism) }, i =>
            {
                results[i] = [];
                done[i] = OptimizeOne(builder, units[i], options, cache, results[i]);
            });
        foreach (var r in results) Report(r);
        Optimized = [.. units.Where((_, i) => done[i]).Select(u => u.Item)];
        Log.LogMessage(MessageImportance.Normal, "CompilerLLM: optimized {0} of {1} translation unit(s) in {2:F2} s (policy {3})",
            Optimized.Length, units.Length, clock.Elapsed.TotalSeconds, policy.Identity);
        return !Log.HasLoggedErrors;
    }

    internal static bool IsUpToDate(UnitItem unit, string stampFile)
    {
        var files = unit.Files;
        if (!File.Exists(files.Report) || !File.Exists(files.OptimizedAsm) || !File.Exists(files.OptimizedObject)) return false;
        var written = File.GetLastWriteTimeUtc(files.Report);
        return File.GetLastWriteTimeUtc(files.Asm) <= written
            && (!File.Exists(files.Decision) || File.GetLastWriteTimeUtc(files.Decision) <= written)
            && (!File.Exists(stampFile) || File.GetLastWriteTimeUtc(stampFile) <= written);
    }

    /// <summary>The content cache, shared with the launcher and other builds (null when CompilerLlmCache is false).</summary>
    private UnitCache? CacheOf(LoadedPolicy policy, CompilerLLM.Variants.VariantObjective objective)
    {
        if ((Cache ?? "").Trim().Equals("false", StringComparison.OrdinalIgnoreCase)) return null;
        string dir = string.IsNullOrWhiteSpace(CacheDirectory) ? UnitCache.DefaultDirectory() : Path.GetFullPath(Path.Combine(ProjectDirectory, CacheDirectory.Trim()));
        long size = CompilerLLM.Caching.ContentCache.ParseSize(CacheSize) ?? (2L << 30);
        // The variant was chosen by the compile step: the key is on the assembly the optimizer starts from, and on the
        // objective, which decides which of its rewrites may be applied.
        string variants = objective == CompilerLLM.Variants.VariantObjective.Size ? "chosen; objective size" : "chosen";
        return new UnitCache(new CompilerLLM.Caching.ContentCache(dir, size),
            UnitCache.ConfigurationOf(policy.Identity, variants, ValidateWithSmt, FaultInjectionFunction));
    }

    private bool OptimizeOne(UnitBuilder builder, UnitItem unit, OptimizerOptions options, UnitCache? cache, List<PendingDiagnostic> diagnostics)
    {
        if (IsUpToDate(unit, OptimizeStampFile)) return false;
        UnitReport report;
        try
        {
            report = builder.Optimize(unit.Unit, options, cache, UnitBuilder.ReadDecision(unit.Files));
        }
        catch (ToolNotFoundException e)
        {
            diagnostics.Add(new(Diagnostics.ToolFailedToStart, null, 0, [e.ToolName, e.Message]));
            return true;
        }
        string source = unit.Source;
        switch (report.Fallback)
        {
            case UnitFallback.UnreadableAssembly:
                diagnostics.Add(new(Diagnostics.FileUnreadable, source, 0, [source, report.Detail]));
                break;
            case UnitFallback.OptimizerFailure:
                diagnostics.Add(new(Diagnostics.OptimizerCrashed, source, 0, [source, report.Detail]));
                break;
            case UnitFallback.AssemblerRejected:
                diagnostics.Add(new(Diagnostics.OptimizedAssembleFailed, source, 0, [source, report.Detail]));
                break;
        }
        foreach (var f in report.Report?.FunctionReports.Where(f => f.FallbackReason is not null) ?? [])
            diagnostics.Add(new(Diagnostics.FunctionFellBack, source, 0, [source, f.Name, f.FallbackReason]));
        File.WriteAllText(unit.Files.Report, JsonSerializer.Serialize(report, UnitReport.Json));
        return true;
    }
}
