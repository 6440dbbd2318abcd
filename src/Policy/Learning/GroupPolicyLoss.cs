namespace CompilerLLM.Training.Learning;

/// <summary>Values of one evaluation of the learner's loss (all means over rollouts with ≥ 1 valid decision).</summary>
public readonly record struct LossTerms(double Total, double PolicyLoss, double KlPenalty, double MeanKl, double ClipFraction, double MeanRatio, int Rollouts, int Decisions);

/// <summary>
/// The minimised loss L = −(1/R) Σ_rollouts J_g + β·(1/R) Σ_rollouts (1/T_g) Σ_i KL(π_old,i ‖ π_θ,i)
/// and its exact gradient with respect to the current logits. See docs/learning.md.
/// </summary>
/// <remarks>
/// With ℓ_i = log π_θ(a_i) − log π_old(a_i) over the T_g valid decisions of rollout g:
/// <para><see cref="RatioMode.GeometricMean"/> (GMPO): c_i = min(ℓ_i, δ) if A &gt; 0, max(ℓ_i, −δ) if A &lt; 0;
/// J_g = A·exp((1/T)Σ c_i); ∂J/∂z_i = A·exp((1/T)Σc)/T·[c_i = ℓ_i]·(a_i − σ(z_i)).</para>
/// <para><see cref="RatioMode.PerDecision"/> (GRPO): ρ_i = e^{ℓ_i}; J_g = (1/T)Σ min(ρ_iA, clip(ρ_i,1−ε,1+ε)A);
/// ∂J/∂z_i = (A/T)·ρ_i·[unclipped term is the min]·(a_i − σ(z_i)).</para>
/// <para>KL of Bernoulli distributions in closed form over every valid row (chosen or not);
/// ∂KL/∂z_i = σ(z_i) − σ(z_old,i). Masked rows contribute nothing and get zero gradient.</para>
/// </remarks>
public static class GroupPolicyLoss
{
    /// <summary>
    /// Evaluates the loss at <paramref name="logits"/> (rows as in <paramref name="layout"/>) and
    /// <b>overwrites</b> <paramref name="dLogits"/> with ∂L/∂logits. The KL is reported even with the
    /// switch off (as a diagnostic) but then enters neither the loss nor the gradient.
    /// </summary>
    public static LossTerms Compute(IReadOnlyList<RolloutGroup> batch, BatchLayout layout, ReadOnlySpan<double> advantages,
        ReadOnlySpan<float> logits, Span<float> dLogits, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(config);
        if (logits.Length < layout.Rows || dLogits.Length < layout.Rows) throw new ArgumentException("Logit buffers smaller than the batch.");
        if (advantages.Length != AdvantageEstimator.RolloutCount(batch)) throw new ArgumentException("One advantage per rollout expected.", nameof(advantages));
        dLogits[..layout.Rows].Clear();

        int rolloutsWithDecisions = 0;
        for (int gi = 0; gi < batch.Count; gi++)
        {
            var rs = batch[gi].Rollouts;
            for (int ri = 0; ri < rs.Count; ri++)
                if (rs[ri].DecisionCount > 0) rolloutsWithDecisions++;
        }
        if (rolloutsWithDecisions == 0) return default;
        double invR = 1.0 / rolloutsWithDecisions;

        bool geometric = config.RatioMode == RatioMode.GeometricMean;
        double delta = config.LogRatioClip, eps = config.ClipEpsilon;
        double beta = config.KlPenalty ? config.KlCoefficient : 0.0;
        double policyLoss = 0, klPenalty = 0, meanKl = 0, ratioSum = 0;
        int clipped = 0, decisions = 0;

        int k = 0;
        for (int gi = 0; gi < batch.Count; gi++)
        {
            var groupRollouts = batch[gi].Rollouts;
            for (int ri = 0; ri < groupRollouts.Count; ri++)
            {
                var rollout = groupRollouts[ri];
                var decisionList = rollout.Decisions;
                double a = advantages[k++];
                int t = rollout.DecisionCount;
                if (t == 0) continue;
                decisions += t;
                double invT = 1.0 / t;

                // Surrogate.
                if (geometric)
                {
                    double sumC = 0;
                    for (int di = 0; di < decisionList.Count; di++)
                    {
                        var d = decisionList[di];
                        var s = d.State;
                        int off = layout.OffsetOf(s);
                        for (int i = 0; i < s.Rows; i++)
                        {
                            if (!s.Mask[i]) continue;
                            double l = LogRatio(logits[off + i], s.BehaviourLogits[i], d.Chosen[i]);
                            double c = ClipLog(l, a, delta);
                            if (c != l) clipped++;
                            sumC += c;
                        }
                    }
                    double ratio = Math.Exp(sumC * invT);
                    ratioSum += ratio;
                    policyLoss -= a * ratio * invR;
                    if (a != 0)
                    {
                        double coef = -a * ratio * invT * invR;
                        for (int di = 0; di < decisionList.Count; di++)
                        {
                            var d = decisionList[di];
                            var s = d.State;
                            int off = layout.OffsetOf(s);
                            for (int i = 0; i < s.Rows; i++)
                            {
                                if (!s.Mask[i]) continue;
                                double l = LogRatio(logits[off + i], s.BehaviourLogits[i], d.Chosen[i]);
                                if (ClipLog(l, a, delta) != l) continue;
                                dLogits[off + i] += (float)(coef * BernoulliPolicy.LogProbabilityGradient(logits[off + i], d.Chosen[i]));
                            }
                        }
                    }
                }
                else
                {
                    double j = 0, rsum = 0;
                    for (int di = 0; di < decisionList.Count; di++)
                    {
                        var d = decisionList[di];
                        var s = d.State;
                        int off = layout.OffsetOf(s);
                        for (int i = 0; i < s.Rows; i++)
                        {
                            if (!s.Mask[i]) continue;
                            double rho = Math.Exp(LogRatio(logits[off + i], s.BehaviourLogits[i], d.Chosen[i]));
                            double rhoClipped = Math.Clamp(rho, 1 - eps, 1 + eps);
                            double unclippedTerm = rho * a, clippedTerm = rhoClipped * a;
                            bool active = unclippedTerm <= clippedTerm;
                            j += Math.Min(unclippedTerm, clippedTerm);
                            rsum += rho;
                            if (!active) { clipped++; continue; }
                            if (a != 0)
                                dLogits[off + i] += (float)(-a * rho * invT * invR * BernoulliPolicy.LogProbabilityGradient(logits[off + i], d.Chosen[i]));
                        }
                    }
                    policyLoss -= j * invT * invR;
                    ratioSum += rsum * invT;
                }

                // Trust region: mean per-decision KL(π_old ‖ π_θ) over all valid rows.
                double kl = 0;
                for (int di = 0; di < decisionList.Count; di++)
                {
                    var d = decisionList[di];
                    var s = d.State;
                    int off = layout.OffsetOf(s);
                    for (int i = 0; i < s.Rows; i++)
                    {
                        if (!s.Mask[i]) continue;
                        double z = logits[off + i], zOld = s.BehaviourLogits[i];
                        kl += BernoulliPolicy.KlDivergence(zOld, z);
                        if (beta != 0)
                            dLogits[off + i] += (float)(beta * invT * invR * (BernoulliPolicy.Sigmoid(z) - BernoulliPolicy.Sigmoid(zOld)));
                    }
                }
                meanKl += kl * invT * invR;
                klPenalty += beta * kl * invT * invR;
            }
        }
        return new LossTerms(policyLoss + klPenalty, policyLoss, klPenalty, meanKl,
            decisions == 0 ? 0 : (double)clipped / decisions, ratioSum * invR, rolloutsWithDecisions, decisions);
    }

    private static double LogRatio(float logit, float behaviourLogit, bool chosen)
        => BernoulliPolicy.LogProbability(logit, chosen) - BernoulliPolicy.LogProbability(behaviourLogit, chosen);

    // Pessimistic clip of a log-ratio for the sign of the advantage (the log-space form of PPO's min).
    /// <summary>GMPO's clip of one decision's log ratio: only the side the advantage pushes towards is bounded.</summary>
    internal static double ClipLog(double l, double advantage, double delta)
        => advantage > 0 ? Math.Min(l, delta) : advantage < 0 ? Math.Max(l, -delta) : l;
}
