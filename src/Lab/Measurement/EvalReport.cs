using CompilerLLM.Timing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CompilerLLM.Lab.Measurement;

/// <summary>What the report says about how the evaluation was run.</summary>
public sealed record EvalSettings(string Suite, string BaselineFlags, string Policy, string Cpu, int Pairs, double PracticalMargin);

/// <summary>
/// Writes <c>eval.json</c> (one record per program: <c>name, compiled, passed, speedup, ci_low, ci_high,
/// est_cycles_base, est_cycles_opt</c>, then extra fields), <c>eval.md</c> and <c>eval.html</c> with the
/// two SVG plots (also written as <c>speedup-distribution.svg</c> and <c>speedup-per-program.svg</c>),
/// and renders the console table.
/// </summary>
public static class EvalReport
{
    private sealed record JsonRecord(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("compiled")] bool Compiled,
        [property: JsonPropertyName("passed")] bool Passed,
        [property: JsonPropertyName("speedup")] double? Speedup,
        [property: JsonPropertyName("ci_low")] double? CiLow,
        [property: JsonPropertyName("ci_high")] double? CiHigh,
        [property: JsonPropertyName("est_cycles_base")] double? EstCyclesBase,
        [property: JsonPropertyName("est_cycles_opt")] double? EstCyclesOpt,
        [property: JsonPropertyName("verdict")] string? Verdict,
        [property: JsonPropertyName("rewrites")] int Rewrites,
        [property: JsonPropertyName("baseline_seconds")] double? BaselineSeconds,
        [property: JsonPropertyName("optimized_seconds")] double? OptimizedSeconds,
        [property: JsonPropertyName("wall_speedup")] double? WallSpeedup,
        [property: JsonPropertyName("cpu_speedup")] double? CpuSpeedup,
        [property: JsonPropertyName("layout_spread")] double? LayoutSpread,
        [property: JsonPropertyName("disturbed_pairs")] int? DisturbedPairs,
        [property: JsonPropertyName("error")] string? Error);

    public static void Write(string directory, IReadOnlyList<ProgramEvaluation> results, EvalSettings settings)
    {
        Directory.CreateDirectory(directory);
        var records = results.Select(r => new JsonRecord(r.Name, r.Compiled, r.Passed, Round(r.Speedup), Round(r.CiLow), Round(r.CiHigh),
            Round(r.EstCyclesBase), Round(r.EstCyclesOpt), r.Verdict is { } v ? VerdictText(v) : null, r.Rewrites,
            Round(r.BaselineSeconds), Round(r.OptimizedSeconds), Round(r.WallSpeedup), Round(r.CpuSpeedup), Round(r.LayoutSpread), r.DisturbedPairs, r.Error)).ToList();
        File.WriteAllText(Path.Combine(directory, "eval.json"),
            JsonSerializer.Serialize(records, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never }) + "\n");

        var timed = results.Where(r => r.Speedup is not null).ToList();
        string histogram = SvgPlot.Histogram(timed.Select(r => r.Speedup!.Value).ToList());
        string bars = SvgPlot.IntervalBars(timed.Select(r => new SpeedupPoint(r.Name, r.Speedup!.Value, r.CiLow!.Value, r.CiHigh!.Value, r.Verdict ?? TimingVerdict.NoMeasurableChange)).ToList());
        File.WriteAllText(Path.Combine(directory, "speedup-distribution.svg"), histogram);
        File.WriteAllText(Path.Combine(directory, "speedup-per-program.svg"), bars);
        File.WriteAllText(Path.Combine(directory, "eval.md"), Markdown(results, settings));
        File.WriteAllText(Path.Combine(directory, "eval.html"), Html(results, settings, histogram, bars));
    }

    /// <summary>The per-program table for the console (fixed-width columns).</summary>
    public static string ConsoleTable(IReadOnlyList<ProgramEvaluation> results)
    {
        var sb = new StringBuilder();
        int nameWidth = Math.Max(8, results.Count == 0 ? 0 : results.Max(r => r.Name.Length));
        sb.Append(F($"{"program".PadRight(nameWidth)}  build  test  {"speedup",8}  {"95% interval",-17}  {"verdict",-9}  {"est. base",12}  {"est. ours",12}  {"est.",6}  rewrites\n"));
        foreach (var r in results)
        {
            string interval = r.CiLow is { } lo && r.CiHigh is { } hi ? F($"[{lo:F3}, {hi:F3}]") : "-";
            string est = r.EstCyclesBase is > 0 && r.EstCyclesOpt is > 0 ? F($"{r.EstCyclesBase.Value / r.EstCyclesOpt.Value:F3}x") : "-";
            sb.Append(F($"{r.Name.PadRight(nameWidth)}  {(r.Compiled ? "ok" : "FAIL"),-5}  {(r.Passed ? "ok" : r.Compiled ? "FAIL" : "-"),-4}  {Num(r.Speedup, "F3", "x"),8}  {interval,-17}  {(r.Verdict is { } v ? VerdictText(v) : "-"),-9}  {Num(r.EstCyclesBase, "F0"),12}  {Num(r.EstCyclesOpt, "F0"),12}  {est,6}  {r.Rewrites}\n"));
            if (r.Error is not null) sb.Append("    ").Append(r.Error.Split('\n')[0]).Append('\n');
        }
        return sb.ToString();
    }

    private static string Markdown(IReadOnlyList<ProgramEvaluation> results, EvalSettings settings)
    {
        var summary = EvalSummary.Of(results);
        var sb = new StringBuilder();
        sb.Append("# Evaluation report\n\n");
        AppendSettings(sb, settings, markdown: true);
        sb.Append("\n**").Append(summary.Line).Append("**\n\n");
        sb.Append("| program | built | test | speedup | 95% interval | verdict | est. cycles base | est. cycles ours | est. speedup | rewrites |\n");
        sb.Append("|---|---|---|---:|---|---|---:|---:|---:|---:|\n");
        foreach (var r in results)
        {
            string interval = r.CiLow is { } lo && r.CiHigh is { } hi ? F($"[{lo:F3}, {hi:F3}]") : "";
            sb.Append(F($"| {MdEscape(r.Name)} | {(r.Compiled ? "yes" : "no")} | {(r.Passed ? "pass" : "fail")} | {Num(r.Speedup, "F3", "x", "")} | {interval} | {(r.Verdict is { } v ? VerdictText(v) : "")} | {Num(r.EstCyclesBase, "F0", "", "")} | {Num(r.EstCyclesOpt, "F0", "", "")} | {EstSpeedup(r)} | {r.Rewrites} |\n"));
        }
        var failures = results.Where(r => r.Error is not null).ToList();
        if (failures.Count > 0)
        {
            sb.Append("\n## Problems\n\n");
            foreach (var r in failures) sb.Append("- **").Append(MdEscape(r.Name)).Append("**: ").Append(MdEscape(r.Error!.Split('\n')[0])).Append('\n');
        }
        sb.Append("\n## Plots\n\n![speedup distribution](speedup-distribution.svg)\n\n![speedup per program](speedup-per-program.svg)\n");
        return sb.ToString();
    }

    private static string Html(IReadOnlyList<ProgramEvaluation> results, EvalSettings settings, string histogram, string bars)
    {
        var summary = EvalSummary.Of(results);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>compilerllm eval</title>\n");
        sb.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}td.n{text-align:right}.slower{color:#c0392b}.faster{color:#3a9a4a}</style>\n");
        sb.Append("</head><body>\n<h1>Evaluation report</h1>\n<ul>\n");
        AppendSettings(sb, settings, markdown: false);
        sb.Append("</ul>\n<p><b>").Append(SvgPlot.Escape(summary.Line)).Append("</b></p>\n<table>\n");
        sb.Append("<tr><th>program</th><th>built</th><th>test</th><th>speedup</th><th>95% interval</th><th>verdict</th><th>est. cycles base</th><th>est. cycles ours</th><th>est. speedup</th><th>rewrites</th><th>problem</th></tr>\n");
        foreach (var r in results)
        {
            string interval = r.CiLow is { } lo && r.CiHigh is { } hi ? F($"[{lo:F3}, {hi:F3}]") : "";
            string verdict = r.Verdict is { } v ? VerdictText(v) : "";
            string cls = r.Verdict == TimingVerdict.Slower ? " class=\"slower\"" : r.Verdict == TimingVerdict.Faster ? " class=\"faster\"" : "";
            sb.Append(F($"<tr><td>{SvgPlot.Escape(r.Name)}</td><td>{(r.Compiled ? "yes" : "no")}</td><td>{(r.Passed ? "pass" : "fail")}</td><td class=\"n\">{Num(r.Speedup, "F3", "x", "")}</td><td>{interval}</td><td{cls}>{verdict}</td><td class=\"n\">{Num(r.EstCyclesBase, "F0", "", "")}</td><td class=\"n\">{Num(r.EstCyclesOpt, "F0", "", "")}</td><td class=\"n\">{EstSpeedup(r)}</td><td class=\"n\">{r.Rewrites}</td><td>{SvgPlot.Escape(r.Error?.Split('\n')[0] ?? "")}</td></tr>\n"));
        }
        sb.Append("</table>\n<h2>Plots</h2>\n").Append(histogram).Append("<br>\n").Append(bars).Append("</body></html>\n");
        return sb.ToString();
    }

    private static void AppendSettings(StringBuilder sb, EvalSettings s, bool markdown)
    {
        string[] items =
        [
            $"suite: {s.Suite}",
            $"baseline: gcc {s.BaselineFlags}; ours: the same assembly optimized with --policy {s.Policy}",
            $"static estimate: llvm-mca-14 -mcpu={s.Cpu}, weighted by the baseline's callgrind block counts",
            F($"timing: {s.Pairs} interleaved pairs pinned to one core, median of per-pair speedups (CPU-time ratio for pairs that waited for the core), bootstrap 95% interval; a change is claimed only when the whole interval lies beyond ±{s.PracticalMargin * 100:F1}%"),
        ];
        foreach (var item in items)
            sb.Append(markdown ? "- " + item + "\n" : "<li>" + SvgPlot.Escape(item) + "</li>\n");
    }

    public static string VerdictText(TimingVerdict v) => v switch
    {
        TimingVerdict.Faster => "faster",
        TimingVerdict.Slower => "slower",
        _ => "no change",
    };

    private static string EstSpeedup(ProgramEvaluation r) =>
        r.EstCyclesBase is > 0 && r.EstCyclesOpt is > 0 ? F($"{r.EstCyclesBase.Value / r.EstCyclesOpt.Value:F4}x") : "";

    private static double? Round(double? v) => v is { } x && double.IsFinite(x) ? Math.Round(x, 6) : null;

    private static string Num(double? v, string format, string suffix = "", string missing = "-") =>
        v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) + suffix : missing;

    private static string MdEscape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
