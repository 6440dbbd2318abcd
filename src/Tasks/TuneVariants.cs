using System.Globalization;
using System.Text.Json;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// Tune mode (<c>CompilerLlmTune</c>): after the compile step chose every unit's variant zero-shot, the engine's
/// <see cref="VariantTuner"/> measures the variant model's best alternatives for the hottest units with the project's
/// benchmark under the timing protocol and keeps one only where its speedup clears the noise margin; the test command
/// gates the final assignment. Decisions are cached by content, measurements appended to the records directory, and
/// each unit's decision file rewritten, so the optimizer starts from the tuned variant.
/// </summary>
public sealed class TuneVariants : CompilerLlmTask
{
    [Required] public ITaskItem[] TranslationUnits { get; set; } = [];
    [Required] public string Compiler { get; set; } = "gcc";
    [Required] public string ProjectDirectory { get; set; } = ".";
    [Required] public string NativeOutputPath { get; set; } = "";
    public string? NativeOutputType { get; set; }
    public string? LinkFlags { get; set; }
    /// <summary>CompilerLlmBenchmarkCommand (default: the test command).</summary>
    public string? BenchmarkCommand { get; set; }
    public string? TestCommand { get; set; }
    public string? TestTimeout { get; set; }
    /// <summary>CompilerLlmTuneCandidates: alternatives per unit.</summary>
    public string? Candidates { get; set; }
    /// <summary>CompilerLlmTuneRounds: rounds of the timing protocol per comparison.</summary>
    public string? Rounds { get; set; }
    /// <summary>CompilerLlmTuneMargin: the noise margin (a fraction).</summary>
    public string? Margin { get; set; }
    /// <summary>CompilerLlmTuneRecords: where the measurements are appended.</summary>
    [Required] public string RecordsDirectory { get; set; } = "";
    /// <summary>CompilerLlmTuneTestVariant: test only, <c>name=flags</c>.</summary>
    public string? TestVariant { get; set; }
    /// <summary>CompilerLlmVariants (for the model's identity in the cache key).</summary>
    public string? Variants { get; set; }
    public string? Objective { get; set; }
    public string? ProfileWorkload { get; set; }
    public string? ProfileDirectory { get; set; }
    public string? Cache { get; set; }
    public string? CacheDirectory { get; set; }
    public string? CacheSize { get; set; }
    [Required] public string WorkDirectory { get; set; } = "";
    /// <summary>tune.json: every tuned unit's outcome (always rewritten: the target's output).</summary>
    [Required] public string SummaryFile { get; set; } = "";
    public int MaxParallelism { get; set; }

    public override bool Execute()
    {
        var pending = new List<PendingDiagnostic>();
        var options = TuneSettings.Parse(this, pending);
        TuneCandidateInjection.TryParse(TestVariant, out var injection);
        VariantSelection.TryParse(Variants, ProjectDirectory, [], out string? model);
        VariantSelection.TryParseObjective(Objective, [], out var objective);
        Report(pending);
        if (Log.HasLoggedErrors || options is null) return !Log.HasLoggedErrors;

        var units = UnitItem.From(TranslationUnits);
        var gcc = new Gcc(ToolchainOptions.Default with { Compiler = Compiler }, ProjectDirectory);
        var builder = new UnitBuilder(gcc);
        var profile = !string.IsNullOrEmpty(ProfileDirectory) && Directory.Exists(ProfileDirectory) ? new ProfileSet(ProfileDirectory) : null;
        // The profile is not keyed by its bytes (GCC stamps every profile build anew): it is a function of the program and
        // the workload, and both are in the key (the workload through the variant identity), as is whether there is one.
        string configuration = VariantSelection.Identity(model, objective, ProfileWorkload)
            + "\nprofile " + (profile is null ? "none" : "from the workload")
            + "\ntest-variant " + (injection is null ? "none" : injection.Variant.Name + " " + string.Join(' ', injection.Variant.Flags));
        var tuneUnits = units.Select(u => new TuneUnit(u.Unit, UnitBuilder.ReadDecision(u.Files) ?? VariantDecision.Base(null))).ToList();
        var timer = new BenchmarkTimer(gcc, options);
        TuneResult result;
        try
        {
            result = new VariantTuner(builder, options, timer, CacheOf(), injection, CompileTranslationUnits.Parallelism(MaxParallelism)).Tune(tuneUnits, profile, configuration);
        }
        catch (ToolNotFoundException e)
        {
            Report(Diagnostics.ToolFailedToStart, e.ToolName, e.Message);
            return false;
        }
        for (int i = 0; i < units.Length; i++) UnitBuilder.WriteDecision(units[i].Files, result.Decisions[i]);
        TuneRecord.Append(RecordsDirectory, result.Records);
        Outputs.WriteTextIfDifferent(SummaryFile, JsonSerializer.Serialize(result.Summary, ReportJson.Default.TuneSummary));
        File.SetLastWriteTimeUtc(SummaryFile, DateTime.UtcNow);

        var summary = result.Summary;
        if (summary.BenchmarkFailure is { } failure) Report(Diagnostics.BenchmarkFails, failure);
        foreach (var (source, outcome) in summary.Units)
        {
            if (outcome.Measured.FirstOrDefault(m => m.Verdict == TuneVerdict.TestDiffers) is { } differs)
                ReportAt(source, 0, Diagnostics.TunedVariantFailsTest, source, differs.Variant, outcome.Chosen);
            if (outcome.ChosenMeasurement is { } m)
                Report(new PendingDiagnostic(Diagnostics.VariantTuned, source, 0,
                    [source, outcome.Chosen, outcome.ZeroShot, F(m.Speedup), F(m.Low), F(m.High)], MessageImportance.High));
        }
        Report(new PendingDiagnostic(Diagnostics.TuneDone, null, 0,
            [summary.Units.Count, summary.FromCache, summary.Changed, summary.BenchmarkRuns, summary.TestRuns, result.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)],
            MessageImportance.High));
        return !Log.HasLoggedErrors;
    }

    private static string F(double? x) => x?.ToString("0.###", CultureInfo.InvariantCulture) ?? "?";

    /// <summary>The content cache for decisions (the optimizer's, shared with the launcher); null when CompilerLlmCache is false.</summary>
    private TuneCache? CacheOf()
    {
        if ((Cache ?? "").Trim().Equals("false", StringComparison.OrdinalIgnoreCase)) return null;
        string dir = string.IsNullOrWhiteSpace(CacheDirectory) ? UnitCache.DefaultDirectory() : Path.GetFullPath(Path.Combine(ProjectDirectory, CacheDirectory.Trim()));
        long size = CompilerLLM.Caching.ContentCache.ParseSize(CacheSize) ?? (2L << 30);
        return new TuneCache(new CompilerLLM.Caching.ContentCache(dir, size), Path.Combine(WorkDirectory, "cache-tmp"));
    }
}
