namespace CompilerLLM.Training.Learning;

/// <summary>One categorical decision of a state: options are rows [<paramref name="Offset"/>, Offset + Count) of the batch.</summary>
public readonly record struct ChoiceSlot(int Offset, int Count);

/// <summary>One rollout: the option taken at each slot of its group (an index into the slot) and its reward.</summary>
public sealed record CategoricalRollout(int[] Chosen, double Reward);

/// <summary>
/// The G rollouts of one program over its decision slots. <paramref name="Embedding"/> is the program's description for
/// Cross-Group Meta-Normalization (required only when that switch is on).
/// </summary>
public sealed record CategoricalGroup(IReadOnlyList<ChoiceSlot> Slots, IReadOnlyList<CategoricalRollout> Rollouts, float[]? Embedding = null);

/// <summary>
/// The group policy-optimization loss for categorical decisions (one option per slot), the counterpart of
/// <see cref="GroupPolicyLoss"/> for <see cref="CategoricalPolicy"/>. With ℓ_s = log π_θ(a_s) − log π_old(a_s) over the T
/// slots of a rollout, GMPO: c_s = min(ℓ_s, δ) if A &gt; 0, max(ℓ_s, −δ) if A &lt; 0; J = A·exp((1/T)Σ c_s);
/// ∂J/∂z_{s,j} = A·exp((1/T)Σc)/T·[c_s = ℓ_s]·(1[j = a_s] − π_j). The KL term pulls every slot towards a reference
/// policy ρ: β·mean_s KL(π_θ,s ‖ ρ_s) (closed form, <see cref="CategoricalPolicy.KlTo"/>).
/// Advantages: <see cref="Advantages"/> (group normalization, CG-MN, surprise, as <see cref="AdvantageEstimator"/>).
/// </summary>
public static class CategoricalGroupLoss
{
    /// <summary>
    /// One advantage per rollout (group by group): own (μ, σ), optionally blended with the groups' neighbours (CG-MN),
    /// then A = (r − μ̃)/(σ̃ + ε), then the surprise factor for successes.
    /// </summary>
    public static double[][] Advantages(IReadOnlyList<CategoricalGroup> batch, ReadOnlySpan<float> behaviourLogits, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(config);
        var baselines = new GroupStatistics[batch.Count];
        for (int p = 0; p < batch.Count; p++)
            baselines[p] = GroupNormalization.Statistics(batch[p].Rollouts.Select(r => r.Reward).ToArray());
        if (config.CrossGroupNormalization && batch.Count > 1)
        {
            var embeddings = batch.Select((g, p) => g.Embedding ?? throw new ArgumentException($"Group {p} has no embedding but cross-group normalization is on.", nameof(batch))).ToList();
            baselines = CrossGroupNormalization.Aggregate(baselines, CrossGroupNormalization.WeightsFor(embeddings, config), config.CrossGroupBlend);
        }
        var result = new double[batch.Count][];
        for (int p = 0; p < batch.Count; p++)
        {
            var group = batch[p];
            result[p] = new double[group.Rollouts.Count];
            for (int g = 0; g < group.Rollouts.Count; g++)
            {
                double a = GroupNormalization.Advantage(group.Rollouts[g].Reward, baselines[p], config.AdvantageEpsilon);
                if (config.SurpriseModulation)
                {
                    var (s, b) = Surprise(group, group.Rollouts[g], behaviourLogits);
                    a *= SurpriseModulation.Factor(a, s, b, config.SurpriseAlpha, config.SurpriseMaxFactor);
                }
                result[p][g] = a;
            }
        }
        return result;
    }

    /// <summary>
    /// The categorical form of <see cref="SurpriseModulation.Measure"/>: S = −(1/T)Σ_s log π_old(a_s) and its expectation
    /// under π_old, b = (1/T)Σ_s H(π_old,s).
    /// </summary>
    public static (double Surprise, double Baseline) Surprise(CategoricalGroup group, CategoricalRollout rollout, ReadOnlySpan<float> behaviourLogits)
    {
        int t = group.Slots.Count;
        if (t == 0) return (0, 0);
        double s = 0, h = 0;
        Span<double> scratch = stackalloc double[64];
        for (int i = 0; i < t; i++)
        {
            var slot = group.Slots[i];
            var z = behaviourLogits.Slice(slot.Offset, slot.Count);
            var lp = scratch[..slot.Count];
            CategoricalPolicy.LogSoftmax(z, lp);
            s -= lp[rollout.Chosen[i]];
            h += CategoricalPolicy.Entropy(z);
        }
        return (s / t, h / t);
    }

