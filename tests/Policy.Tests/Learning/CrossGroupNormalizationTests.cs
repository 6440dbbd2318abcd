using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

public sealed class CrossGroupNormalizationTests
{
    // s chosen so that exp(s/τ) is an integer at τ = 1 (and its square at τ = ½).
    private static readonly double[,] Similarity =
    {
        { Math.Log(2), 0, 0 },
        { 0, Math.Log(3), Math.Log(2) },
        { Math.Log(4), 0, Math.Log(4) },
    };

    [Fact]
    public void Weights_on_a_hand_made_similarity_matrix_are_the_hand_computed_softmax()
    {
        var w = CrossGroupNormalization.Weights(Similarity, 1.0);
        double[,] expected =
        {
            { 2 / 4.0, 1 / 4.0, 1 / 4.0 },
            { 1 / 6.0, 3 / 6.0, 2 / 6.0 },
            { 4 / 9.0, 1 / 9.0, 4 / 9.0 },
        };
        AssertMatrix(expected, w);

        var sharp = CrossGroupNormalization.Weights(Similarity, 0.5); // exp(2s) = squares
        double[,] expectedSharp =
        {
            { 4 / 6.0, 1 / 6.0, 1 / 6.0 },
            { 1 / 14.0, 9 / 14.0, 4 / 14.0 },
            { 16 / 33.0, 1 / 33.0, 16 / 33.0 },
        };
        AssertMatrix(expectedSharp, sharp);
    }

    [Fact]
    public void Nearest_neighbour_weights_are_uniform_over_the_group_and_its_most_similar_others()
    {
        var w = CrossGroupNormalization.NearestNeighbourWeights(Similarity, 2);
        double[,] expected =
        {
            { 1 / 2.0, 1 / 2.0, 0 },      // row 0: itself, then 1 and 2 tie at 0: the lower index
            { 0, 1 / 2.0, 1 / 2.0 },
            { 1 / 2.0, 0, 1 / 2.0 },
        };
        AssertMatrix(expected, w);
        AssertMatrix(new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, CrossGroupNormalization.NearestNeighbourWeights(Similarity, 1));
        Assert.Equal(1 / 3.0, CrossGroupNormalization.NearestNeighbourWeights(Similarity, 9)[1, 0], 12);
    }

    [Fact]
    public void Aggregated_baselines_are_the_hand_computed_mixture_statistics()
    {
        var w = CrossGroupNormalization.Weights(Similarity, 1.0);
        GroupStatistics[] own = [new(1, 0.5), new(2, 1), new(4, 0)];
        var agg = CrossGroupNormalization.Aggregate(own, w, blend: 0.5);
        // Row 0, w = (½, ¼, ¼): μ̂ = ½·1 + ¼·2 + ¼·4 = 2;
        // σ̂² = ½(0.25 + 1) + ¼(1 + 0) + ¼(0 + 4) = 1.875.
        Assert.Equal(0.5 * 1 + 0.5 * 2, agg[0].Mean, 12);
        Assert.Equal(0.5 * 0.5 + 0.5 * Math.Sqrt(1.875), agg[0].StdDev, 12);
        // Row 2, w = (4/9, 1/9, 4/9): μ̂ = (4 + 2 + 16)/9 = 22/9;
        // σ̂² = 4/9(0.25 + (1 − 22/9)²) + 1/9(1 + (2 − 22/9)²) + 4/9(0 + (4 − 22/9)²).
        double mu2 = 22.0 / 9;
        double var2 = 4.0 / 9 * (0.25 + Math.Pow(1 - mu2, 2)) + 1.0 / 9 * (1 + Math.Pow(2 - mu2, 2)) + 4.0 / 9 * Math.Pow(4 - mu2, 2);
        Assert.Equal(0.5 * 4 + 0.5 * mu2, agg[2].Mean, 12);
        Assert.Equal(0.5 * 0 + 0.5 * Math.Sqrt(var2), agg[2].StdDev, 12);

        // Blend 0 keeps each group's own statistics; blend 1 uses the neighbours' only.
        Assert.Equal(own, CrossGroupNormalization.Aggregate(own, w, 0.0));
        Assert.Equal(2.0, CrossGroupNormalization.Aggregate(own, w, 1.0)[0].Mean, 12);
    }

