using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

/// <summary>
/// The MLP's forward pass and hand-derived backward pass against an independent double-precision
/// reference forward pass and its central finite differences.
/// </summary>
/// <remarks>
/// Tolerance: the analytic gradient is computed in float32; each entry is a sum of at most a few dozen
/// products of O(1) values, so its error is ~1e-6 relative. The reference is double precision with
/// h = 1e-5: truncation error h²/6·|f'''| ≈ 1e-11 and rounding ≈ 1e-16/h ≈ 1e-11. Bound used:
/// |analytic − numeric| ≤ 1e-4 + 1e-3·|numeric| — two orders above the expected error, while a
/// wrong term (missing activation derivative, transposed weight, dropped bias) is off by O(0.1–1).
/// </remarks>
public sealed class MlpGradientTests
{
    internal static Mlp RandomMlp(int inputs, int[] hidden, Activation act, ulong seed)
    {
        var mlp = new Mlp(inputs, hidden, act);
        mlp.Initialize(seed, outputScale: 1f);
        // Non-zero biases so that bias gradients matter in the forward pass too.
        var rng = new SplitMix64(seed + 99);
        for (int l = 0; l < mlp.LayerCount; l++)
        {
            int outputs = l + 1 < mlp.LayerCount ? hidden[l] : 1;
            for (int o = 0; o < outputs; o++)
                mlp.Parameters[mlp.BiasOffset(l) + o] = rng.NextSingle() - 0.5f;
        }
        return mlp;
    }

