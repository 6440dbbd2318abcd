using CompilerLLM.Training.Variants;
using CompilerLLM.Variants;

namespace CompilerLLM.Training.Tests.Variants;

/// <summary>
/// SYNTHETIC test data (generated, never measured; <see cref="VariantDataset.Synthetic"/> is set so the trainer refuses to
/// ship a model from it). Half the programs are "loopy" (every unit has a high <c>unit.in.loops.fraction</c>) and there
/// unroll is planted as the best variant; in the others every variant is slower than base. Profiles (and so the pgo
/// variants) on every third program. <paramref name="shuffleRewards"/> hands each program another program's
/// measurements, which breaks the link between features and reward.
/// </summary>
internal static class SyntheticVariantDataset
{
    public static readonly int LoopFeature = VariantFeatures.UnitNames.ToList().IndexOf("unit.in.loops.fraction");

    public static bool IsLoopy(int program) => program % 2 == 0;

    public static VariantDataset Create(int programs, int units, int seed, bool shuffleRewards = false, IReadOnlyList<string>? measured = null, int profileEvery = 3)
    {
        var rng = new Random(seed);
        var records = new List<ProgramRecord>();
        var measurements = new List<Dictionary<string, MeasurementRecord>>();
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
                unitRecords.Add(new UnitRecord
                {
                    Source = $"src/p{p}/u{u}.c",
                    Features = f,
                    ProfileShare = profiled ? shares[u] / shares.Sum() : 0,
                    Instructions = 100 + rng.Next(5000),
                    EstimatedCycles = VariantFeatures.Variants.ToDictionary(v => v.Name, _ => 1e6 * (0.9 + 0.2 * rng.NextDouble())),
                });
            }
            var variants = new Dictionary<string, MeasurementRecord>();
            foreach (var v in VariantFeatures.Variants)
            {
                if ((v.NeedsProfile && !profiled) || (measured is not null && !measured.Contains(v.Name))) continue;
                double log = v == VariantTable.Base ? 0
                    : v.Name == "unroll" && loopy ? 0.08 + 0.01 * rng.NextDouble()
                    : -0.02 - 0.02 * rng.NextDouble();
                variants[v.Name] = new MeasurementRecord { Ratio = Math.Exp(log), Low = Math.Exp(log - 0.01), High = Math.Exp(log + 0.01), TextBytes = 1000, OutputOk = true };
            }
            measurements.Add(variants);
            records.Add(new ProgramRecord { Name = $"synthetic{p}", Units = unitRecords, Variants = variants });
        }
        if (shuffleRewards)
        {
            // A fixed derangement that pairs programs of different kinds where it can: program p gets p+1's measurements.
            var shuffled = records.Select((r, p) => r with { Variants = Compatible(measurements[(p + 1) % programs], p % profileEvery == 0) }).ToList();
            records = shuffled;
        }
        return new VariantDataset
        {
            SchemaName = VariantDataset.Schema,
            FeatureVersion = VariantFeatures.Version,
            UnitFeatureNames = VariantFeatures.UnitNames,
            Variants = measured ?? [.. VariantFeatures.Variants.Select(v => v.Name)],
            BaseFlags = "-O3",
            AaNoise = new NoiseRecord(0.011, 0.03),
            Programs = records,
            Synthetic = true,
        };
    }

    // Another program's measurements, with the profile variants kept only where this program has a profile.
    private static Dictionary<string, MeasurementRecord> Compatible(Dictionary<string, MeasurementRecord> m, bool profiled) =>
        m.Where(kv => profiled || VariantTable.Find(kv.Key)?.NeedsProfile != true)
         .Concat(profiled ? VariantFeatures.Variants.Where(v => v.NeedsProfile && !m.ContainsKey(v.Name))
             .Select(v => KeyValuePair.Create(v.Name, new MeasurementRecord { Ratio = 0.98, Low = 0.97, High = 0.99 })) : [])
         .ToDictionary();
}
