namespace CompilerLLM.Training.Learning;

/// <summary>
/// Turns a batch's rewards into one advantage per rollout (in batch order: group by group,
/// rollout by rollout): group statistics, optionally replaced by their CG-MN blend, then
/// A = (r − μ̃)/(σ̃ + ε), then optionally the surprise factor m·A.
/// </summary>
public static class AdvantageEstimator
{
    public static int RolloutCount(IReadOnlyList<RolloutGroup> batch)
    {
        int n = 0;
        for (int i = 0; i < batch.Count; i++) n += batch[i].Rollouts.Count;
        return n;
    }

    /// <summary>Advantages for every rollout of the batch, plus the baseline used for each group.</summary>
    public static (double[] Advantages, GroupStatistics[] Baselines) Compute(IReadOnlyList<RolloutGroup> batch, TrainingConfig config)
    {
        var advantages = new double[RolloutCount(batch)];
        var baselines = new GroupStatistics[batch.Count];
        Compute(batch, config, advantages, baselines);
        return (advantages, baselines);
    }

    public static void Compute(IReadOnlyList<RolloutGroup> batch, TrainingConfig config, Span<double> advantages, Span<GroupStatistics> baselines)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(config);
        if (advantages.Length != RolloutCount(batch)) throw new ArgumentException("One advantage per rollout expected.", nameof(advantages));
        if (baselines.Length != batch.Count) throw new ArgumentException("One baseline per group expected.", nameof(baselines));

        for (int p = 0; p < batch.Count; p++) baselines[p] = GroupNormalization.Statistics(batch[p]);

        if (config.CrossGroupNormalization && batch.Count > 1)
        {
            var embeddings = new float[batch.Count][];
            for (int p = 0; p < batch.Count; p++)
                embeddings[p] = batch[p].Embedding ?? throw new ArgumentException($"Group {p} has no embedding but cross-group normalization is on.", nameof(batch));
            var weights = CrossGroupNormalization.WeightsFor(embeddings, config);
            CrossGroupNormalization.Aggregate(baselines, weights, config.CrossGroupBlend).CopyTo(baselines);
        }

        int k = 0;
        for (int p = 0; p < batch.Count; p++)
        {
            foreach (var rollout in batch[p].Rollouts)
            {
                double a = GroupNormalization.Advantage(rollout.Reward, baselines[p], config.AdvantageEpsilon);
                if (config.SurpriseModulation)
                {
                    var (s, b) = SurpriseModulation.Measure(rollout);
                    a *= SurpriseModulation.Factor(a, s, b, config.SurpriseAlpha, config.SurpriseMaxFactor);
                }
                advantages[k++] = a;
            }
        }
    }
}
