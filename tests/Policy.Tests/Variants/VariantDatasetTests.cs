using CompilerLLM.Lab.Variants;
using CompilerLLM.Toolchain;
using CompilerLLM.Training.Variants;

namespace CompilerLLM.Training.Tests.Variants;

/// <summary>Reading the lab's dataset: the contract's JSON, the proxy reward, the schema checks, Load's errors.</summary>
public sealed class VariantDatasetTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-variant-dataset-");

    public void Dispose() => _temp.Dispose();

    // Shaped as the lab writes it: every field present, the optional ones (aa, verdict, failed, …) left out.
    private const string Json = """
        {
          "schema": "compilerllm.variant-dataset/1",
          "featureVersion": 1,
          "unitFeatureNames": [FEATURES],
          "variants": ["base","unroll","pgo","pgo-unroll","novec","vect-cheap","align32","ipa-pta"],
          "baseFlags": "-O3",
          "machine": { "cores": 2, "loadAverageStart": 1.2, "loadAverageEnd": 1.5, "date": "2026-12-07" },
          "protocol": { "rounds": 7, "layoutRandomization": ["environment", "link-order"], "statistic": "median", "noiseMargin": 0.02, "estimateWeights": "static" },
          "aaNoise": { "medianAbsLogRatio": 0.011, "p90AbsLogRatio": 0.03, "programs": 1 },
          "programs": [
            { "name": "p", "package": "pkg",
              "units": [
                { "source": "a.c", "features": [ZEROS], "profileShare": 0, "instructions": 300,
                  "estimatedCycles": { "base": 100, "unroll": 90, "novec": 120 } },
                { "source": "b.c", "features": [ZEROS], "profileShare": 0, "instructions": 100, "estimatedCycles": {} } ],
              "variants": {
                "base": { "ratio": 1, "low": 1, "high": 1, "logRatios": [0, 0], "textBytes": 10, "outputOk": true },
                "unroll": { "ratio": 1.10, "low": 1.05, "high": 1.15, "logRatios": [0.1, 0.09], "textBytes": 12, "outputOk": true },
                "novec": { "ratio": 0.90, "low": 0.85, "high": 0.95, "logRatios": [-0.1, -0.11], "textBytes": 12, "outputOk": true },
                "align32": { "ratio": 1.50, "low": 1.4, "high": 1.6, "logRatios": [0.4, 0.41], "textBytes": 12, "outputOk": false } },
              "mixed": [ { "assignment": { "a.c": "unroll" }, "ratio": 1.07, "low": 1.0, "high": 1.1 } ] } ]
        }
        """;

    private static string Dataset() => Json
        .Replace("FEATURES", string.Join(",", CompilerLLM.Variants.VariantFeatures.UnitNames.Select(n => $"\"{n}\"")))
        .Replace("ZEROS", string.Join(",", Enumerable.Repeat("0", CompilerLLM.Variants.VariantFeatures.UnitWidth)));

    [Fact]
    public void TheContractsJsonReadsIntoTheProxyReward()
    {
        var program = VariantCorpus.From(Load(Dataset())).Programs.Single();
        int unroll = VariantCorpus.IndexOf("unroll"), novec = VariantCorpus.IndexOf("novec");
        // No profile: weights by instructions (3/4, 1/4); a variant whose output was wrong is no candidate; no pgo without a profile.
        Assert.Equal([0.75, 0.25], program.Units.Select(u => u.Weight));
        Assert.Equal([0, unroll, novec], program.Units[0].Candidates);
        Assert.Equal(Math.Log(1.10), program.Proxy(program.Uniform(unroll)), 12);
        Assert.Equal(0.75 * Math.Log(1.10) + 0.25 * Math.Log(0.90), program.Proxy([unroll, novec]), 12);
        var (low, high) = program.ProxyInterval(program.Uniform(novec));
        Assert.Equal((Math.Log(0.85), Math.Log(0.95)), (low, high));
        Assert.Equal(1, VariantEvaluation.Score("novec", [program], [program.Uniform(novec)]).Slower);
        // The cost model: unit a has the fewest estimated cycles on unroll; unit b has no estimates and stays base.
        Assert.Equal([unroll, 0], VariantMethods.CostModel([program])[0]);
        Assert.Equal([unroll, unroll], VariantMethods.Oracle([program])[0]);
        // Tune: unroll's interval [1.05, 1.15] clears base by a 2% margin, not by a 6% one (then the starting point stays).
        Assert.Equal([unroll, unroll], VariantMethods.Tune([program], 0.02)[0]);
        Assert.Equal([0, 0], VariantMethods.Tune([program], 0.06)[0]);
        // From a zero-shot choice of novec (0.90) on the heavy unit, unroll [1.05, 1.15] clears it even by 6%.
        Assert.Equal([unroll, unroll], VariantMethods.Tune([program], 0.06, [[novec, 0]])[0]);
        // From a zero-shot choice already at unroll on the heavy unit (proxy 0.75·log 1.10), unroll everywhere does not clear it by 2%.
        Assert.Equal([unroll, 0], VariantMethods.Tune([program], 0.02, [[unroll, 0]])[0]);
        // A zero-shot choice measured 10% slower than the project's flags, with no variant better than base: back to base.
        double[] Without(double[] x) { var c = (double[])x.Clone(); c[unroll] = double.NaN; return c; }
        var slower = new VariantProgram(1, "slower", [.. program.Units.Select(u => u with { Candidates = [0, novec] })],
            Without(program.LogRatio), Without(program.LogLow), Without(program.LogHigh), []);
        Assert.Equal([0, 0], VariantMethods.Tune([slower], 0.02, [[novec, novec]])[0]);
        Assert.Equal([novec, novec], VariantMethods.Tune([slower], 0.12, [[novec, novec]])[0]);
        var mixed = VariantEvaluation.MixedPairs([program]).Single();
        Assert.Equal(0.75 * Math.Log(1.10), mixed.Proxy, 12);
        Assert.Equal(Math.Log(1.07), mixed.Measured, 12);
    }

    [Fact]
    public void TheProfileFreeViewClearsTheProfileAndOffersNoProfileVariant()
    {
        var program = VariantCorpus.From(SyntheticVariantDataset.Create(1, 3, seed: 4, profileEvery: 1)).Programs.Single();
        Assert.True(program.HasProfile);
        var view = program.WithoutProfile();
        Assert.False(view.HasProfile);
        Assert.All(view.Units, u => Assert.All(u.Features.Skip(15), f => Assert.Equal(0f, f)));
        Assert.All(view.Units, u => Assert.DoesNotContain(u.Candidates, j => VariantCorpus.Variants[j].NeedsProfile));
        Assert.Contains(program.Units[0].Candidates, j => VariantCorpus.Variants[j].NeedsProfile);
        Assert.Equal(program.Proxy(program.Uniform(1)), view.Proxy(view.Uniform(1)), 12);
        Assert.NotEqual(program.Id, view.Id);
    }

    [Fact]
    public void ADatasetForAnotherFeatureSchemaIsRefused()
    {
        Assert.Throws<InvalidDataException>(() => VariantCorpus.From(Load(Dataset().Replace("\"featureVersion\": 1", "\"featureVersion\": 2"))));
        Assert.Throws<InvalidDataException>(() => VariantCorpus.From(Load(Dataset().Replace("unit.loop.depth.max", "unit.loop.depth"))));
    }

    [Fact]
    public void LoadNamesTheFileAndWhyItCannotBeRead()
    {
        string missing = _temp.File("missing.json");
        Assert.StartsWith($"{missing}: ", Assert.Throws<InvalidDataException>(() => VariantDataset.Load(missing)).Message);
        foreach (var (json, why) in new[]
        {
            ("{ \"schema\": ", "end of the JSON payload"),
            (Dataset().Replace("compilerllm.variant-dataset/1", "compilerllm.variant-dataset/2"), "schema 'compilerllm.variant-dataset/2'"),
            (Dataset().Replace("\"baseFlags\": \"-O3\",", ""), "baseFlags"),
            (Dataset().Replace(", \"estimatedCycles\": {}", ""), "estimatedCycles"),
        })
        {
            string path = Write(json);
            string message = Assert.Throws<InvalidDataException>(() => VariantDataset.Load(path)).Message;
            Assert.StartsWith($"{path}: ", message);
            Assert.True(message.Contains(why, StringComparison.Ordinal), message);
        }
    }

    [Fact]
    public void SpearmanIsTheRankCorrelation()
    {
        Assert.Equal(1.0, VariantEvaluation.Spearman([1, 2, 3, 4], [10, 20, 30, 400]), 12);
        Assert.Equal(-1.0, VariantEvaluation.Spearman([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal(0.8, VariantEvaluation.Spearman([1, 2, 3, 4], [1, 3, 2, 4]), 12); // 1 − 6·Σd²/(n(n²−1)) = 1 − 12/60
    }

    [Fact]
    public void TheSyntheticDatasetRoundTripsThroughJsonAndSaysItIsSynthetic()
    {
        var dataset = SyntheticVariantDataset.Create(3, 2, seed: 1);
        string path = _temp.File("synthetic.json");
        dataset.Write(path);
        Assert.Contains("\"synthetic\": true", File.ReadAllText(path));
        var back = VariantDataset.Load(path);
        Assert.True(back.Synthetic);
        // A measured dataset never carries the flag.
        (dataset with { Synthetic = false }).Write(path);
        Assert.DoesNotContain("\"synthetic\":", File.ReadAllText(path));
        Assert.Equal(dataset.Programs.Select(p => p.Units.Count), back.Programs.Select(p => p.Units.Count));
        string json = AssignmentsFile.Write(VariantCorpus.From(back).Programs, [("unroll-everywhere", VariantMethods.Everywhere(VariantCorpus.From(back).Programs, 1))]);
        Assert.Contains("\"src/p0/u0.c\": \"unroll\"", json);
        Assert.Contains(AssignmentsFile.Schema, json);
    }

    private VariantDataset Load(string json) => VariantDataset.Load(Write(json));

    private string Write(string json)
    {
        string path = _temp.File($"dataset{Directory.GetFiles(_temp.Path).Length}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
