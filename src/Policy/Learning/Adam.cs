using System.Numerics.Tensors;

namespace CompilerLLM.Training.Learning;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with decoupled weight decay (AdamW, Loshchilov &amp; Hutter 2019)
/// and optional clipping of the global gradient L2 norm.
/// </summary>
/// <remarks>
/// One step, with g the (clipped) gradient and t the step count after increment:
/// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ);
/// θ ← θ − η·( m̂/(√v̂ + ε) + λ·mask·θ ).
/// The state (t, m, v) is everything a resumed run needs besides θ.
/// </remarks>
public sealed class Adam
{
    private readonly float[]? _decayMask;

    public float LearningRate { get; set; }
    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Epsilon { get; }
    public float WeightDecay { get; }
    /// <summary>Clip the global gradient norm to this value; 0 or less disables clipping.</summary>
    public float MaxGradientNorm { get; }

    /// <summary>Number of steps taken (t).</summary>
    public long StepCount { get; internal set; }
    internal float[] FirstMoment { get; }
    internal float[] SecondMoment { get; }
    public int ParameterCount => FirstMoment.Length;

    public Adam(int parameterCount, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f,
        float weightDecay = 0f, float maxGradientNorm = 0f, float[]? decayMask = null)
    {
        if (parameterCount < 0) throw new ArgumentOutOfRangeException(nameof(parameterCount));
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate));
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2));
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon));
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay));
        if (decayMask is not null && decayMask.Length != parameterCount) throw new ArgumentException("Decay mask length differs from the parameter count.", nameof(decayMask));
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        MaxGradientNorm = maxGradientNorm;
        _decayMask = decayMask;
        FirstMoment = new float[parameterCount];
        SecondMoment = new float[parameterCount];
    }

    /// <summary>
    /// Clips <paramref name="gradients"/> in place (if enabled) and updates <paramref name="parameters"/>.
    /// Returns the gradient norm before clipping.
    /// </summary>
    public float Step(Span<float> parameters, Span<float> gradients)
    {
        int n = FirstMoment.Length;
        if (parameters.Length != n || gradients.Length != n) throw new ArgumentException("Parameter/gradient length differs from the optimizer's.");
        float norm = FixedOrderMath.Norm(gradients);
        if (!float.IsFinite(norm)) throw new InvalidOperationException("Non-finite gradient norm; refusing to update the parameters.");
        if (MaxGradientNorm > 0 && norm > MaxGradientNorm)
            TensorPrimitives.Multiply(gradients, MaxGradientNorm / norm, gradients);

        StepCount++;
        float b1 = Beta1, b2 = Beta2, lr = LearningRate, eps = Epsilon, wd = WeightDecay;
        float bc1 = (float)(1.0 - Math.Pow(b1, StepCount));
        float bc2 = (float)(1.0 - Math.Pow(b2, StepCount));
        Span<float> m = FirstMoment, v = SecondMoment;
        ReadOnlySpan<float> mask = _decayMask;
        for (int i = 0; i < n; i++)
        {
            float g = gradients[i];
            float mi = m[i] = b1 * m[i] + (1f - b1) * g;
            float vi = v[i] = b2 * v[i] + (1f - b2) * g * g;
            float update = (mi / bc1) / (MathF.Sqrt(vi / bc2) + eps);
            if (wd != 0f) update += wd * (mask.IsEmpty ? 1f : mask[i]) * parameters[i];
            parameters[i] -= lr * update;
        }
        return norm;
    }
}
