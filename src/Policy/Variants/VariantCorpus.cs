using CompilerLLM.Variants;

namespace CompilerLLM.Training.Variants;

/// <summary>A unit as the trainer sees it.</summary>
/// <param name="Source">The unit's source path (the key of assignments).</param>
/// <param name="Features">The unit part of <see cref="VariantFeatures"/>' rows.</param>
/// <param name="Weight">The unit's share of the program's proxy reward (sums to 1 over the program's units).</param>
/// <param name="Candidates">Indices into <see cref="VariantFeatures.Variants"/> the unit may take, base (0) first: measured
/// for the program, output correct, and profile variants only for a unit with a profile.</param>
/// <param name="Cycles">The engine's static cost estimate per variant index (NaN when missing).</param>
public sealed record VariantUnit(string Source, float[] Features, double Weight, int[] Candidates, double[] Cycles)
{
    /// <summary>Units lighter than this are left on base while training: their choice moves the proxy by less than 0.1% of
    /// the program's log ratio, and they would only add noise to the credit of the others (and rows to every pass).</summary>
    public const double DecisionWeight = 1e-3;

    /// <summary>True when the choice matters to the reward: the unit carries weight and has something besides base.</summary>
    public bool IsDecision => Weight >= DecisionWeight && Candidates.Length > 1;
}

/// <summary>
/// One measured program: its units and, per variant index, the log speedup of the whole program over base and its
/// interval (NaN when the variant was not measured). The proxy reward of a per-unit assignment is
/// Σ_u w_u · log ratio(variant of u), exact for uniform assignments.
/// </summary>
public sealed class VariantProgram
{
    public VariantProgram(int id, string name, IReadOnlyList<VariantUnit> units, double[] logRatio, double[] logLow, double[] logHigh, IReadOnlyList<MixedRecord> mixed)
    {
        Id = id;
        Name = name;
        Units = units;
        LogRatio = logRatio;
        LogLow = logLow;
        LogHigh = logHigh;
        Mixed = mixed;
        Embedding = [.. logRatio.Select(r => double.IsFinite(r) ? (float)r : 0f)];
    }

    /// <summary>The program's index in the dataset (a stable coordinate for seeds).</summary>
    public int Id { get; }
    public string Name { get; }
    public IReadOnlyList<VariantUnit> Units { get; }
    public double[] LogRatio { get; }
    public double[] LogLow { get; }
    public double[] LogHigh { get; }
    public IReadOnlyList<MixedRecord> Mixed { get; }

    /// <summary>The program's reaction to the variants (its measured log ratios, 0 where unmeasured): CG-MN's similarity.</summary>
    public float[] Embedding { get; }

    /// <summary>The proxy log speedup of an assignment (variant index per unit).</summary>
    public double Proxy(ReadOnlySpan<int> assignment) => Sum(assignment, LogRatio);

    /// <summary>The proxy over the variants' measured intervals: exact intervals for uniform assignments.</summary>
    public (double Low, double High) ProxyInterval(ReadOnlySpan<int> assignment) => (Sum(assignment, LogLow), Sum(assignment, LogHigh));

    /// <summary>True when some unit has a profile (so the profile variants could be offered).</summary>
    public bool HasProfile => Units.Any(u => u.Features[ProfileFeatures.Start] > 0);

    /// <summary>
    /// The same program as a build without a profile sees it: the profile features cleared, no profile variants. The
    /// measured ratios of the other variants do not depend on a profile, so the proxy reward stays exact for them; the
    /// weights stay the profile's (the work is where it is whether or not the build knows it).
    /// </summary>
    public VariantProgram WithoutProfile() => new(Id + ProfileFreeIdOffset, Name, [.. Units.Select(u =>
    {
        float[] f = (float[])u.Features.Clone();
        Array.Clear(f, ProfileFeatures.Start, ProfileFeatures.Count);
        return u with { Features = f, Candidates = [.. u.Candidates.Where(j => !VariantCorpus.Variants[j].NeedsProfile)] };
    })], LogRatio, LogLow, LogHigh, []);

    /// <summary>Added to <see cref="Id"/> for the profile-free view (a distinct coordinate for its seeds).</summary>
    public const int ProfileFreeIdOffset = 1 << 20;

    /// <summary>Every unit on <paramref name="variant"/> where it is a candidate, else base.</summary>
    public int[] Uniform(int variant) => [.. Units.Select(u => u.Candidates.Contains(variant) ? variant : 0)];

    private double Sum(ReadOnlySpan<int> assignment, double[] perVariant)
    {
        if (assignment.Length != Units.Count) throw new ArgumentException($"{Name}: {assignment.Length} choices for {Units.Count} units");
        double s = 0;
        for (int u = 0; u < Units.Count; u++)
        {
            if (Units[u].Weight == 0) continue;
            if (!Units[u].Candidates.Contains(assignment[u])) throw new ArgumentException($"{Name}: {Units[u].Source} cannot take variant {assignment[u]}");
            s += Units[u].Weight * perVariant[assignment[u]];
        }
        return s;
    }
}

