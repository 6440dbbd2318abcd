using System.Globalization;
using System.Net;
using System.Text;

namespace CompilerLLM.Training.Episodes;

/// <summary>A named way of choosing and how it did on the validation split.</summary>
public sealed record PolicyScore(string Name, double Saved, double MeanRelative, int Applied);

/// <summary>One line of a curve plot.</summary>
public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>Markdown tables and SVG line charts of training runs (our own small writer: no plotting library is on the mirror).</summary>
public static class TrainingReport
{
    private static readonly string[] Colors = ["#4a7bb7", "#d9534f", "#5cb85c", "#f0ad4e", "#8e6cc0", "#777777"];

    public static string Table(IReadOnlyList<PolicyScore> scores, string reference = "apply-all")
    {
        var baseline = scores.FirstOrDefault(s => s.Name == reference);
        var sb = new StringBuilder("| policy | applied | weighted cycles saved | mean % of function cycles saved | vs " + reference + " |\n|---|---:|---:|---:|---:|\n");
        foreach (var s in scores)
        {
            string versus = baseline is null || baseline.Saved == 0 ? "n/a" : $"{s.Saved / baseline.Saved:0.000}x";
            sb.Append(CultureInfo.InvariantCulture, $"| {s.Name} | {s.Applied} | {s.Saved:0.#} | {s.MeanRelative:0.0000} | {versus} |\n");
        }
        return sb.ToString();
    }

    public static string Lines(IReadOnlyList<Series> series, string title, string xLabel, string yLabel)
    {
        const int width = 720, height = 360, left = 70, right = 150, top = 40, bottom = 50;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{WebUtility.HtmlEncode(title)}</text>\n");
        var all = series.SelectMany(s => s.Points).ToList();
        if (all.Count == 0) return svg.Append("</svg>\n").ToString();
        double x0 = all.Min(p => p.X), x1 = Math.Max(all.Max(p => p.X), x0 + 1);
        double y0 = all.Min(p => p.Y), y1 = all.Max(p => p.Y);
        if (y1 - y0 < 1e-12) { y0 -= 1; y1 += 1; }
        double pad = (y1 - y0) * 0.05;
        y0 -= pad; y1 += pad;
        double plotW = width - left - right, plotH = height - top - bottom;
        double X(double v) => left + (v - x0) / (x1 - x0) * plotW;
        double Y(double v) => top + plotH - (v - y0) / (y1 - y0) * plotH;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#333\"/>\n");
        for (int t = 0; t <= 4; t++)
        {
            double xv = x0 + t * (x1 - x0) / 4, yv = y0 + t * (y1 - y0) / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(xv):F1}\" y=\"{top + plotH + 16}\" text-anchor=\"middle\">{xv:0.##}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{Y(yv) + 4:F1}\" text-anchor=\"end\">{yv:0.####}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW / 2:F1}\" y=\"{height - 12}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(xLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{top + plotH / 2:F1}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {top + plotH / 2:F1})\">{WebUtility.HtmlEncode(yLabel)}</text>\n");
        for (int s = 0; s < series.Count; s++)
        {
            string color = Colors[s % Colors.Length];
            var points = string.Join(" ", series[s].Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):F1},{Y(p.Y):F1}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW + 10}\" y=\"{top + 14 + 16 * s}\" fill=\"{color}\">{WebUtility.HtmlEncode(series[s].Name)}</text>\n");
        }
        return svg.Append("</svg>\n").ToString();
    }
}
