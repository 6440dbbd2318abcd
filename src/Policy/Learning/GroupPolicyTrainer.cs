namespace CompilerLLM.Training.Learning;

/// <summary>Diagnostics of one <see cref="GroupPolicyTrainer.Update"/> (loss terms of its last epoch).</summary>
public readonly record struct UpdateStatistics(
    double MeanReward, double MeanAbsAdvantage, double Loss, double PolicyLoss, double KlPenalty, double MeanKl,
    double ClipFraction, double MeanRatio, float GradientNorm, int Rollouts, int Decisions);

/// <summary>
/// The learner: an MLP policy, AdamW, and the group-normalized clipped-surrogate update with the
/// CG-MN, surprise and KL switches of <see cref="TrainingConfig"/>. The rollout loop scores states with
/// (a clone of) <see cref="Model"/>, samples with <see cref="BernoulliPolicy.Sample"/>, and hands each
/// batch of groups to <see cref="Update"/>. Deterministic: the same config, seed and batches give
/// bit-identical parameters; a checkpoint restores everything the update depends on.
/// </summary>
public sealed class GroupPolicyTrainer
{
    private readonly BatchLayout _layout = new();
    private float[] _logits = [];
    private float[] _dLogits = [];
    private double[] _advantages = [];
    private GroupStatistics[] _baselines = [];

    public TrainingConfig Config { get; }
    public Mlp Model { get; }
    public Adam Optimizer { get; }
    /// <summary>Number of <see cref="Update"/> calls so far (restored by checkpoints).</summary>
    public long UpdateCount { get; private set; }

    public GroupPolicyTrainer(TrainingConfig config, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount));
        Config = config;
        Model = new Mlp(featureCount, config.HiddenLayers, config.HiddenActivation);
        Model.Initialize(config.Seed, config.OutputInitScale);
        Optimizer = CreateOptimizer(Model);
    }

    private Adam CreateOptimizer(Mlp model) => new(model.ParameterCount, Config.LearningRate, Config.Beta1, Config.Beta2,
        Config.AdamEpsilon, Config.WeightDecay, Config.MaxGradientNorm, model.WeightDecayMask());

    /// <summary>
    /// One policy-optimization update on a batch of groups: advantages once, then
    /// <see cref="TrainingConfig.EpochsPerBatch"/> full-batch gradient steps.
    /// </summary>
    public UpdateStatistics Update(IReadOnlyList<RolloutGroup> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int rollouts = AdvantageEstimator.RolloutCount(batch);
        if (rollouts == 0) throw new ArgumentException("The batch holds no rollouts.", nameof(batch));
        if (_advantages.Length != rollouts) _advantages = new double[rollouts];
        if (_baselines.Length != batch.Count) _baselines = new GroupStatistics[batch.Count];
        AdvantageEstimator.Compute(batch, Config, _advantages, _baselines);

        Prepare(batch);
        LossTerms terms = default;
        float gradNorm = 0;
        for (int epoch = 0; epoch < Config.EpochsPerBatch; epoch++)
        {
            terms = ComputeGradientsPrepared(batch, _advantages);
            gradNorm = Optimizer.Step(Model.Parameters, Model.Gradients);
        }
        UpdateCount++;

        double rewardSum = 0, absAdv = 0;
        foreach (var g in batch) foreach (var r in g.Rollouts) rewardSum += r.Reward;
        foreach (double a in _advantages) absAdv += Math.Abs(a);
        return new UpdateStatistics(rewardSum / rollouts, absAdv / rollouts, terms.Total, terms.PolicyLoss, terms.KlPenalty,
            terms.MeanKl, terms.ClipFraction, terms.MeanRatio, gradNorm, terms.Rollouts, terms.Decisions);
    }

    /// <summary>
    /// Loss at the current parameters for the given batch and advantages, with ∂L/∂θ left in
    /// <see cref="Mlp.Gradients"/> (overwritten). Exposed for gradient checks and custom loops.
    /// </summary>
    public LossTerms ComputeGradients(IReadOnlyList<RolloutGroup> batch, ReadOnlySpan<double> advantages)
    {
        Prepare(batch);
        return ComputeGradientsPrepared(batch, advantages);
    }

    private void Prepare(IReadOnlyList<RolloutGroup> batch)
    {
        _layout.Build(batch, Model.InputCount);
        int n = _layout.Rows;
        if (_logits.Length < n)
        {
            _logits = new float[Math.Max(n, _logits.Length * 2)];
            _dLogits = new float[_logits.Length];
        }
    }

    private LossTerms ComputeGradientsPrepared(IReadOnlyList<RolloutGroup> batch, ReadOnlySpan<double> advantages)
    {
        int n = _layout.Rows;
        Model.Forward(_layout.Features, n, _logits);
        var terms = GroupPolicyLoss.Compute(batch, _layout, advantages, _logits, _dLogits, Config);
        Model.ZeroGradients();
        Model.Backward(_dLogits.AsSpan(0, n));
        return terms;
    }

    public void SaveCheckpoint(Stream stream) => Checkpoint.Write(stream, Model, Optimizer, UpdateCount, Config.ToJson());

    /// <summary>Writes to a temporary file beside <paramref name="path"/> and renames it, so a crash never leaves a torn checkpoint.</summary>
    public void SaveCheckpoint(string path)
    {
        string tmp = path + ".tmp";
        using (var f = File.Create(tmp)) SaveCheckpoint(f);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>
    /// Restores parameters, optimizer state and update count. The architecture must match; with
    /// <paramref name="requireSameConfig"/> the stored configuration must equal this trainer's too
    /// (otherwise a resumed run could silently differ from the uninterrupted one).
    /// </summary>
    public void LoadCheckpoint(Stream stream, bool requireSameConfig = true)
    {
        var c = Checkpoint.Read(stream);
        if (!c.Model.HasSameShape(Model)) throw new InvalidDataException("The checkpoint's network shape differs from this trainer's.");
        if (requireSameConfig && c.ConfigJson != Config.ToJson())
            throw new InvalidDataException("The checkpoint was written with a different training configuration.");
        c.Model.Parameters.CopyTo(Model.Parameters, 0);
        c.FirstMoment.CopyTo(Optimizer.FirstMoment, 0);
        c.SecondMoment.CopyTo(Optimizer.SecondMoment, 0);
        Optimizer.StepCount = c.AdamStep;
        UpdateCount = c.UpdateCount;
    }

    public void LoadCheckpoint(string path, bool requireSameConfig = true)
    {
        using var f = File.OpenRead(path);
        LoadCheckpoint(f, requireSameConfig);
    }
}
