using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

public sealed class TrainingConfigTests
{
    [Fact]
    public void Defaults_are_valid_and_survive_a_json_round_trip()
    {
        var config = new TrainingConfig { Seed = 123, HiddenLayers = [32, 16], CrossGroupNormalization = false, RatioMode = RatioMode.PerDecision };
        config.Validate();
        var back = TrainingConfig.FromJson(config.ToJson());
        Assert.Equal(config.ToJson(), back.ToJson());
        Assert.Equal([32, 16], back.HiddenLayers);
        Assert.False(back.CrossGroupNormalization);
        Assert.Equal(RatioMode.PerDecision, back.RatioMode);
        Assert.Contains("\"PerDecision\"", config.ToJson());
    }

    [Theory]
    [InlineData("LearningRate")]
    [InlineData("ClipEpsilon")]
    [InlineData("CrossGroupBlend")]
    [InlineData("SurpriseMaxFactor")]
    [InlineData("KernelTemperature")]
    [InlineData("EpochsPerBatch")]
    [InlineData("HiddenLayers")]
    public void Invalid_settings_are_rejected_by_name(string name)
    {
        var bad = name switch
        {
            "LearningRate" => new TrainingConfig { LearningRate = 0 },
            "ClipEpsilon" => new TrainingConfig { ClipEpsilon = 1.5 },
            "CrossGroupBlend" => new TrainingConfig { CrossGroupBlend = -0.1 },
            "SurpriseMaxFactor" => new TrainingConfig { SurpriseMaxFactor = 0.5 },
            "KernelTemperature" => new TrainingConfig { KernelTemperature = 0 },
            "EpochsPerBatch" => new TrainingConfig { EpochsPerBatch = 0 },
            _ => new TrainingConfig { HiddenLayers = [8, 0] },
        };
        var e = Assert.Throws<ArgumentException>(bad.Validate);
        Assert.Contains(name, e.Message);
        Assert.Throws<ArgumentException>(() => new GroupPolicyTrainer(bad, 4));
    }

    [Fact]
    public void Derived_seeds_are_deterministic_distinct_and_non_negative()
    {
        Assert.Equal(DeterministicSeeds.Derive(7, 1, 2), DeterministicSeeds.Derive(7, 1, 2));
        var seen = new HashSet<int>();
        for (long step = 0; step < 200; step++)
            for (long program = 0; program < 5; program++)
            {
                int s = DeterministicSeeds.Derive(7, step, program);
                Assert.True(s >= 0);
                seen.Add(s);
            }
        Assert.Equal(1000, seen.Count);
        Assert.NotEqual(DeterministicSeeds.Derive(7, 1, 2), DeterministicSeeds.Derive(7, 2, 1));
        Assert.NotEqual(DeterministicSeeds.Derive(7, 1), DeterministicSeeds.Derive(8, 1));
    }
}