    [Fact]
    public void Kernels_give_the_hand_computed_similarities()
    {
        float[][] e = [[0, 0], [1, 0], [0, 2]];
        var rbf = CrossGroupNormalization.Similarity(e, SimilarityKernel.Rbf);
        AssertMatrix(new double[,] { { 0, -1, -4 }, { -1, 0, -5 }, { -4, -5, 0 } }, rbf);

        float[][] c = [[1, 0], [1, 1], [0, 3], [0, 0]];
        var cos = CrossGroupNormalization.Similarity(c, SimilarityKernel.Cosine);
        double r = 1 / Math.Sqrt(2);
        AssertMatrix(new double[,] { { 1, r, 0, 0 }, { r, 1, r, 0 }, { 0, r, 1, 0 }, { 0, 0, 0, 0 } }, cos);
    }

    [Fact]
    public void Switch_off_gives_plain_group_statistics_and_switch_on_the_blend()
    {
        var state = new DecisionSet(new float[2], 2, 1, [true, true], [0f, 0f]);
        RolloutGroup Group(float[] emb, params double[] rewards) => new(rewards.Select(r => new Rollout(state, [false, false], r)).ToList(), emb);
        List<RolloutGroup> batch = [Group([0f], 1, 3), Group([1f], 0, 0, 6), Group([5f], 2, 2)];
        var off = new TrainingConfig { CrossGroupNormalization = false, SurpriseModulation = false, AdvantageEpsilon = 1e-3 };

        var (adv, baselines) = AdvantageEstimator.Compute(batch, off);
        // Plain: means 2, 2, 2; population std 1, √8, 0.
        Assert.Equal([new GroupStatistics(2, 1), new GroupStatistics(2, Math.Sqrt(8)), new GroupStatistics(2, 0)], baselines);
        Assert.Equal((1 - 2) / (1 + 1e-3), adv[0], 12);
        Assert.Equal((6 - 2) / (Math.Sqrt(8) + 1e-3), adv[4], 12);
        Assert.Equal(0.0, adv[5]);

        var on = off with { CrossGroupNormalization = true, Kernel = SimilarityKernel.Rbf, KernelTemperature = 1, CrossGroupBlend = 0.5 };
        var (advOn, baseOn) = AdvantageEstimator.Compute(batch, on);
        // RBF: s = −d², d = |e_p − e_q| for e = 0, 1, 5; row 2: s = (−25, −16, 0).
        double[] w2 = [Math.Exp(-25), Math.Exp(-16), 1];
        double z = w2.Sum();
        double var2 = (w2[0] * 1 + w2[1] * 8) / z; // all means are 2: only the variances mix
        Assert.Equal(2.0, baseOn[2].Mean, 12);
        Assert.Equal(0.5 * 0 + 0.5 * Math.Sqrt(var2), baseOn[2].StdDev, 12);
        // The zero-variance group now has a non-zero scale (tiny, since its neighbours are far away).
        Assert.True(baseOn[2].StdDev > 0);
        Assert.NotEqual(baselines[0].StdDev, baseOn[0].StdDev);
        Assert.Equal((1 - baseOn[0].Mean) / (baseOn[0].StdDev + 1e-3), advOn[0], 12);

        Assert.Throws<ArgumentException>(() => AdvantageEstimator.Compute([Group([0f], 1, 2), Group(null!, 1, 2)], on));
    }

    private static void AssertMatrix(double[,] expected, double[,] actual)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) < 1e-6, $"[{i},{j}]: expected {expected[i, j]}, got {actual[i, j]}");
    }
}
