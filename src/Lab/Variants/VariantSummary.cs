using System.Globalization;
using System.Text;
using CompilerLLM.Timing;

namespace CompilerLLM.Lab.Variants;

/// <summary>One variant over the suite: geometric mean of the programs' ratios, a bootstrap interval over programs, and counts beyond noise.</summary>
public sealed record VariantSuiteRow(string Variant, int Programs, double Geomean, double Low, double High, int Faster, int Slower, double Best, double Worst);

/// <summary>The summary table of a dataset (printed by the command, copied into docs/variants.md).</summary>
public static class VariantSummary
{
    public static IReadOnlyList<VariantSuiteRow> Rows(VariantDataset dataset, int resamples = 4000, int seed = 1)
    {
        var names = dataset.Programs.SelectMany(p => p.Variants.Keys).Distinct().Where(n => n != "base")
            .OrderBy(n => dataset.Variants.ToList().IndexOf(n) is var i && i < 0 ? int.MaxValue : i).ToList();
        var rows = new List<VariantSuiteRow>();
        foreach (string name in names.Append("A/A"))
        {
            var ms = dataset.Programs.Select(p => name == "A/A" ? p.Aa : p.Variants.GetValueOrDefault(name)).Where(m => m is not null).Select(m => m!).ToList();
            if (ms.Count > 0) rows.Add(Row(name, ms, resamples, seed));
        }
        return rows;
    }

    /// <summary>
    /// The methods of <c>--assignments</c> results, each over the programs where it was measured (in the order the
    /// methods first appear); base is the reference (1.0) of every program and gets no row.
    /// </summary>
    public static IReadOnlyList<VariantSuiteRow> Rows(AssignmentResults results, int resamples = 4000, int seed = 1) =>
        [.. results.Programs.SelectMany(p => p.Methods.Keys).Distinct(StringComparer.Ordinal)
            .Select(name => Row(name, [.. results.Programs.Select(p => p.Methods.GetValueOrDefault(name)).Where(m => m is not null).Select(m => m!)], resamples, seed))];

    /// <summary>One row: the geomean of the programs' ratios with a percentile-bootstrap 95% interval over programs.</summary>
    public static VariantSuiteRow Row(string name, IReadOnlyList<VariantMeasurement> ms, int resamples = 4000, int seed = 1)
    {
        var logs = ms.Select(m => Math.Log(m.Ratio)).ToArray();
        var random = new Random(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < logs.Length; i++) sum += logs[random.Next(logs.Length)];
            means[r] = sum / logs.Length;
        }
        Array.Sort(means);
        return new VariantSuiteRow(name, ms.Count, Math.Exp(logs.Average()), Math.Exp(TimingStatistics.Percentile(means, 0.025)),
            Math.Exp(TimingStatistics.Percentile(means, 0.975)), ms.Count(m => m.Verdict == "faster"), ms.Count(m => m.Verdict == "slower"),
            ms.Max(m => m.Ratio), ms.Min(m => m.Ratio));
    }

    /// <summary>The rows as a Markdown table.</summary>
    public static string Markdown(IReadOnlyList<VariantSuiteRow> rows)
    {
        var sb = new StringBuilder("| variant | programs | geomean vs -O3 | 95% interval (programs) | faster | slower | best | worst |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Variant} | {r.Programs} | {r.Geomean:F3}x | [{r.Low:F3}, {r.High:F3}] | {r.Faster} | {r.Slower} | {r.Best:F3}x | {r.Worst:F3}x |\n"));
        return sb.ToString();
    }
}
