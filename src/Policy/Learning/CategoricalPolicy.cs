namespace CompilerLLM.Training.Learning;

/// <summary>
/// A choice of exactly one of n options from their logits: π(j) = softmax(z)_j. Used where every option is a row the
/// network scores (the variant policy: one row per (unit, variant)), so the ONNX model's scores are these logits.
/// All probability arithmetic is in double, max-subtracted.
/// </summary>
public static class CategoricalPolicy
{
    /// <summary>log softmax(z) into <paramref name="logProbabilities"/>.</summary>
    public static void LogSoftmax(ReadOnlySpan<float> logits, Span<double> logProbabilities)
    {
        if (logits.Length == 0 || logProbabilities.Length != logits.Length) throw new ArgumentException("Need one output per logit, at least one logit.");
        double max = double.NegativeInfinity;
        foreach (float z in logits) max = Math.Max(max, z);
        double sum = 0;
        foreach (float z in logits) sum += Math.Exp(z - max);
        double log = max + Math.Log(sum);
        for (int j = 0; j < logits.Length; j++) logProbabilities[j] = logits[j] - log;
    }

    /// <summary>Samples an option with one <see cref="Random.NextDouble"/> draw (inverse CDF in option order).</summary>
    public static int Sample(ReadOnlySpan<float> logits, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<double> lp = logits.Length <= 64 ? stackalloc double[logits.Length] : new double[logits.Length];
        LogSoftmax(logits, lp);
        double u = random.NextDouble(), c = 0;
        for (int j = 0; j < lp.Length; j++)
        {
            c += Math.Exp(lp[j]);
            if (u < c) return j;
        }
        return lp.Length - 1; // rounding left u just above the last cumulative sum
    }

    /// <summary>Entropy H(π) in nats.</summary>
    public static double Entropy(ReadOnlySpan<float> logits)
    {
        Span<double> lp = logits.Length <= 64 ? stackalloc double[logits.Length] : new double[logits.Length];
        LogSoftmax(logits, lp);
        double h = 0;
        foreach (double l in lp) h -= Math.Exp(l) * l;
        return h;
    }

    /// <summary>
    /// KL(π_z ‖ π_ref) in nats, and its gradient in z written to <paramref name="gradient"/> (scaled by
    /// <paramref name="scale"/> and added): ∂KL/∂z_j = π_j (log π_j − log ρ_j − KL).
    /// </summary>
    public static double KlTo(ReadOnlySpan<float> logits, ReadOnlySpan<float> referenceLogits, Span<float> gradient, double scale)
    {
        if (referenceLogits.Length != logits.Length || gradient.Length != logits.Length) throw new ArgumentException("Lengths differ.");
        Span<double> lp = logits.Length <= 64 ? stackalloc double[logits.Length] : new double[logits.Length];
        Span<double> lq = logits.Length <= 64 ? stackalloc double[logits.Length] : new double[logits.Length];
        LogSoftmax(logits, lp);
        LogSoftmax(referenceLogits, lq);
        double kl = 0;
        for (int j = 0; j < lp.Length; j++) kl += Math.Exp(lp[j]) * (lp[j] - lq[j]);
        if (scale != 0)
            for (int j = 0; j < lp.Length; j++) gradient[j] += (float)(scale * Math.Exp(lp[j]) * (lp[j] - lq[j] - kl));
        return kl;
    }
}
