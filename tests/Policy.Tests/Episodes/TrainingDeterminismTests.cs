using CompilerLLM.Assembly;
using CompilerLLM.Lab.Measurement;
using CompilerLLM.Pipeline;
using CompilerLLM.Inference;
using CompilerLLM.Toolchain;
using CompilerLLM.Training.Episodes;
using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Episodes;

/// <summary>A training run is a pure function of its inputs and seed: two runs give the same parameters.</summary>
public sealed class TrainingDeterminismTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-train-det-");

    public void Dispose() => _temp.Dispose();

    private List<FunctionInstance> Instances(string kernel)
    {
        string root = CompilerLLM.Lab.Repository.FindRoot(AppContext.BaseDirectory)!;
        string s = _temp.File(kernel + ".s");
        var gcc = ProcessRunner.Run(new ProcessSpec("gcc", ["-S", "-O2", "-o", s, Path.Combine(root, "tests", "corpus", "kernels", kernel + ".c")]));
        Assert.True(gcc.Succeeded, gcc.StandardError);
        return FunctionInstance.FromFile(AsmReader.ReadFile(s), kernel, new CandidateEnumerator());
    }

    private (float[] Parameters, IReadOnlyList<CurvePoint> Curve) Train(List<FunctionInstance> train, List<FunctionInstance> validation)
    {
        var reward = new RewardModel(new StaticEstimator(new StaticEstimatorOptions { Mcpu = "skylake" }));
        reward.Prepare([.. train, .. validation]);
        var scaler = FeatureScaler.Fit(train.Select(f => f.Features), FeatureSchema.Width);
        var run = new GroupTrainingRun(new TrainingConfig { Seed = 7, GroupSize = 4, HiddenLayers = [16] },
            new RunOptions { Steps = 6, BatchFunctions = 4, ValidateEvery = 3 }, reward, train, validation, scaler);
        run.Run(_ => { });
        return ((float[])run.Trainer.Model.Parameters.Clone(), run.Curve);
    }

    [Fact]
    public void TwoRunsWithTheSameSeedAreIdentical()
    {
        var train = Instances("matmul_stencil");
        var validation = Instances("string_ops");
        Assert.True(train.Count >= 2 && validation.Count >= 1);
        var first = Train(train, validation);
        // fresh instances and a fresh reward model: nothing carried over but the inputs
        var second = Train(Instances("matmul_stencil"), Instances("string_ops"));
        Assert.Equal(first.Curve.Select(p => (p.MeanReward, p.MeanKl, p.ValidationSaved)), second.Curve.Select(p => (p.MeanReward, p.MeanKl, p.ValidationSaved)));
        Assert.Equal(first.Parameters, second.Parameters);
    }
}
