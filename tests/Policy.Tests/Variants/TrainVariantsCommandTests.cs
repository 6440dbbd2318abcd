using System.Text.Json;
using CompilerLLM.Toolchain;
using CompilerLLM.Training.Variants;
using CompilerLLM.Variants;

namespace CompilerLLM.Training.Tests.Variants;

/// <summary>The command end to end on (synthetic) data: report, assignments for the harness, a model the engine loads, the card; never ships from synthetic data.</summary>
public sealed class TrainVariantsCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-train-variants-");

    public void Dispose() => _temp.Dispose();

    private static int Run(params string[] args) => TrainVariantsCommand.Create().Parse(args).Invoke();

    [Fact]
    public void WritesTheReportTheAssignmentsAndAModelTheEngineLoads()
    {
        string dataset = _temp.File("dataset.json");
        // Unflagged here only so that --model is exercised; it goes to a temporary folder, never to the repository.
        (SyntheticVariantDataset.Create(6, 4, seed: 2) with { Synthetic = false }).Write(dataset);
        string output = _temp.File("out"), model = _temp.File(Path.Combine("shipped", "variants.onnx"));
        Assert.Equal(0, Run("train-variants", "--dataset", dataset, "--out", output, "--folds", "3", "--steps", "5", "--ablation-seeds", "2", "--model", model));

        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("| unroll everywhere |", report);
        Assert.Contains("| −both |", report);
        Assert.Contains("No measured mixed assignments", report);
        using var assignments = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "assignments.json")));
        Assert.Equal(AssignmentsFile.Schema, assignments.RootElement.GetProperty("schema").GetString());
        var methods = assignments.RootElement.GetProperty("methods");
        foreach (string m in new[] { "zero-shot", "zero-shot-no-profile", "cost-model", "unroll-everywhere", "pgo-everywhere", "tune", "oracle", "ablation-no-cgmn", "ablation-no-surprise", "ablation-no-both" })
            Assert.Equal(6, methods.GetProperty(m).EnumerateObject().Count());
        Assert.Equal(4, methods.GetProperty("unroll-everywhere").GetProperty("synthetic0").EnumerateObject().Count());

        using var policy = VariantPolicy.Load(model);
        Assert.Equal(File.ReadAllBytes(Path.Combine(output, VariantPolicy.DefaultModelFileName)), File.ReadAllBytes(model));
        string card = File.ReadAllText(Path.Combine(Path.GetDirectoryName(model)!, "MODEL_CARD.md"));
        Assert.Contains(policy.ModelSha256, card);
        // The no-profile verdict is in the report, the card and the model's metadata, and they agree.
        Assert.Contains("Builds without a profile:", report);
        Assert.Contains($"`{VariantPolicy.RequiresProfileKey}` = {(policy.RequiresProfile ? "true" : "false")}", card);
        Assert.Contains($"`{VariantPolicy.RequiresProfileKey}` = {(policy.RequiresProfile ? "true" : "false")}", report);
    }

    [Theory]
    [InlineData(1.02, 0, false)]  // a gain that slows nothing: the model chooses without a profile too
    [InlineData(1.02, 1, true)]   // a gain that slows one program
    [InlineData(1.00, 0, true)]   // no gain
    [InlineData(0.99, 0, true)]
    public void AModelRequiresAProfileUnlessItsChoicesWithoutOneAreAGain(double geomean, int slower, bool requires) =>
        Assert.Equal(requires, VariantMethods.RequiresProfile(new MethodScore("no profile", geomean, slower, 0, 0, 10, [])));

    [Fact]
    public void RefusesToShipAModelTrainedOnSyntheticData()
    {
        string dataset = _temp.File("synthetic.json");
        SyntheticVariantDataset.Create(4, 3, seed: 2).Write(dataset);
        string model = _temp.File("variants.onnx");
        Assert.Equal(1, Run("train-variants", "--dataset", dataset, "--out", _temp.File("o"), "--steps", "2", "--ablation-seeds", "0", "--model", model));
        Assert.False(File.Exists(model));
    }
}
