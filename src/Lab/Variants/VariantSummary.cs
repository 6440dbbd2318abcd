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
            if (ms.Count == 0) continue;
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
            rows.Add(new VariantSuiteRow(name, ms.Count, Math.Exp(logs.Average()), Math.Exp(TimingStatistics.Percentile(means, 0.025)),
                Math.Exp(TimingStatistics.Percentile(means, 0.975)), ms.Count(m => m.Verdict == "faster"), ms.Count(m => m.Verdict == "slower"),
                ms.Max(m => m.Ratio), ms.Min(m => m.Ratio)));
        }
        return rows;
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
