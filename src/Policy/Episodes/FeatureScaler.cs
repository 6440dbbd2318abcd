using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Episodes;

/// <summary>
/// Per-feature standardization learned on the training split. The network trains on standardized rows;
/// at export the scaling is folded into the first layer (W' = W/σ, b' = b − W·μ/σ) so the shipped model
/// reads the raw rows the optimizer extracts. Features without variance keep σ = 1.
/// </summary>
public sealed class FeatureScaler
{
    public FeatureScaler(float[] mean, float[] scale)
    {
        Mean = mean;
        Scale = scale;
    }

    public float[] Mean { get; }
    public float[] Scale { get; }

    public static FeatureScaler Fit(IEnumerable<float[]> rowBlocks, int width)
    {
        var sum = new double[width];
        var sumSq = new double[width];
        long n = 0;
        foreach (var rows in rowBlocks)
        {
            for (int r = 0; r < rows.Length / width; r++, n++)
                for (int k = 0; k < width; k++)
                {
                    double v = rows[r * width + k];
                    sum[k] += v;
                    sumSq[k] += v * v;
                }
        }
        var mean = new float[width];
        var scale = new float[width];
        for (int k = 0; k < width; k++)
        {
            double m = n == 0 ? 0 : sum[k] / n;
            double variance = n == 0 ? 0 : Math.Max(0, sumSq[k] / n - m * m);
            mean[k] = (float)m;
            scale[k] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return new FeatureScaler(mean, scale);
    }

    public float[] Apply(float[] rows)
    {
        int width = Mean.Length;
        var result = new float[rows.Length];
        for (int i = 0; i < rows.Length; i++) result[i] = (rows[i] - Mean[i % width]) / Scale[i % width];
        return result;
    }

    /// <summary>The same network on raw rows: the first layer absorbs the standardization.</summary>
    public IReadOnlyList<DenseLayerWeights> Fold(IReadOnlyList<DenseLayerWeights> layers)
    {
        var first = layers[0];
        if (first.Inputs != Mean.Length) throw new ArgumentException($"the first layer reads {first.Inputs} features, the scaler knows {Mean.Length}");
        var weights = new float[first.Weights.Length];
        var bias = (float[])first.Bias.Clone();
        for (int o = 0; o < first.Outputs; o++)
        {
            double b = first.Bias[o];
            for (int k = 0; k < first.Inputs; k++)
            {
                float w = first.Weights[o * first.Inputs + k] / Scale[k];
                weights[o * first.Inputs + k] = w;
                b -= (double)w * Mean[k];
            }
            bias[o] = (float)b;
        }
        return [first with { Weights = weights, Bias = bias }, .. layers.Skip(1)];
    }
}
