using CompilerLLM.Lab.Variants;
using CompilerLLM.Variants;

namespace CompilerLLM.Training.Tests.Variants;

/// <summary>
/// SYNTHETIC test data (generated, never measured; <see cref="VariantDataset.Synthetic"/> is set so the trainer refuses to
/// ship a model from it). Half the programs are "loopy" (every unit has a high <c>unit.in.loops.fraction</c>) and there
/// unroll is planted as the best variant; in the others every variant is slower than base. Profiles (and so the pgo
/// variants) on every third program. <paramref name="shuffleRewards"/> hands each program another program's
/// measurements, which breaks the link between features and reward. The records are the lab's, every field filled as
/// the lab writes it, so the data reads like a measured file apart from the flag.
/// </summary>
internal static class SyntheticVariantDataset
{
    public static readonly int LoopFeature = VariantFeatures.UnitNames.ToList().IndexOf("unit.in.loops.fraction");

    public static bool IsLoopy(int program) => program % 2 == 0;

    public static VariantDataset Create(int programs, int units, int seed, bool shuffleRewards = false, IReadOnlyList<string>? measured = null, int profileEvery = 3)
    {
        var rng = new Random(seed);
        var records = new List<ProgramRecord>();
        var measurements = new List<Dictionary<string, VariantMeasurement>>();
        for (int p = 0; p < programs; p++)
        {
            bool loopy = IsLoopy(p), profiled = p % profileEvery == 0;
            var unitRecords = new List<UnitRecord>();
            double[] shares = [.. Enumerable.Range(0, units).Select(_ => rng.NextDouble() + 0.05)];
            for (int u = 0; u < units; u++)
            {
                var f = new float[VariantFeatures.UnitWidth];
                for (int k = 0; k < f.Length; k++) f[k] = (float)rng.NextDouble();
                f[0] = (float)(8 + 4 * rng.NextDouble());
                f[LoopFeature] = (float)(loopy ? 0.7 + 0.3 * rng.NextDouble() : 0.3 * rng.NextDouble());
                f[15] = profiled ? 1 : 0;
                if (!profiled) for (int k = 16; k < 20; k++) f[k] = 0;
                unitRecords.Add(new UnitRecord($"src/p{p}/u{u}.c", f, profiled ? shares[u] / shares.Sum() : 0, 100 + rng.Next(5000),
                    VariantFeatures.Variants.ToDictionary(v => v.Name, _ => 1e6 * (0.9 + 0.2 * rng.NextDouble()))));
            }
            var variants = new Dictionary<string, VariantMeasurement>();
            foreach (var v in VariantFeatures.Variants)
            {
                if ((v.NeedsProfile && !profiled) || (measured is not null && !measured.Contains(v.Name))) continue;
                double log = v == VariantTable.Base ? 0
                    : v.Name == "unroll" && loopy ? 0.08 + 0.01 * rng.NextDouble()
                    : -0.02 - 0.02 * rng.NextDouble();
                variants[v.Name] = Measurement(log);
            }
            measurements.Add(variants);
            records.Add(new ProgramRecord($"synthetic{p}", "synthetic", unitRecords, variants));
        }
        if (shuffleRewards)
        {
            // A fixed derangement that pairs programs of different kinds where it can: program p gets p+1's measurements.
            var shuffled = records.Select((r, p) => r with { Variants = Compatible(measurements[(p + 1) % programs], p % profileEvery == 0) }).ToList();
            records = shuffled;
        }
        return new VariantDataset(VariantDataset.SchemaName, VariantFeatures.Version, VariantFeatures.UnitNames,
            measured ?? [.. VariantFeatures.Variants.Select(v => v.Name)], "-O3",
            new MachineRecord(Cores: 2, LoadAverageStart: 0, LoadAverageEnd: 0, Date: "synthetic"),
            new ProtocolRecord(Rounds: 1, LayoutRandomization: [], Statistic: "synthetic: planted ratios, never timed", NoiseMargin: 0.02, EstimateWeights: "synthetic"),
            new NoiseRecord(0.011, 0.03, programs), records)
        { Synthetic = true };
    }

    private static VariantMeasurement Measurement(double log) =>
        new(Math.Exp(log), Math.Exp(log - 0.01), Math.Exp(log + 0.01), [log], TextBytes: 1000, OutputOk: true);

    // Another program's measurements, with the profile variants kept only where this program has a profile.
    private static Dictionary<string, VariantMeasurement> Compatible(Dictionary<string, VariantMeasurement> m, bool profiled) =>
        m.Where(kv => profiled || VariantTable.Find(kv.Key)?.NeedsProfile != true)
         .Concat(profiled ? VariantFeatures.Variants.Where(v => v.NeedsProfile && !m.ContainsKey(v.Name))
             .Select(v => KeyValuePair.Create(v.Name, new VariantMeasurement(0.98, 0.97, 0.99, [Math.Log(0.98)], TextBytes: 1000, OutputOk: true))) : [])
         .ToDictionary();
}
