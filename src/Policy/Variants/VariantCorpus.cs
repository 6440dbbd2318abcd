using CompilerLLM.Lab.Variants;
using CompilerLLM.Variants;

namespace CompilerLLM.Training.Variants;

/// <summary>Where the profile part of a unit's features is (<c>profile.present</c> … <c>profile.share</c>).</summary>
internal static class ProfileFeatures
{
    public static int Start { get; } = VariantFeatures.UnitNames.ToList().IndexOf("profile.present");

    public static int Count { get; } = VariantFeatures.UnitNames.Count(n => n.StartsWith("profile.", StringComparison.Ordinal));
}

/// <summary>The lab's dataset checked against this build's feature schema and prepared for training and evaluation.</summary>
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

    /// <summary>Reads a dataset file into a corpus; <see cref="InvalidDataException"/> naming the file for anything wrong with it.</summary>
    public static VariantCorpus Load(string path)
    {
        // Load's message names the file; the feature-schema checks' do not.
        var dataset = VariantDataset.Load(path);
        try
        {
            return From(dataset);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks the feature schema (the file's schema is <see cref="VariantDataset.Load"/>'s) and prepares every program;
    /// <see cref="InvalidDataException"/> naming the first problem.
    /// </summary>
    public static VariantCorpus From(VariantDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
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
                if (u.Features.Count != VariantFeatures.UnitWidth)
                    throw new InvalidDataException($"{p.Name}/{u.Source}: {u.Features.Count} features, expected {VariantFeatures.UnitWidth}");
                if (!u.Features.All(float.IsFinite))
                    throw new InvalidDataException($"{p.Name}/{u.Source}: a feature is not a finite number");
                // Profile shares when the program has a profile (units that never ran weigh nothing), else code size.
                double weight = shares > 0 ? Math.Max(0, u.ProfileShare) / shares
                    : instructions > 0 ? Math.Max(0, u.Instructions) / instructions : 1.0 / p.Units.Count;
                bool profiled = u.Features[profileFeature] > 0;
                int[] candidates = [.. Enumerable.Range(0, n).Where(j => double.IsFinite(log[j]) && (profiled || !Variants[j].NeedsProfile))];
                var cycles = new double[n];
                for (int j = 0; j < n; j++)
                    cycles[j] = u.EstimatedCycles.TryGetValue(Variants[j].Name, out double v) ? v : double.NaN;
                units.Add(new VariantUnit(u.Source, [.. u.Features], weight, candidates, cycles));
            }
            programs.Add(new VariantProgram(id, p.Name, units, log, low, high, p.Mixed ?? []));
        }
        return new VariantCorpus(dataset, programs);
    }
}
