using CompilerLLM.Inference;
using CompilerLLM.Toolchain;
using CompilerLLM.Training.Variants;
using CompilerLLM.Variants;

namespace CompilerLLM.Training.Tests.Variants;

/// <summary>The exported variant model is what the engine loads: ONNX Runtime through <see cref="VariantPolicy"/> scores and chooses as the trainer does.</summary>
public sealed class VariantOnnxTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-variant-onnx-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheEngineLoadsTheExportAndScoresLikeTheTrainer()
    {
        var programs = VariantCorpus.From(SyntheticVariantDataset.Create(programs: 9, units: 5, seed: 11)).Programs;
        var model = VariantTrainer.Train(programs, new VariantTrainingOptions { Steps = 30, Margin = 0.125f });
        string path = _temp.File("variants.onnx");
        File.WriteAllBytes(path, model.ToOnnx());

        using var policy = VariantPolicy.Load(path);
        Assert.Equal(0.125f, policy.Margin);
        int rows = 0, nonBase = 0;
        foreach (var unit in programs.SelectMany(p => p.Units))
        {
            var candidates = unit.Candidates.Select(j => VariantFeatures.Variants[j]).ToList();
            var choice = policy.Choose(unit.Features, candidates);
            float[] mine = model.Scores(unit);
            for (int i = 0; i < candidates.Count; i++)
                Assert.True(Math.Abs(choice.Scores[candidates[i].Name] - mine[i]) <= 1e-4f * (1 + Math.Abs(mine[i])),
                    $"{unit.Source} {candidates[i].Name}: ONNX Runtime {choice.Scores[candidates[i].Name]}, trainer {mine[i]}");
            Assert.Equal(VariantFeatures.Variants[model.Choose(unit)].Name, choice.Variant.Name);
            rows += candidates.Count;
            if (choice.Variant != VariantTable.Base) nonBase++;
        }
        Assert.True(rows > 9 * 5);
        Assert.True(nonBase > 0, "the trained model never leaves base, so the choice comparison tested nothing");
    }

    [Fact]
    public void VariantsTheModelNeverSawAreNeverChosenByTheEngine()
    {
        string[] measured = ["base", "unroll", "pgo", "pgo-unroll"];
        var programs = VariantCorpus.From(SyntheticVariantDataset.Create(9, 5, seed: 11, measured: measured, profileEvery: 1)).Programs;
        var model = VariantTrainer.Train(programs, new VariantTrainingOptions { Steps = 30 });
        Assert.Equal(VariantFeatures.Variants.Select(v => measured.Contains(v.Name)), model.Trained);
        string path = _temp.File("four.onnx");
        File.WriteAllBytes(path, model.ToOnnx());
        using var policy = VariantPolicy.Load(path);
        int[] all = [.. Enumerable.Range(0, VariantFeatures.Variants.Count)];
        foreach (var unit in programs.SelectMany(p => p.Units))
        {
            // The engine offers every speed variant (the profile ones too: these units have a profile).
            var choice = policy.Choose(unit.Features, VariantFeatures.Variants);
            Assert.Contains(choice.Variant.Name, measured);
            float[] mine = model.Scores(unit with { Candidates = all });
            for (int j = 0; j < all.Length; j++)
                Assert.True(Math.Abs(choice.Scores[VariantFeatures.Variants[j].Name] - mine[j]) <= 1e-4f * (1 + Math.Abs(mine[j])));
            Assert.True(choice.Scores["novec"] < choice.Scores["base"] - 100);
        }
    }

    [Fact]
    public void AModelForAnotherFeatureSchemaIsRefused()
    {
        var programs = VariantCorpus.From(SyntheticVariantDataset.Create(4, 3, seed: 1)).Programs;
        var model = VariantTrainer.Train(programs, new VariantTrainingOptions { Steps = 1 });
        string path = _temp.File("old.onnx");
        File.WriteAllBytes(path, model.ToOnnx(new Dictionary<string, string> { [VariantPolicy.Contract.VersionKey] = "0" }));
        var e = Assert.Throws<PolicyLoadException>(() => VariantPolicy.Load(path));
        Assert.Equal(PolicyLoadFailure.Contract, e.Failure);
    }
}
