using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CompilerLLM.Pipeline;
using Microsoft.Build.Framework;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.Tasks;

/// <summary>The project's report: every TU's report and the replay, with totals.</summary>
public sealed record ProjectReport(
    string Project,
    string Package,
    int TranslationUnits,
    int Functions,
    int RewritesApplied,
    int Fallbacks,
    double EstimatedCyclesSaved,
    int BytesSaved,
    double OptimizerSeconds,
    ReplayReport? Replay,
    IReadOnlyList<UnitReport> Units)
{
    /// <summary>The one-line summary (after "CompilerLLM: project: ").</summary>
    public string SummaryLine()
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{TranslationUnits} translation unit(s), {Functions} functions, {RewritesApplied} rewrites applied, ");
        s.Append(CultureInfo.InvariantCulture, $"{Fallbacks} fallback(s), estimated {EstimatedCyclesSaved:0.#} cycles saved, optimizer {OptimizerSeconds:0.00} s");
        if (Replay is { Tested: true } r)
            s.Append("; test replay: ").Append(r.Culprits.Count == 0 && r.Final == ReplayReport.FinalOptimized ? "identical" : r.Final + (r.Culprits.Count > 0 ? $" ({r.Culprits.Count} TU(s) fell back)" : ""));
        else if (Replay is not null)
            s.Append("; no test replay");
        var variants = Units.Where(u => u.Variant is { IsBase: false }).GroupBy(u => u.Variant!.Variant).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (variants.Count > 0) s.Append("; variants: ").Append(string.Join(", ", variants.Select(g => $"{g.Count()} {g.Key}")));
        var tuned = Units.Where(u => u.Variant?.Tuning is not null).ToList();
        if (tuned.Count > 0)
            s.Append(CultureInfo.InvariantCulture, $"; tune: {tuned.Count} TU(s) measured, {tuned.Count(u => u.Variant!.Tuning!.Chosen != u.Variant.Tuning.ZeroShot)} changed");
        return s.ToString();
    }
}

/// <summary>
/// Gathers the TUs' reports and the replay into report.json and report.html (each written only when its
/// content changes) and logs the one-line summary. Runs on every build, so the summary appears even when
/// everything was up to date.
/// </summary>
public sealed class WriteReport : CompilerLlmTask
{
    [Required] public ITaskItem[] TranslationUnits { get; set; } = [];
    [Required] public string ProjectName { get; set; } = "";
    public bool Optimize { get; set; }
    public string? ReplayReportFile { get; set; }
    [Required] public string JsonFile { get; set; } = "";
    [Required] public string HtmlFile { get; set; } = "";

    [Output] public string Summary { get; private set; } = "";