/// <summary>Where the profile part of a unit's features is (<c>profile.present</c> … <c>profile.share</c>).</summary>
internal static class ProfileFeatures
{
    public static int Start { get; } = VariantFeatures.UnitNames.ToList().IndexOf("profile.present");

    public static int Count { get; } = VariantFeatures.UnitNames.Count(n => n.StartsWith("profile.", StringComparison.Ordinal));
}

/// <summary>The dataset checked against this build's feature schema and prepared for training and evaluation.</summary>
public sealed class VariantCorpus
{
    private VariantCorpus(VariantDataset dataset, IReadOnlyList<VariantProgram> programs)
    {
        Dataset = dataset;
        Programs = programs;
    }

    public VariantDataset Dataset { get; }
    public IReadOnlyList<VariantProgram> Programs { get; }

    /// <summary>The variants in row order (<see cref="VariantFeatures.Variants"/>).</summary>
    public static IReadOnlyList<CompileVariant> Variants => VariantFeatures.Variants;

    public static int IndexOf(string variant)
    {
        for (int i = 0; i < Variants.Count; i++) if (Variants[i].Name == variant) return i;
        return -1;
    }

    /// <summary>Checks the schema and prepares every program; <see cref="InvalidDataException"/> naming the first problem.</summary>
    public static VariantCorpus From(VariantDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.SchemaName is { } schema && schema != VariantDataset.Schema)
            throw new InvalidDataException($"schema '{schema}', expected '{VariantDataset.Schema}'");
        if (dataset.FeatureVersion != VariantFeatures.Version)
            throw new InvalidDataException($"feature version {dataset.FeatureVersion}, this build uses {VariantFeatures.Version}");
        if (!dataset.UnitFeatureNames.SequenceEqual(VariantFeatures.UnitNames))
            throw new InvalidDataException("the unit feature names differ from this build's VariantFeatures.UnitNames");
        foreach (string v in dataset.Variants)
            if (IndexOf(v) < 0) throw new InvalidDataException($"variant '{v}' is not one the policy scores");
        int profileFeature = ProfileFeatures.Start;
        var programs = new List<VariantProgram>();
        for (int id = 0; id < dataset.Programs.Count; id++)
        {
            var p = dataset.Programs[id];
            int n = Variants.Count;
            double[] log = new double[n], low = new double[n], high = new double[n];
            Array.Fill(log, double.NaN);
            Array.Fill(low, double.NaN);
            Array.Fill(high, double.NaN);
            log[0] = low[0] = high[0] = 0; // base is the reference
            foreach (var (name, m) in p.Variants)
            {
                int j = IndexOf(name);
                if (j <= 0 || !m.OutputOk || !(m.Ratio > 0)) continue;
                log[j] = Math.Log(m.Ratio);
                low[j] = m.Low > 0 ? Math.Log(m.Low) : log[j];
                high[j] = m.High > 0 ? Math.Log(m.High) : log[j];
            }
            if (p.Units.Count == 0) throw new InvalidDataException($"{p.Name}: no units");
            double shares = p.Units.Sum(u => Math.Max(0, u.ProfileShare));
            double instructions = p.Units.Sum(u => (double)Math.Max(0, u.Instructions));
            var units = new List<VariantUnit>();
            foreach (var u in p.Units)
            {
                if (u.Features.Length != VariantFeatures.UnitWidth)
                    throw new InvalidDataException($"{p.Name}/{u.Source}: {u.Features.Length} features, expected {VariantFeatures.UnitWidth}");
                if (!u.Features.All(float.IsFinite))
                    throw new InvalidDataException($"{p.Name}/{u.Source}: a feature is not a finite number");
                // Profile shares when the program has a profile (units that never ran weigh nothing), else code size.
                double weight = shares > 0 ? Math.Max(0, u.ProfileShare) / shares
                    : instructions > 0 ? Math.Max(0, u.Instructions) / instructions : 1.0 / p.Units.Count;
                bool profiled = u.Features[profileFeature] > 0;
                int[] candidates = [.. Enumerable.Range(0, n).Where(j => double.IsFinite(log[j]) && (profiled || !Variants[j].NeedsProfile))];
                var cycles = new double[n];
                for (int j = 0; j < n; j++)
                    cycles[j] = u.EstimatedCycles is { } c && c.TryGetValue(Variants[j].Name, out double v) ? v : double.NaN;
                units.Add(new VariantUnit(u.Source, u.Features, weight, candidates, cycles));
            }
            programs.Add(new VariantProgram(id, p.Name, units, log, low, high, p.Mixed ?? []));
        }
        return new VariantCorpus(dataset, programs);
    }
}
