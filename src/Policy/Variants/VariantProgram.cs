using CompilerLLM.Lab.Variants;
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
