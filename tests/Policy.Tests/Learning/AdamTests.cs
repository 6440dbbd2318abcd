using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

public sealed class AdamTests
{
    /// <summary>Adam/AdamW recurrences written out independently in double.</summary>
    private static double[] ReferenceSteps(double[] p, double[][] grads, double lr, double b1, double b2, double eps, double wd, double[] mask)
    {
        p = (double[])p.Clone();
        var m = new double[p.Length];
        var v = new double[p.Length];
        for (int t = 1; t <= grads.Length; t++)
            for (int i = 0; i < p.Length; i++)
            {
                double g = grads[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mhat = m[i] / (1 - Math.Pow(b1, t)), vhat = v[i] / (1 - Math.Pow(b2, t));
                p[i] -= lr * (mhat / (Math.Sqrt(vhat) + eps) + wd * mask[i] * p[i]);
            }
        return p;
    }

    [Fact]
    public void First_step_moves_each_parameter_by_the_learning_rate_against_the_gradient_sign()
    {
        var adam = new Adam(3, learningRate: 0.1f);
        float[] p = [1f, -2f, 0.5f];
        float[] g = [0.3f, -4f, 0f];
        adam.Step(p, g);
        // m̂ = g, v̂ = g² ⇒ update = g/(|g| + ε) ≈ sign(g).
        Assert.Equal(0.9f, p[0], 1e-6f);
        Assert.Equal(-1.9f, p[1], 1e-6f);
        Assert.Equal(0.5f, p[2]);
        Assert.Equal(1, adam.StepCount);
    }

    [Fact]
    public void Several_steps_with_decoupled_weight_decay_match_the_reference_recurrence()
    {
        float[] mask = [1f, 1f, 0f];
        var adam = new Adam(3, learningRate: 0.05f, beta1: 0.8f, beta2: 0.95f, epsilon: 1e-6f, weightDecay: 0.1f, decayMask: mask);
        float[] p = [1f, -2f, 0.5f];
        double[][] grads = [[0.3, -4, 0], [0.1, 2, 0], [-0.5, 1, 0], [0.2, 0.2, 0]];
        var expected = ReferenceSteps([1, -2, 0.5], grads, 0.05, 0.8, 0.95, 1e-6, 0.1, [1, 1, 0]);
        foreach (var g in grads) adam.Step(p, g.Select(x => (float)x).ToArray());
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], p[i], 1e-5);
        Assert.Equal(0.5f, p[2]); // the masked (bias) entry with zero gradient is not decayed
        Assert.NotEqual(expected[0], ReferenceSteps([1, -2, 0.5], grads, 0.05, 0.8, 0.95, 1e-6, 0.0, [1, 1, 0])[0], 3);
    }

    [Fact]
    public void Gradient_norm_is_clipped_to_the_bound_and_reported_before_clipping()
    {
        var adam = new Adam(2, learningRate: 0.1f, maxGradientNorm: 1f);
        float[] p = [0f, 0f];
        float[] g = [3f, 4f];
        float norm = adam.Step(p, g);
        Assert.Equal(5f, norm, 1e-6f);
        Assert.Equal(0.6f, g[0], 1e-6f);
        Assert.Equal(0.8f, g[1], 1e-6f);

        float[] small = [0.3f, 0.4f];
        Assert.Equal(0.5f, new Adam(2, 0.1f, maxGradientNorm: 1f).Step(new float[2], small), 1e-6f);
        Assert.Equal(0.3f, small[0]); // under the bound: untouched
    }

    [Fact]
    public void Minimises_a_quadratic()
    {
        var adam = new Adam(2, learningRate: 0.05f);
        float[] p = [3f, -2f];
        var g = new float[2];
        for (int t = 0; t < 500; t++)
        {
            g[0] = 2 * (p[0] - 1);
            g[1] = 20 * (p[1] + 0.5f);
            adam.Step(p, g);
        }
        Assert.Equal(1f, p[0], 1e-2f);
        Assert.Equal(-0.5f, p[1], 1e-2f);
    }

    [Fact]
    public void Refuses_non_finite_gradients()
    {
        var adam = new Adam(1, 0.1f);
        float[] p = [1f];
        Assert.Throws<InvalidOperationException>(() => adam.Step(p, [float.NaN]));
        Assert.Equal(1f, p[0]);
        Assert.Equal(0, adam.StepCount);
    }
}
