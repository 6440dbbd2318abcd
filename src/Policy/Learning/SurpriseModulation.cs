namespace CompilerLLM.Training.Learning;

/// <summary>
/// Surprise-aware reward modulation: a rollout that succeeded (A &gt; 0) although its action was
/// unlikely under the behaviour policy gets a larger advantage.
/// <list type="bullet">
/// <item>Surprise of the rollout: S = −(1/T) Σ_i log π_old(a_i), the mean surprisal of its T valid
///   binary decisions (−log of the geometric-mean decision probability; per decision so it does
///   not grow with the number of candidates).</item>
/// <item>Baseline surprise: b = (1/T) Σ_i H(π_old,i), the mean Bernoulli entropy, which is E[S]
///   under π_old, so S − b &gt; 0 exactly when the action was more surprising than typical.</item>
/// <item>Factor: m = clip(1 + α(S − b), 1, M) if A &gt; 0, else m = 1; the advantage becomes m·A.</item>
/// </list>
/// The lower clip at 1 makes it a pure amplification: unsurprising successes keep their signal and
/// failures (A ≤ 0) are never touched, so the sign and ordering of advantages inside a group is kept
/// among failures and only successes are re-weighted, by at most M.
/// </summary>
public static class SurpriseModulation
{
    /// <summary>(S, b) of a rollout from its behaviour logits; (0, 0) when it has no valid decision.</summary>
    public static (double Surprise, double Baseline) Measure(Rollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        double s = 0, h = 0;
        int t = 0;
        foreach (var d in rollout.Decisions)
        {
            var state = d.State;
            for (int i = 0; i < state.Rows; i++)
            {
                if (!state.Mask[i]) continue;
                double z = state.BehaviourLogits[i];
                s -= BernoulliPolicy.LogProbability(z, d.Chosen[i]);
                h += BernoulliPolicy.Entropy(z);
                t++;
            }
        }
        return t == 0 ? (0, 0) : (s / t, h / t);
    }

    /// <summary>m = clip(1 + α(S − b), 1, M) for A &gt; 0, otherwise 1.</summary>
    public static double Factor(double advantage, double surprise, double baseline, double alpha, double maxFactor)
    {
        if (!(maxFactor >= 1)) throw new ArgumentOutOfRangeException(nameof(maxFactor));
        if (!(advantage > 0)) return 1.0;
        return Math.Clamp(1.0 + alpha * (surprise - baseline), 1.0, maxFactor);
    }
}
