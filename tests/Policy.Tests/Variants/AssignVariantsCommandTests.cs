using System.Text.Json;
using CompilerLLM.Lab.Variants;
using CompilerLLM.Toolchain;
using CompilerLLM.Training.Variants;
using CompilerLLM.Variants;

namespace CompilerLLM.Training.Tests.Variants;

/// <summary>
/// <c>compilerllm-train assign-variants</c>: a trained model decides programs it never saw, unit by unit as a build
/// does (through ONNX Runtime), and programs of its own training data are refused.
/// </summary>
public sealed class AssignVariantsCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-assign-variants-");
    private readonly string _trainedOn, _model;

    public AssignVariantsCommandTests()
    {
        // Unflagged only so that the trainer writes --model (to a temporary folder, never to the repository).
        _trainedOn = _temp.File("trained-on.json");
        (SyntheticVariantDataset.Create(6, 4, seed: 2) with { Synthetic = false }).Write(_trainedOn);
        _model = _temp.File("variants.onnx");
        Assert.Equal(0, TrainVariantsCommand.Create().Parse(["train-variants", "--dataset", _trainedOn, "--out", _temp.File("train"),
            "--folds", "2", "--steps", "120", "--ablation-seeds", "0", "--model", _model]).Invoke());
    }

    public void Dispose() => _temp.Dispose();

    private static int Run(params string[] args) => AssignVariantsCommand.Create().Parse(["assign-variants", .. args]).Invoke();

    /// <summary>Other programs (renamed, other seed): none of them is in the training data.</summary>
    private string NewPrograms(int seed)
    {
        var d = SyntheticVariantDataset.Create(5, 4, seed, profileEvery: 2);
        string path = _temp.File($"new-{seed}.json");
        (d with { Programs = [.. d.Programs.Select(p => p with { Name = "held-out-" + p.Name })] }).Write(path);
        return path;
    }

    [Fact]
    public void EveryUnitIsDecidedAsTheEnginesPolicyDecidesIt()
    {
        string dataset = NewPrograms(7), output = _temp.File("assignments.json");
        Assert.Equal(0, Run("--dataset", dataset, "--model", _model, "--trained-on", _trainedOn, "--out", output));

        using var file = JsonDocument.Parse(File.ReadAllText(output));
        var methods = file.RootElement.GetProperty("methods");
        foreach (string m in new[] { "zero-shot", "cost-model", "unroll-everywhere", "pgo-everywhere", "tune", "oracle" })
            Assert.Equal(5, methods.GetProperty(m).EnumerateObject().Count());

        // Recomputed here from the engine's policy, unit by unit: the file must say the same.
        using var policy = VariantPolicy.Load(_model);
        var programs = VariantCorpus.From(VariantDataset.Load(dataset)).Programs;
        int offBase = 0, unprofiledKeptOnBase = 0;
        foreach (var p in programs)
        {
            var listed = methods.GetProperty("zero-shot").GetProperty(p.Name);
            foreach (var u in p.Units)
            {
                bool profiled = u.Features[ProfileFeatures.Start] > 0;
                string expected = !profiled && policy.RequiresProfile ? "base"
                    : policy.Choose(u.Features, [.. VariantFeatures.Variants.Where(v => !v.NeedsProfile || profiled)]).Variant.Name;
                string actual = listed.TryGetProperty(u.Source, out var v) ? v.GetString()! : "base";
                Assert.Equal(expected, actual);
                if (expected != "base") offBase++;
                if (!profiled && policy.RequiresProfile) unprofiledKeptOnBase++;
                Assert.True(profiled || !VariantTable.For(VariantObjective.Speed).Single(x => x.Name == actual).NeedsProfile, "a profile variant for a unit without profile data");
            }
        }
        // The synthetic rewards make some variant pay on some units: a model that left everything on base would test nothing.
        Assert.True(offBase > 0);
        Assert.True(unprofiledKeptOnBase > 0 || !policy.RequiresProfile);
    }

    [Fact]
    public void ProgramsOfTheModelsTrainingDataAreRefused()
    {
        string output = _temp.File("refused.json");
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(1, Run("--dataset", _trainedOn, "--model", _model, "--trained-on", _trainedOn, "--out", output));
        }
        finally
        {
            Console.SetError(saved);
        }
        Assert.Contains("CLLM8006", error.ToString());
        Assert.Contains("synthetic0", error.ToString());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ADatasetTheModelWasNotTrainedOnIsNotAcceptedAsItsTrainingData()
    {
        string other = NewPrograms(9);
        var policy = VariantPolicy.Load(_model);
        using (policy)
        {
            var programs = VariantCorpus.From(VariantDataset.Load(NewPrograms(7))).Programs;
            string? failure = AssignVariantsCommand.HeldOutFailure(policy, other, programs);
            Assert.NotNull(failure);
            Assert.Contains("was trained on a dataset with SHA-256", failure);
            Assert.Null(AssignVariantsCommand.HeldOutFailure(policy, _trainedOn, programs));
        }
    }
}
