using CompilerLLM.Training.Supervised;

namespace CompilerLLM.Training.Tests.Supervised;

public sealed class LogisticRegressionTests
{
    /// <summary>Rows drawn from a known logistic model; with enough rows the fit recovers its weights.</summary>
    [Fact]
    public void RecoversTheWeightsOfAKnownLogisticModel()
    {
        double[] truth = [2.0, -1.5, 0.0, 0.75];
        const double trueBias = -0.5;
        var rng = new Random(3);
        int n = 40000, width = truth.Length + 1; // the last column is constant: it must get weight 0
        var rows = new float[n * width];
        var labels = new float[n];
        for (int i = 0; i < n; i++)
        {
            double s = trueBias;
            for (int k = 0; k < truth.Length; k++)
            {
                float x = (float)(rng.NextDouble() * 4 - 2) + k; // shifted columns: standardization must be folded back correctly
                rows[i * width + k] = x;
                s += truth[k] * x;
            }
            rows[i * width + truth.Length] = 7f;
            labels[i] = rng.NextDouble() < LogisticRegression.Sigmoid(s) ? 1 : 0;
        }
        var model = LogisticRegression.Fit(rows, width, labels, l2: 1e-6);
        for (int k = 0; k < truth.Length; k++) Assert.True(Math.Abs(model.Weights[k] - truth[k]) < 0.06, $"w{k} = {model.Weights[k]}, truth {truth[k]}");
        Assert.Equal(0f, model.Weights[truth.Length]);
        Assert.True(Math.Abs(model.Bias - trueBias) < 0.15, $"bias {model.Bias}");
        Assert.True(model.Iterations < 20);
    }

    [Fact]
    public void RowWeightsActLikeRepeatedRows()
    {
        var rng = new Random(8);
        int n = 300, width = 3;
        var rows = Enumerable.Range(0, n * width).Select(_ => (float)rng.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => rows[i * width] + 0.3 * rng.NextDouble() > 0.6 ? 1f : 0f).ToArray();
        var weights = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 2f : 1f).ToArray();
        var weighted = LogisticRegression.Fit(rows, width, labels, weights);

        var repeatedRows = new List<float>();
        var repeatedLabels = new List<float>();
        for (int i = 0; i < n; i++)
            for (int r = 0; r < (int)weights[i]; r++)
            {
                repeatedRows.AddRange(rows.AsSpan(i * width, width).ToArray());
                repeatedLabels.Add(labels[i]);
            }
        var repeated = LogisticRegression.Fit([.. repeatedRows], width, [.. repeatedLabels]);
        for (int k = 0; k < width; k++) Assert.Equal(repeated.Weights[k], weighted.Weights[k], 3);
        Assert.Equal(repeated.Bias, weighted.Bias, 3);
    }

    [Fact]
    public void ScoreIsTheLinearFunctionOfRawFeatures()
    {
        var model = new LinearModel([1f, -2f, 0.5f], 0.25f, 1, 0);
        Assert.Equal(1f * 3 - 2f * 1 + 0.5f * 4 + 0.25f, model.Score([3f, 1f, 4f]), 6);
    }
}
