namespace CompilerLLM.Training.Learning;

/// <summary>
/// The action distribution: every valid candidate row i is applied independently with
/// probability p_i = σ(z_i) of its logit z_i. Masked rows (mask[i] = false: the guard did not
/// validate that rewrite) are never chosen, have no probability mass and get no gradient.
/// All probability arithmetic is in double with numerically stable log-sigmoids.
/// </summary>
public static class BernoulliPolicy
{
    public static double Sigmoid(double z) => z >= 0 ? 1.0 / (1.0 + Math.Exp(-z)) : Math.Exp(z) / (1.0 + Math.Exp(z));

    /// <summary>log σ(z) = −softplus(−z), without overflow or cancellation.</summary>
    public static double LogSigmoid(double z) => z >= 0 ? -Math.Log(1.0 + Math.Exp(-z)) : z - Math.Log(1.0 + Math.Exp(z));

    /// <summary>log π(a | z): log σ(z) if chosen, log σ(−z) = log(1 − σ(z)) otherwise.</summary>
    public static double LogProbability(double logit, bool chosen) => LogSigmoid(chosen ? logit : -logit);

    /// <summary>d log π(a | z)/dz = a − σ(z).</summary>
    public static double LogProbabilityGradient(double logit, bool chosen) => (chosen ? 1.0 : 0.0) - Sigmoid(logit);

    /// <summary>Entropy of Bernoulli(σ(z)) in nats: p·softplus(−z) + (1−p)·softplus(z).</summary>
    public static double Entropy(double logit)
    {
        double p = Sigmoid(logit);
        return -(p * LogSigmoid(logit) + (1 - p) * LogSigmoid(-logit));
    }

    /// <summary>KL(Bernoulli(σ(zP)) ‖ Bernoulli(σ(zQ))) in nats; its derivative in zQ is σ(zQ) − σ(zP).</summary>
    public static double KlDivergence(double logitP, double logitQ)
    {
        double p = Sigmoid(logitP);
        return p * (LogSigmoid(logitP) - LogSigmoid(logitQ)) + (1 - p) * (LogSigmoid(-logitP) - LogSigmoid(-logitQ));
    }

    /// <summary>
    /// Samples an action: chosen[i] = mask[i] ∧ u_i &lt; σ(z_i), one <see cref="Random.NextDouble"/>
    /// draw per valid row in row order (masked rows draw nothing), so the result is a pure function
    /// of the logits, the mask and the generator's state.
    /// </summary>
    public static void Sample(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask, Random random, Span<bool> chosen)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckLengths(logits, mask, chosen.Length);
        for (int i = 0; i < logits.Length; i++)
            chosen[i] = mask[i] && random.NextDouble() < Sigmoid(logits[i]);
    }

    /// <summary>Greedy decision: chosen[i] = mask[i] ∧ z_i &gt; threshold (threshold 0 ⇔ p &gt; ½).</summary>
    public static void Greedy(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask, float threshold, Span<bool> chosen)
    {
        CheckLengths(logits, mask, chosen.Length);
        for (int i = 0; i < logits.Length; i++)
            chosen[i] = mask[i] && logits[i] > threshold;
    }

    /// <summary>log π(chosen subset) = Σ over valid rows of log π(a_i | z_i). Throws if a masked row is chosen.</summary>
    public static double LogProbability(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask, ReadOnlySpan<bool> chosen)
    {
        CheckLengths(logits, mask, chosen.Length);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if (!mask[i])
            {
                if (chosen[i]) throw new ArgumentException($"Row {i} is masked but marked as chosen.", nameof(chosen));
                continue;
            }
            sum += LogProbability(logits[i], chosen[i]);
        }
        return sum;
    }

    private static void CheckLengths(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask, int chosenLength)
    {
        if (mask.Length != logits.Length || chosenLength != logits.Length)
            throw new ArgumentException($"Logits ({logits.Length}), mask ({mask.Length}) and choice ({chosenLength}) lengths differ.");
    }
}
