using System.Globalization;
using System.Text;

namespace CompilerLLM.Training.Variants;

/// <summary>How one method's assignments fare on the measured data.</summary>
/// <param name="Geomean">Geometric mean over programs of the proxy speedup over base.</param>
/// <param name="Slower">Programs whose proxy interval lies entirely below 0.98.</param>
/// <param name="Faster">Programs whose proxy interval lies entirely above 1.02.</param>
/// <param name="Changed">Programs where the method changed at least one weighted unit.</param>
public sealed record MethodScore(string Name, double Geomean, int Slower, int Faster, int Changed, int Programs, double[] PerProgram);

/// <summary>Scores and tables of the variant methods.</summary>
public static class VariantEvaluation
{
    /// <summary>"Slower beyond noise": the whole interval below this speedup.</summary>
    public const double SlowerBound = 0.98;

    /// <summary>"Faster beyond noise": the whole interval above this speedup.</summary>
    public const double FasterBound = 1.02;

    public static MethodScore Score(string name, IReadOnlyList<VariantProgram> programs, int[][] assignments)
    {
        int slower = 0, faster = 0, changed = 0;
        var per = new double[programs.Count];
        for (int i = 0; i < programs.Count; i++)
        {
            var p = programs[i];
            per[i] = p.Proxy(assignments[i]);
            var (low, high) = p.ProxyInterval(assignments[i]);
            if (high < Math.Log(SlowerBound)) slower++;
            if (low > Math.Log(FasterBound)) faster++;
            if (p.Units.Where((u, k) => u.Weight > 0 && assignments[i][k] != 0).Any()) changed++;
        }
        return new MethodScore(name, programs.Count == 0 ? 1 : Math.Exp(per.Average()), slower, faster, changed, programs.Count, per);
    }

    public static string Table(IEnumerable<MethodScore> scores)
    {
        var sb = new StringBuilder("| method | geomean speedup (proxy) | slower beyond noise (< 0.98) | faster beyond noise (> 1.02) | programs changed |\n|---|---:|---:|---:|---:|\n");
        foreach (var s in scores)
            sb.Append(CultureInfo.InvariantCulture, $"| {s.Name} | {s.Geomean:0.0000}x | {s.Slower}/{s.Programs} | {s.Faster}/{s.Programs} | {s.Changed}/{s.Programs} |\n");
        return sb.ToString();
    }

    /// <summary>Spearman's rank correlation (average ranks for ties); NaN for fewer than 3 pairs or no spread.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException("x and y differ in length");
        if (x.Count < 3) return double.NaN;
        double[] rx = Ranks(x), ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    private static double[] Ranks(IReadOnlyList<double> v)
    {
        var order = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
        var ranks = new double[v.Count];
        for (int a = 0; a < order.Length;)
        {
            int b = a;
            while (b + 1 < order.Length && v[order[b + 1]] == v[order[a]]) b++;
            for (int k = a; k <= b; k++) ranks[order[k]] = (a + b) / 2.0 + 1;
            a = b + 1;
        }
        return ranks;
    }

    /// <summary>(proxy, measured log ratio) of every measured mixed assignment whose units are all known.</summary>
    public static List<(string Program, double Proxy, double Measured)> MixedPairs(IReadOnlyList<VariantProgram> programs)
    {
        var pairs = new List<(string, double, double)>();
        foreach (var p in programs)
            foreach (var m in p.Mixed)
            {
                if (!(m.Ratio > 0)) continue;
                var assignment = new int[p.Units.Count];
                bool known = true;
                foreach (var (source, variant) in m.Assignment)
                {
                    int u = p.Units.ToList().FindIndex(x => x.Source == source), j = VariantCorpus.IndexOf(variant);
                    if (u < 0 || j < 0 || !p.Units[u].Candidates.Contains(j)) { known = false; break; }
                    assignment[u] = j;
                }
                if (known) pairs.Add((p.Name, p.Proxy(assignment), Math.Log(m.Ratio)));
            }
        return pairs;
    }
}
