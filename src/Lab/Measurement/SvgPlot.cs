using CompilerLLM.Timing;
using System.Globalization;
using System.Net;
using System.Text;

namespace CompilerLLM.Lab.Measurement;

/// <summary>One program's speedup with its interval and verdict, for <see cref="SvgPlot.IntervalBars"/>.</summary>
public sealed record SpeedupPoint(string Name, double Speedup, double Low, double High, TimingVerdict Verdict);

/// <summary>
/// The two plots of the evaluation report, written as plain SVG (no plotting library is available on
/// our package mirror): a histogram of speedups and per-program bars with 95% intervals. Both draw a
/// reference line at 1.0 (no change). Output depends only on the data (invariant culture, fixed sizes).
/// </summary>
public static class SvgPlot
{
    private const int Width = 720;

    /// <summary>How many programs fall in each speedup bin (bins of 1% around 1.0, widened to cover every value).</summary>
    public static string Histogram(IReadOnlyList<double> speedups, string title = "Speedup distribution")
    {
        const int height = 300, left = 50, right = 20, top = 40, bottom = 50;
        var svg = Begin(Width, height, title);
        if (speedups.Count == 0) return Empty(svg, Width, height);
        double lo = Math.Min(0.95, speedups.Min()), hi = Math.Max(1.05, speedups.Max());
        const int bins = 20;
        double step = (hi - lo) / bins;
        var counts = new int[bins];
        foreach (var s in speedups) counts[Math.Clamp((int)((s - lo) / step), 0, bins - 1)]++;
        int max = Math.Max(1, counts.Max());
        double plotW = Width - left - right, plotH = height - top - bottom;
        double X(double v) => left + (v - lo) / (hi - lo) * plotW;
        double Y(double c) => top + plotH - c / max * plotH;
        for (int b = 0; b < bins; b++)
        {
            if (counts[b] == 0) continue;
            double x0 = X(lo + b * step), x1 = X(lo + (b + 1) * step);
            svg.Append(F($"<rect x=\"{x0:F1}\" y=\"{Y(counts[b]):F1}\" width=\"{Math.Max(1, x1 - x0 - 1):F1}\" height=\"{top + plotH - Y(counts[b]):F1}\" fill=\"#4a7bb7\"><title>{lo + b * step:F3}–{lo + (b + 1) * step:F3}: {counts[b]}</title></rect>\n"));
        }
        Axes(svg, left, top, plotW, plotH);
        for (int t = 0; t <= 4; t++)
        {
            double v = lo + t * (hi - lo) / 4;
            svg.Append(F($"<text x=\"{X(v):F1}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{v:F2}x</text>\n"));
        }
        svg.Append(F($"<text x=\"{left - 8}\" y=\"{top + 4}\" text-anchor=\"end\">{max}</text>\n"));
        svg.Append(F($"<text x=\"{left - 8}\" y=\"{top + plotH}\" text-anchor=\"end\">0</text>\n"));
        Reference(svg, X(1.0), top, top + plotH);
        svg.Append(F($"<text x=\"{left + plotW / 2:F1}\" y=\"{height - 10}\" text-anchor=\"middle\">speedup (baseline time / our time)</text>\n"));
        return End(svg);
    }

    /// <summary>One horizontal bar per program from 1.0 to its speedup, with its interval as a whisker; green faster, red slower, grey no measurable change.</summary>
    public static string IntervalBars(IReadOnlyList<SpeedupPoint> points, string title = "Speedup per program (95% interval)")
    {
        const int left = 170, right = 30, top = 40, bottom = 40, row = 22;
        int height = top + bottom + Math.Max(1, points.Count) * row;
        var svg = Begin(Width, height, title);
        if (points.Count == 0) return Empty(svg, Width, height);
        double lo = Math.Min(0.95, points.Min(p => Math.Min(p.Low, p.Speedup))), hi = Math.Max(1.05, points.Max(p => Math.Max(p.High, p.Speedup)));
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        double plotW = Width - left - right, plotH = points.Count * row;
        double X(double v) => left + (v - lo) / (hi - lo) * plotW;
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            double y = top + i * row + row / 2.0;
            double x1 = X(1.0), xs = X(p.Speedup);
            string color = p.Verdict switch { TimingVerdict.Faster => "#3a9a4a", TimingVerdict.Slower => "#c0392b", _ => "#8f8f8f" };
            svg.Append(F($"<rect x=\"{Math.Min(x1, xs):F1}\" y=\"{y - 7:F1}\" width=\"{Math.Max(1, Math.Abs(xs - x1)):F1}\" height=\"14\" fill=\"{color}\" opacity=\"0.75\"><title>{Escape(p.Name)}: {p.Speedup:F3}x [{p.Low:F3}, {p.High:F3}]</title></rect>\n"));
            svg.Append(F($"<line x1=\"{X(p.Low):F1}\" y1=\"{y:F1}\" x2=\"{X(p.High):F1}\" y2=\"{y:F1}\" stroke=\"black\" stroke-width=\"1.5\"/>\n"));
            svg.Append(F($"<line x1=\"{X(p.Low):F1}\" y1=\"{y - 5:F1}\" x2=\"{X(p.Low):F1}\" y2=\"{y + 5:F1}\" stroke=\"black\"/>\n"));
            svg.Append(F($"<line x1=\"{X(p.High):F1}\" y1=\"{y - 5:F1}\" x2=\"{X(p.High):F1}\" y2=\"{y + 5:F1}\" stroke=\"black\"/>\n"));
            svg.Append(F($"<text x=\"{left - 8}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Escape(Shorten(p.Name))}</text>\n"));
        }
        Axes(svg, left, top, plotW, plotH);
        for (int t = 0; t <= 4; t++)
        {
            double v = lo + t * (hi - lo) / 4;
            svg.Append(F($"<text x=\"{X(v):F1}\" y=\"{top + plotH + 18:F1}\" text-anchor=\"middle\">{v:F3}x</text>\n"));
        }
        Reference(svg, X(1.0), top, top + plotH);
        return End(svg);
    }

    private static StringBuilder Begin(int width, int height, string title)
    {
        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(F($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(F($"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n"));
        return svg;
    }

    private static string Empty(StringBuilder svg, int width, int height)
    {
        svg.Append(F($"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\">no timed programs</text>\n"));
        return End(svg);
    }

    private static void Axes(StringBuilder svg, double left, double top, double w, double h)
    {
        svg.Append(F($"<line x1=\"{left:F1}\" y1=\"{top + h:F1}\" x2=\"{left + w:F1}\" y2=\"{top + h:F1}\" stroke=\"black\"/>\n"));
        svg.Append(F($"<line x1=\"{left:F1}\" y1=\"{top:F1}\" x2=\"{left:F1}\" y2=\"{top + h:F1}\" stroke=\"black\"/>\n"));
    }

    private static void Reference(StringBuilder svg, double x, double y0, double y1) =>
        svg.Append(F($"<line x1=\"{x:F1}\" y1=\"{y0:F1}\" x2=\"{x:F1}\" y2=\"{y1:F1}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>\n"));

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static string Shorten(string name) => name.Length <= 24 ? name : name[..23] + "…";

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