    internal static float[] RandomRows(int n, int f, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n * f).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Independent reference: y = act(W x + b) per layer, all in double.</summary>
    internal static double[] ReferenceForward(Mlp mlp, double[] parameters, float[] rows, int n)
    {
        var layers = mlp.ExportWeights();
        var input = rows.Take(n * mlp.InputCount).Select(v => (double)v).ToArray();
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            int wo = mlp.WeightOffset(l), bo = mlp.BiasOffset(l);
            var output = new double[n * layer.Outputs];
            for (int r = 0; r < n; r++)
                for (int o = 0; o < layer.Outputs; o++)
                {
                    double z = parameters[bo + o];
                    for (int i = 0; i < layer.Inputs; i++)
                        z += parameters[wo + o * layer.Inputs + i] * input[r * layer.Inputs + i];
                    output[r * layer.Outputs + o] = layer.Activation switch
                    {
                        Activation.Relu => Math.Max(0, z),
                        Activation.Tanh => Math.Tanh(z),
                        _ => z,
                    };
                }
            input = output;
        }
        return input;
    }

    [Theory]
    [InlineData(Activation.Relu, new[] { 5, 4 })]
    [InlineData(Activation.Tanh, new[] { 5, 4 })]
    [InlineData(Activation.Tanh, new int[0])]
    [InlineData(Activation.Relu, new[] { 7 })]
    public void Backward_matches_central_differences(Activation act, int[] hidden)
    {
        const int n = 7, f = 6;
        var mlp = RandomMlp(f, hidden, act, seed: 11);
        var rows = RandomRows(n, f, seed: 3);
        var upstream = RandomRows(n, 1, seed: 4); // L = Σ_r c_r · logit_r, so dL/dlogit = c

        var logits = new float[n];
        mlp.Forward(rows, n, logits);
        var theta = mlp.Parameters.Select(v => (double)v).ToArray();
        var reference = ReferenceForward(mlp, theta, rows, n);
        for (int r = 0; r < n; r++) Assert.Equal(reference[r], logits[r], 1e-5);

        mlp.ZeroGradients();
        mlp.Backward(upstream);

        const double h = 1e-5;
        int checkedNonZero = 0;
        for (int k = 0; k < theta.Length; k++)
        {
            double saved = theta[k];
            theta[k] = saved + h;
            double plus = Dot(upstream, ReferenceForward(mlp, theta, rows, n));
            theta[k] = saved - h;
            double minus = Dot(upstream, ReferenceForward(mlp, theta, rows, n));
            theta[k] = saved;
            double numeric = (plus - minus) / (2 * h);
            double analytic = mlp.Gradients[k];
            Assert.True(Math.Abs(analytic - numeric) <= 1e-4 + 1e-3 * Math.Abs(numeric),
                $"parameter {k}: analytic {analytic} vs numeric {numeric}");
            if (Math.Abs(numeric) > 1e-3) checkedNonZero++;
        }
        Assert.True(checkedNonZero > theta.Length / 3, "too few parameters with a non-trivial gradient to make the check meaningful");
    }

    [Fact]
    public void Backward_accumulates_and_ZeroGradients_resets()
    {
        var mlp = RandomMlp(4, [3], Activation.Tanh, seed: 2);
        var rows = RandomRows(5, 4, seed: 1);
        var up = RandomRows(5, 1, seed: 9);
        var logits = new float[5];
        mlp.Forward(rows, 5, logits);
        mlp.ZeroGradients();
        mlp.Backward(up);
        var once = (float[])mlp.Gradients.Clone();
        mlp.Backward(up);
        for (int k = 0; k < once.Length; k++) Assert.Equal(2 * once[k], mlp.Gradients[k], 1e-6f);
        mlp.ZeroGradients();
        Assert.All(mlp.Gradients, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Pure_forward_export_and_reimport_agree_with_training_forward()
    {
        var mlp = RandomMlp(6, [8, 5], Activation.Relu, seed: 21);
        var rows = RandomRows(9, 6, seed: 5);
        var logits = new float[9];
        mlp.Forward(rows, 9, logits);
        Assert.Equal(logits, mlp.Forward(rows, 9));

        var exported = mlp.ExportWeights();
        Assert.Equal(3, exported.Count);
        Assert.Equal((6, 8, Activation.Relu), (exported[0].Inputs, exported[0].Outputs, exported[0].Activation));
        Assert.Equal((8, 5, Activation.Relu), (exported[1].Inputs, exported[1].Outputs, exported[1].Activation));
        Assert.Equal((5, 1, Activation.None), (exported[2].Inputs, exported[2].Outputs, exported[2].Activation));
        // Row-major [Outputs, Inputs]: logit of a row = act(...)·W[0, :] + b computed by hand from the export.
        var h1 = Dense(rows.AsSpan(0, 6).ToArray(), exported[0]);
        var h2 = Dense(h1, exported[1]);
        var y = Dense(h2, exported[2]);
        Assert.Equal(logits[0], y[0], 1e-5f);

        var copy = Mlp.FromWeights(exported);
        Assert.Equal(logits, copy.Forward(rows, 9));
        Assert.Equal(logits, mlp.Clone().Forward(rows, 9));
    }

    private static float[] Dense(float[] x, DenseLayerWeights w)
    {
        var y = new float[w.Outputs];
        for (int o = 0; o < w.Outputs; o++)
        {
            double z = w.Bias[o];
            for (int i = 0; i < w.Inputs; i++) z += w.Weights[o * w.Inputs + i] * x[i];
            y[o] = (float)(w.Activation == Activation.Relu ? Math.Max(0, z) : w.Activation == Activation.Tanh ? Math.Tanh(z) : z);
        }
        return y;
    }

    [Fact]
    public void Forward_and_backward_do_not_allocate_after_warm_up()
    {
        var mlp = RandomMlp(12, [16, 16], Activation.Relu, seed: 8);
        var rows = RandomRows(64, 12, seed: 2);
        var up = RandomRows(64, 1, seed: 6);
        var logits = new float[64];
        mlp.Forward(rows, 64, logits); // warm-up: buffers grow here
        mlp.Backward(up);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            mlp.Forward(rows, 40 + i, logits); // smaller batches reuse the buffers
            mlp.ZeroGradients();
            mlp.Backward(up);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Initialization_is_deterministic_and_bounded()
    {
        var a = new Mlp(10, [20], Activation.Relu);
        var b = new Mlp(10, [20], Activation.Relu);
        var c = new Mlp(10, [20], Activation.Relu);
        a.Initialize(42);
        b.Initialize(42);
        c.Initialize(43);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.NotEqual(a.Parameters, c.Parameters);
        double heLimit = Math.Sqrt(6.0 / 10);
        var w0 = a.Parameters.AsSpan(a.WeightOffset(0), 200).ToArray();
        Assert.All(w0, w => Assert.InRange(Math.Abs(w), 0, heLimit));
        Assert.True(w0.Max() > 0.8 * heLimit && w0.Min() < -0.8 * heLimit, "weights do not span the He range");
        Assert.All(a.Parameters.AsSpan(a.BiasOffset(0), 20).ToArray(), v => Assert.Equal(0f, v));
        double outLimit = 0.1 * Math.Sqrt(6.0 / 21);
        Assert.All(a.Parameters.AsSpan(a.WeightOffset(1), 20).ToArray(), w => Assert.InRange(Math.Abs(w), 0, outLimit));
    }

    [Fact]
    public void Rejects_inconsistent_shapes()
    {
        Assert.Throws<ArgumentException>(() => Mlp.FromWeights([new DenseLayerWeights(3, 2, new float[6], new float[2], Activation.Relu)]));
        Assert.Throws<ArgumentException>(() => Mlp.FromWeights([
            new DenseLayerWeights(3, 2, new float[6], new float[2], Activation.Relu),
            new DenseLayerWeights(4, 1, new float[4], new float[1], Activation.None)]));
        var mlp = new Mlp(3, [2], Activation.Tanh);
        Assert.Throws<InvalidOperationException>(() => mlp.Backward(new float[1]));
        Assert.Throws<ArgumentException>(() => mlp.Forward(new float[5], 2, new float[2]));
    }

    private static double Dot(float[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < b.Length; i++) s += a[i] * b[i];
        return s;
    }
}
