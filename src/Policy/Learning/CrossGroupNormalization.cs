namespace CompilerLLM.Training.Learning;

/// <summary>
/// Cross-Group Meta-Normalization (CG-MN): each program's baseline (μ, σ) borrows the statistics
/// of similar programs in the same batch.
/// <list type="number">
/// <item>Similarity s_pq from the embeddings (<see cref="SimilarityKernel"/>).</item>
/// <item>Weights w_pq = exp(s_pq/τ) / Σ_q' exp(s_pq'/τ): each row sums to 1, the program itself included.</item>
/// <item>Neighbour aggregate: μ̂_p = Σ_q w_pq μ_q,  σ̂_p² = Σ_q w_pq (σ_q² + (μ_q − μ̂_p)²)
///   (mean and variance of the w-weighted mixture of the neighbours' reward distributions).</item>
/// <item>Blend: μ̃_p = (1−λ)μ_p + λμ̂_p,  σ̃_p = (1−λ)σ_p + λσ̂_p.</item>
/// </list>
/// </summary>
public static class CrossGroupNormalization
{
    /// <summary>P×P similarity matrix of the embeddings (all of one length).</summary>
    public static double[,] Similarity(IReadOnlyList<float[]> embeddings, SimilarityKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        int p = embeddings.Count;
        if (p == 0) return new double[0, 0];
        int d = embeddings[0]?.Length ?? throw new ArgumentException("Embedding 0 is null.", nameof(embeddings));
        for (int i = 0; i < p; i++)
            if (embeddings[i] is null || embeddings[i].Length != d) throw new ArgumentException($"Embedding {i} is missing or not of length {d}.", nameof(embeddings));
        var s = new double[p, p];
        var norms = new double[p];
        for (int i = 0; i < p; i++) norms[i] = Math.Sqrt(Dot(embeddings[i], embeddings[i]));
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
            {
                if (kernel == SimilarityKernel.Rbf)
                {
                    double d2 = 0;
                    for (int k = 0; k < d; k++)
                    {
                        double diff = (double)embeddings[i][k] - embeddings[j][k];
                        d2 += diff * diff;
                    }
                    s[i, j] = -d2;
                }
                else
                {
                    s[i, j] = norms[i] == 0 || norms[j] == 0 ? 0 : Dot(embeddings[i], embeddings[j]) / (norms[i] * norms[j]);
                }
            }
        return s;
    }

    /// <summary>Row-wise softmax of s/τ (max-subtracted for stability).</summary>
    public static double[,] Weights(double[,] similarity, double temperature)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        int p = similarity.GetLength(0);
        if (similarity.GetLength(1) != p) throw new ArgumentException("The similarity matrix must be square.", nameof(similarity));
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature));
        var w = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < p; j++) max = Math.Max(max, similarity[i, j] / temperature);
            double sum = 0;
            for (int j = 0; j < p; j++) sum += w[i, j] = Math.Exp(similarity[i, j] / temperature - max);
            for (int j = 0; j < p; j++) w[i, j] /= sum;
        }
        return w;
    }

    /// <summary>
    /// Uniform weights over each group's <paramref name="k"/> most similar groups (itself included, ties broken by
    /// index): the K-nearest-neighbour form of CG-MN, used when the batch holds programs of very different kinds and
    /// a softmax over all of them would blur the baseline. <paramref name="k"/> at or above P is the uniform average.
    /// </summary>
    public static double[,] NearestNeighbourWeights(double[,] similarity, int k)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        int p = similarity.GetLength(0);
        if (similarity.GetLength(1) != p) throw new ArgumentException("The similarity matrix must be square.", nameof(similarity));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k));
        int take = Math.Min(k, p);
        var w = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            int row = i;
            // The group itself first (it is always its own neighbour), then by similarity, then by index.
            var order = Enumerable.Range(0, p).OrderBy(j => j == row ? 0 : 1).ThenByDescending(j => similarity[row, j]).ThenBy(j => j);
            foreach (int j in order.Take(take)) w[i, j] = 1.0 / take;
        }
        return w;
    }

    /// <summary>The neighbour weights a configuration asks for: K nearest when <see cref="TrainingConfig.CrossGroupNeighbours"/> is set, else the softmax.</summary>
    public static double[,] WeightsFor(IReadOnlyList<float[]> embeddings, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var similarity = Similarity(embeddings, config.Kernel);
        return config.CrossGroupNeighbours > 0 ? NearestNeighbourWeights(similarity, config.CrossGroupNeighbours) : Weights(similarity, config.KernelTemperature);
    }

    /// <summary>The blended baselines (μ̃_p, σ̃_p) for every group.</summary>
    public static GroupStatistics[] Aggregate(ReadOnlySpan<GroupStatistics> own, double[,] weights, double blend)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int p = own.Length;
        if (weights.GetLength(0) != p || weights.GetLength(1) != p) throw new ArgumentException("Weights must be P×P for P groups.", nameof(weights));
        if (!(blend >= 0 && blend <= 1)) throw new ArgumentOutOfRangeException(nameof(blend));
        var result = new GroupStatistics[p];
        for (int i = 0; i < p; i++)
        {
            double mu = 0;
            for (int j = 0; j < p; j++) mu += weights[i, j] * own[j].Mean;
            double var = 0;
            for (int j = 0; j < p; j++)
            {
                double dm = own[j].Mean - mu;
                var += weights[i, j] * (own[j].StdDev * own[j].StdDev + dm * dm);
            }
            result[i] = new GroupStatistics(
                (1 - blend) * own[i].Mean + blend * mu,
                (1 - blend) * own[i].StdDev + blend * Math.Sqrt(var));
        }
        return result;
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++) s += (double)a[k] * b[k];
        return s;
    }
}