    /// <summary>
    /// The loss at <paramref name="logits"/>; <b>overwrites</b> <paramref name="dLogits"/> with ∂L/∂logits.
    /// <paramref name="referenceLogits"/> (the KL target, per row) is used when <see cref="TrainingConfig.KlPenalty"/> is on.
    /// </summary>
    public static LossTerms Compute(IReadOnlyList<CategoricalGroup> batch, double[][] advantages, ReadOnlySpan<float> behaviourLogits,
        ReadOnlySpan<float> referenceLogits, ReadOnlySpan<float> logits, Span<float> dLogits, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(advantages);
        ArgumentNullException.ThrowIfNull(config);
        dLogits.Clear();
        int rollouts = 0, slots = 0;
        foreach (var g in batch)
        {
            if (g.Slots.Count > 0) rollouts += g.Rollouts.Count;
            slots += g.Slots.Count;
        }
        if (rollouts == 0) return default;
        double invR = 1.0 / rollouts, delta = config.LogRatioClip;
        double policyLoss = 0, ratioSum = 0;
        int clipped = 0, decisions = 0;
        Span<double> lp = stackalloc double[64];
        for (int p = 0; p < batch.Count; p++)
        {
            var group = batch[p];
            int t = group.Slots.Count;
            if (t == 0) continue;
            double invT = 1.0 / t;
            for (int g = 0; g < group.Rollouts.Count; g++)
            {
                var rollout = group.Rollouts[g];
                double a = advantages[p][g];
                decisions += t;
                double sumC = 0;
                for (int i = 0; i < t; i++)
                {
                    double l = LogRatio(group.Slots[i], rollout.Chosen[i], logits, behaviourLogits, lp);
                    double c = GroupPolicyLoss.ClipLog(l, a, delta);
                    if (c != l) clipped++;
                    sumC += c;
                }
                double ratio = Math.Exp(sumC * invT);
                ratioSum += ratio;
                policyLoss -= a * ratio * invR;
                if (a == 0) continue;
                double coef = -a * ratio * invT * invR;
                for (int i = 0; i < t; i++)
                {
                    var slot = group.Slots[i];
                    double l = LogRatio(slot, rollout.Chosen[i], logits, behaviourLogits, lp);
                    if (GroupPolicyLoss.ClipLog(l, a, delta) != l) continue;
                    var z = logits.Slice(slot.Offset, slot.Count);
                    var slp = lp[..slot.Count];
                    CategoricalPolicy.LogSoftmax(z, slp);
                    for (int j = 0; j < slot.Count; j++)
                        dLogits[slot.Offset + j] += (float)(coef * ((j == rollout.Chosen[i] ? 1.0 : 0.0) - Math.Exp(slp[j])));
                }
            }
        }

        // KL to the reference, once per slot (it does not depend on the rollout), averaged over slots.
        double beta = config.KlPenalty ? config.KlCoefficient : 0.0, kl = 0;
        if (slots > 0)
            foreach (var group in batch)
                foreach (var slot in group.Slots)
                    kl += CategoricalPolicy.KlTo(logits.Slice(slot.Offset, slot.Count), referenceLogits.Slice(slot.Offset, slot.Count),
                        dLogits.Slice(slot.Offset, slot.Count), beta / slots);
        double meanKl = slots == 0 ? 0 : kl / slots;
        return new LossTerms(policyLoss + beta * meanKl, policyLoss, beta * meanKl, meanKl,
            decisions == 0 ? 0 : (double)clipped / decisions, ratioSum * invR, rollouts, decisions);
    }

    private static double LogRatio(ChoiceSlot slot, int chosen, ReadOnlySpan<float> logits, ReadOnlySpan<float> behaviour, Span<double> scratch)
    {
        var lp = scratch[..slot.Count];
        CategoricalPolicy.LogSoftmax(logits.Slice(slot.Offset, slot.Count), lp);
        double now = lp[chosen];
        CategoricalPolicy.LogSoftmax(behaviour.Slice(slot.Offset, slot.Count), lp);
        return now - lp[chosen];
    }

    // Pessimistic clip of a log-ratio for the sign of the advantage (as in GroupPolicyLoss).
}