    public override bool Execute()
    {
        if (!Optimize)
        {
            Report(new PendingDiagnostic(Diagnostics.OptimizerOff, null, 0, [ProjectName, TranslationUnits.Length], MessageImportance.Normal));
            return true;
        }
        var units = new List<UnitReport>();
        foreach (var unit in TranslationUnits)
        {
            string path = UnitItem.From(unit).Files.Report;
            if (!File.Exists(path)) continue;
            var report = JsonSerializer.Deserialize<UnitReport>(File.ReadAllText(path), UnitReport.Json);
            if (report is not null) units.Add(report);
        }
        ReplayReport? replay = null;
        if (!string.IsNullOrEmpty(ReplayReportFile) && File.Exists(ReplayReportFile))
            replay = JsonSerializer.Deserialize<ReplayReport>(File.ReadAllText(ReplayReportFile), Reports.Json);
        var project = Aggregate(ProjectName, units, replay);
        Outputs.WriteTextIfDifferent(JsonFile, JsonSerializer.Serialize(project, Reports.Json));
        Outputs.WriteTextIfDifferent(HtmlFile, Html(project));
        Summary = project.SummaryLine();
        Report(new PendingDiagnostic(Diagnostics.Summary, null, 0, [ProjectName, Summary], MessageImportance.High));
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// Totals over what the final artifact contains: a TU that test replay sent back to GCC's object counts as a
    /// fallback and its rewrites as not applied.
    /// </summary>
    public static ProjectReport Aggregate(string name, IReadOnlyList<UnitReport> units, ReplayReport? replay)
    {
        var culprits = new HashSet<string>(replay?.Culprits ?? [], StringComparer.Ordinal);
        var final = units.Select(u => u.AfterReplay(culprits.Contains(u.Source))).ToList();
        double saved = -final.Sum(u => u.EstimatedCycleDelta);
        return new ProjectReport(name, BuildStamp.PackageIdentity, final.Count,
            final.Sum(u => u.Functions),
            final.Sum(u => u.Applied),
            final.Sum(u => u.FunctionFallbacks) + final.Count(u => u.Status == UnitStatus.FellBack),
            saved == 0 ? 0 : saved,
            final.Sum(u => u.SizeDelta),
            final.Sum(u => u.OptimizerSeconds),
            replay, final);
    }

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>A unit's variant for the report: the name, the policy's score or the code size, the profile, a measurement, a note.</summary>
    public static string VariantText(CompilerLLM.Variants.VariantDecision? v)
    {
        if (v is null) return "";
        var parts = new List<string> { v.Variant };
        if (v.Score is { } score) parts.Add(string.Create(CultureInfo.InvariantCulture, $"score {score:0.###}"));
        if (v.TextBytes?.GetValueOrDefault(v.Variant) is { } bytes and > 0) parts.Add($"{bytes} bytes of code");
        if (v.Profile is { } p) parts.Add(string.Create(CultureInfo.InvariantCulture, $"profile coverage {p.Coverage:P0}"));
        if (v.MeasuredSpeedup is { } m)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"tuned from {v.Tuning?.ZeroShot}: measured {m:0.###}x [{v.MeasuredLow:0.###}, {v.MeasuredHigh:0.###}]"));
        else if (v.Tuning is { } t)
            parts.Add($"tune kept {t.ZeroShot}");
        if (v.Note is not null) parts.Add(v.Note);
        return string.Join("; ", parts);
    }

    /// <summary>One line per measured candidate of a tuned unit: the speedup over the unit's zero-shot variant, its interval, the verdict.</summary>
    public static string MeasuredText(CompilerLLM.Variants.MeasuredVariant m) => m.Speedup is { } x && m.Rounds > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{x:0.###}x [{m.Low:0.###}, {m.High:0.###}] over {m.Rounds} rounds")
        : m.Detail ?? "";

    private static void TuneHtml(StringBuilder h, ProjectReport p)
    {
        var tuned = p.Units.Where(u => u.Variant?.Tuning is not null).ToList();
        if (tuned.Count == 0) return;
        h.Append("<h2>Tune mode</h2>\n<p>Speedups are the zero-shot variant's time over the candidate's (above 1: faster), medians over interleaved rounds under randomized layout, with 95% intervals; a candidate is taken only when its whole interval clears the margin.</p>\n");
        h.Append("<table><tr><th>source</th><th>zero-shot</th><th>final</th><th>candidate</th><th>measured</th><th>verdict</th></tr>\n");
        foreach (var u in tuned)
        {
            var t = u.Variant!.Tuning!;
            string cached = t.FromCache ? " (from the tune cache)" : "";
            if (t.Measured.Count == 0)
                h.Append("<tr><td>").Append(E(u.Source)).Append("</td><td>").Append(E(t.ZeroShot)).Append("</td><td>").Append(E(t.Chosen + cached)).Append("</td><td colspan=\"3\">no candidate</td></tr>\n");
            foreach (var m in t.Measured)
            {
                h.Append("<tr><td>").Append(E(u.Source)).Append("</td><td>").Append(E(t.ZeroShot)).Append("</td><td>").Append(E(t.Chosen + cached))
                    .Append("</td><td>").Append(E(m.Variant)).Append("</td><td>").Append(E(MeasuredText(m))).Append("</td><td")
                    .Append(m.Variant == t.Chosen ? " class=\"ok\"" : "").Append('>').Append(E(VerdictText(m.Verdict))).Append("</td></tr>\n");
            }
        }
        h.Append("</table>\n");
    }

    private static string VerdictText(CompilerLLM.Variants.TuneVerdict v) => v switch
    {
        CompilerLLM.Variants.TuneVerdict.Faster => "faster beyond the margin: taken",
        CompilerLLM.Variants.TuneVerdict.FasterNotBest => "faster, but another candidate was better",
        CompilerLLM.Variants.TuneVerdict.NotClear => "no change beyond the margin",
        CompilerLLM.Variants.TuneVerdict.Slower => "slower",
        CompilerLLM.Variants.TuneVerdict.Identical => "identical object",
        CompilerLLM.Variants.TuneVerdict.DoesNotCompile => "does not compile",
        CompilerLLM.Variants.TuneVerdict.BenchmarkFailed => "the benchmark failed",
        _ => "the test command behaves differently: not taken",
    };

    public static string Html(ProjectReport p)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>CompilerLLM report: ").Append(E(p.Project)).Append("</title>\n");
        h.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}pre{margin:0}.fb{color:#a00}.ok{color:#070}</style></head><body>\n");
        h.Append("<h1>CompilerLLM: ").Append(E(p.Project)).Append("</h1>\n<p>").Append(E(p.SummaryLine())).Append("</p>\n");
        if (p.Replay is { } r)
        {
            h.Append("<h2>Test replay</h2>\n<table><tr><th>final artifact</th><td>").Append(E(r.Final)).Append("</td></tr>");
            h.Append("<tr><th>command</th><td><code>").Append(E(r.Command ?? "(none)")).Append("</code></td></tr>");
            h.Append(CultureInfo.InvariantCulture, $"<tr><th>builds / runs</th><td>{r.Builds} / {r.Runs}</td></tr>");
            if (r.Culprits.Count > 0) h.Append("<tr><th>fell back (culprits)</th><td class=\"fb\">").Append(E(string.Join(", ", r.Culprits))).Append("</td></tr>");
            if (r.Reason is not null) h.Append("<tr><th>reason</th><td>").Append(E(r.Reason)).Append("</td></tr>");
            h.Append("</table>\n");
        }
        h.Append("<h2>Translation units</h2>\n<table><tr><th>source</th><th>status</th><th>functions</th><th>candidates</th><th>applied</th><th>fallbacks</th><th>bytes saved</th><th>est. cycle delta</th><th>seconds</th><th>variant</th></tr>\n");
        foreach (var u in p.Units)
        {
            h.Append("<tr><td>").Append(E(u.Source)).Append("</td><td").Append(u.Status == UnitStatus.FellBack ? " class=\"fb\"" : "").Append('>').Append(E(u.StatusText));
            if (u.Reason is not null) h.Append(": ").Append(E(u.Reason));
            h.Append(CultureInfo.InvariantCulture, $"</td><td>{u.Functions}</td><td>{u.Candidates}</td><td>{u.Applied}</td><td>{u.FunctionFallbacks}</td><td>{u.SizeDelta}</td><td>{u.EstimatedCycleDelta:0.#}</td><td>{u.OptimizerSeconds:0.000}</td><td>").Append(E(VariantText(u.Variant))).Append("</td></tr>\n");
        }
        h.Append("</table>\n");
        TuneHtml(h, p);
        foreach (var u in p.Units.Where(u => u.Report is not null))
        {
            h.Append("<h3>").Append(E(u.Source)).Append("</h3>\n<table><tr><th>function</th><th>rule</th><th>line</th><th>before</th><th>after</th></tr>\n");
            foreach (var f in u.Report!.FunctionReports)
            {
                if (f.FallbackReason is not null)
                    h.Append("<tr><td>").Append(E(f.Name)).Append("</td><td colspan=\"4\" class=\"fb\">fell back: ").Append(E(f.FallbackReason)).Append("</td></tr>\n");
                foreach (var a in f.Applied)
                {
                    h.Append("<tr><td>").Append(E(f.Name)).Append("</td><td>").Append(E(a.Rule)).Append(CultureInfo.InvariantCulture, $"</td><td>{a.Line}</td><td><pre>")
                        .Append(E(string.Join("\n", a.Before))).Append("</pre></td><td><pre>").Append(E(string.Join("\n", a.After))).Append("</pre></td></tr>\n");
                }
            }
            h.Append("</table>\n");
        }
        h.Append("</body></html>\n");
        return h.ToString();
    }
}
