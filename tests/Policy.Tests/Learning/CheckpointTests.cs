using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

public sealed class CheckpointTests
{
    private const int Programs = 6;

    private static void TrainSteps(GroupPolicyTrainer trainer, long from, long to)
    {
        for (long step = from; step < to; step++)
            trainer.Update(ContextualBandit.Collect(trainer, step, Programs, trainer.Config.GroupSize));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Save_load_continue_is_bit_identical_to_uninterrupted_training(bool viaFile)
    {
        var config = ContextualBandit.Config(seed: 11) with { WeightDecay = 0.01f };
        var uninterrupted = new GroupPolicyTrainer(config, ContextualBandit.Features);
        TrainSteps(uninterrupted, 0, 24);

        var first = new GroupPolicyTrainer(config, ContextualBandit.Features);
        TrainSteps(first, 0, 12);
        // A fresh trainer (its own initialisation, empty optimizer) takes over from the checkpoint.
        var resumed = new GroupPolicyTrainer(config, ContextualBandit.Features);
        if (viaFile)
        {
            string path = Path.Combine(Path.GetTempPath(), $"cllm-ckpt-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
            try
            {
                first.SaveCheckpoint(path);
                Assert.False(File.Exists(path + ".tmp"));
                resumed.LoadCheckpoint(path);
            }
            finally
            {
                File.Delete(path);
            }
        }
        else
        {
            using var ms = new MemoryStream();
            first.SaveCheckpoint(ms);
            ms.Position = 0;
            resumed.LoadCheckpoint(ms);
        }
        Assert.Equal(12, resumed.UpdateCount);
        Assert.Equal(first.Optimizer.StepCount, resumed.Optimizer.StepCount);
        TrainSteps(resumed, 12, 24);

        Assert.Equal(BanditTrainingTests.Bits(uninterrupted.Model.Parameters), BanditTrainingTests.Bits(resumed.Model.Parameters));
        Assert.Equal(BanditTrainingTests.Bits(uninterrupted.Optimizer.FirstMoment), BanditTrainingTests.Bits(resumed.Optimizer.FirstMoment));
        Assert.Equal(BanditTrainingTests.Bits(uninterrupted.Optimizer.SecondMoment), BanditTrainingTests.Bits(resumed.Optimizer.SecondMoment));
        Assert.Equal(24, resumed.UpdateCount);
    }

    [Fact]
    public void Resuming_without_the_optimizer_state_would_differ()
    {
        // Guards the test above against passing vacuously: parameters alone are not enough.
        var config = ContextualBandit.Config(seed: 11);
        var uninterrupted = new GroupPolicyTrainer(config, ContextualBandit.Features);
        TrainSteps(uninterrupted, 0, 16);
        var first = new GroupPolicyTrainer(config, ContextualBandit.Features);
        TrainSteps(first, 0, 8);
        var paramsOnly = new GroupPolicyTrainer(config, ContextualBandit.Features);
        first.Model.Parameters.CopyTo(paramsOnly.Model.Parameters, 0);
        TrainSteps(paramsOnly, 8, 16);
        Assert.NotEqual(BanditTrainingTests.Bits(uninterrupted.Model.Parameters), BanditTrainingTests.Bits(paramsOnly.Model.Parameters));
    }

    [Fact]
    public void Corrupted_truncated_or_mismatched_checkpoints_are_rejected()
    {
        var config = ContextualBandit.Config(seed: 2);
        var trainer = new GroupPolicyTrainer(config, ContextualBandit.Features);
        TrainSteps(trainer, 0, 2);
        using var ms = new MemoryStream();
        trainer.SaveCheckpoint(ms);
        byte[] bytes = ms.ToArray();

        var target = new GroupPolicyTrainer(config, ContextualBandit.Features);
        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x10;
        Assert.Throws<InvalidDataException>(() => target.LoadCheckpoint(new MemoryStream(flipped)));
        Assert.Throws<InvalidDataException>(() => target.LoadCheckpoint(new MemoryStream(bytes[..^20])));
        Assert.Throws<InvalidDataException>(() => target.LoadCheckpoint(new MemoryStream("not a checkpoint at all"u8.ToArray())));

        var otherShape = new GroupPolicyTrainer(config with { HiddenLayers = [8] }, ContextualBandit.Features);
        Assert.Throws<InvalidDataException>(() => otherShape.LoadCheckpoint(new MemoryStream(bytes)));
        var otherConfig = new GroupPolicyTrainer(config with { KlCoefficient = 0.5 }, ContextualBandit.Features);
        Assert.Throws<InvalidDataException>(() => otherConfig.LoadCheckpoint(new MemoryStream(bytes)));
        otherConfig.LoadCheckpoint(new MemoryStream(bytes), requireSameConfig: false);
        Assert.Equal(trainer.Model.Parameters, otherConfig.Model.Parameters);
    }

    [Fact]
    public void Checkpoint_contents_round_trip_exactly()
    {
        var config = ContextualBandit.Config(seed: 9);
        var trainer = new GroupPolicyTrainer(config, ContextualBandit.Features);
        TrainSteps(trainer, 0, 3);
        using var ms = new MemoryStream();
        trainer.SaveCheckpoint(ms);
        ms.Position = 0;
        var c = Checkpoint.Read(ms);
        Assert.True(c.Model.HasSameShape(trainer.Model));
        Assert.Equal(BanditTrainingTests.Bits(trainer.Model.Parameters), BanditTrainingTests.Bits(c.Model.Parameters));
        Assert.Equal(trainer.Optimizer.StepCount, c.AdamStep);
        Assert.Equal(3, c.UpdateCount);
        Assert.Equal(config, TrainingConfig.FromJson(c.ConfigJson) with { HiddenLayers = config.HiddenLayers });
        Assert.Equal(config.HiddenLayers, TrainingConfig.FromJson(c.ConfigJson).HiddenLayers);
    }
}
