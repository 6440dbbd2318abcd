namespace CompilerLLM.Training.Supervised;

/// <summary>A fitted linear scorer: score(x) = w·x + b on raw (unstandardized) features.</summary>
public sealed record LinearModel(float[] Weights, float Bias, int Iterations, double FinalLoss)
{
    public float Score(ReadOnlySpan<float> row)
    {
        double s = Bias;
        for (int k = 0; k < Weights.Length; k++) s += (double)Weights[k] * row[k];
        return (float)s;
    }
}

/// <summary>
/// Weighted, L2-regularized logistic regression fitted by Newton's method (IRLS). The loss is convex, so the
/// fit is unique and deterministic — no learning rate, no seed — which is what a first, explainable policy
/// needs. Features are standardized internally (columns with no variance are dropped) and the solution is
/// folded back into weights on raw features, so the exported model needs no preprocessing.
/// </summary>
public static class LogisticRegression
{
    /// <param name="rows">Row-major [n, width].</param>
    /// <param name="labels">0 or 1 per row.</param>
    /// <param name="weights">Per-row importance (null: all 1).</param>
    /// <param name="l2">Ridge strength on standardized weights, relative to the total row weight.</param>
    public static LinearModel Fit(float[] rows, int width, float[] labels, float[]? weights = null, double l2 = 1e-3,
        int maxIterations = 50, double tolerance = 1e-9)
    {
        int n = labels.Length;
        if (rows.Length != n * width) throw new ArgumentException($"{rows.Length} floats for {n} rows of {width}");
        if (n == 0) throw new ArgumentException("no rows to fit");
        weights ??= [.. Enumerable.Repeat(1f, n)];
        double total = weights.Sum(w => (double)w);

        // Standardize: mean and deviation per column (weighted); constant columns get no parameter.
        var mean = new double[width];
        var std = new double[width];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < width; k++) mean[k] += weights[i] * rows[i * width + k];
        for (int k = 0; k < width; k++) mean[k] /= total;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < width; k++) { double d = rows[i * width + k] - mean[k]; std[k] += weights[i] * d * d; }
        var active = new List<int>();
        for (int k = 0; k < width; k++)
        {
            std[k] = Math.Sqrt(std[k] / total);
            if (std[k] > 1e-9) active.Add(k);
        }
        int p = active.Count + 1; // + intercept (last)
        var z = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < active.Count; j++) { int k = active[j]; z[i * p + j] = (rows[i * width + k] - mean[k]) / std[k]; }
            z[i * p + p - 1] = 1;
        }

        var beta = new double[p];
        double lambda = l2 * total, loss = double.MaxValue;
        int iteration = 0;
        var gradient = new double[p];
        var hessian = new double[p * p];
        for (; iteration < maxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            double newLoss = 0;
            for (int i = 0; i < n; i++)
            {
                var zi = z.AsSpan(i * p, p);
                double s = 0;
                for (int j = 0; j < p; j++) s += beta[j] * zi[j];
                double prob = Sigmoid(s), w = weights[i], y = labels[i];
                newLoss += w * (y > 0.5 ? Softplus(-s) : Softplus(s));
                double g = w * (prob - y), h = w * Math.Max(prob * (1 - prob), 1e-12);
                for (int a = 0; a < p; a++)
                {
                    gradient[a] += g * zi[a];
                    double hz = h * zi[a];
                    for (int b = 0; b <= a; b++) hessian[a * p + b] += hz * zi[b];
                }
            }
            for (int a = 0; a < p - 1; a++) // the intercept is not penalized
            {
                newLoss += 0.5 * lambda * beta[a] * beta[a];
                gradient[a] += lambda * beta[a];
                hessian[a * p + a] += lambda;
            }
            hessian[(p - 1) * p + p - 1] += 1e-9;
            for (int a = 0; a < p; a++)
                for (int b = a + 1; b < p; b++) hessian[a * p + b] = hessian[b * p + a];
            double[] step = Cholesky.Solve(hessian, gradient, p);
            for (int a = 0; a < p; a++) beta[a] -= step[a];
            bool converged = Math.Abs(loss - newLoss) <= tolerance * Math.Max(1, Math.Abs(newLoss));
            loss = newLoss;
            if (converged) break;
        }

        // Fold the standardization back: w_k = beta_j / std_k, b = beta_0 - sum beta_j mean_k / std_k.
        var raw = new float[width];
        double bias = beta[p - 1];
        for (int j = 0; j < active.Count; j++)
        {
            int k = active[j];
            raw[k] = (float)(beta[j] / std[k]);
            bias -= beta[j] * mean[k] / std[k];
        }
        return new LinearModel(raw, (float)bias, iteration + 1, loss / total);
    }

    public static double Sigmoid(double s) => s >= 0 ? 1 / (1 + Math.Exp(-s)) : Math.Exp(s) / (1 + Math.Exp(s));

    private static double Softplus(double s) => s > 30 ? s : double.LogP1(Math.Exp(s));
}

/// <summary>Solves H x = g for a symmetric positive definite H (row-major p×p) by Cholesky factorization.</summary>
internal static class Cholesky
{
    public static double[] Solve(double[] h, double[] g, int p)
    {
        var l = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = h[i * p + j];
                for (int k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
                if (i == j)
                {
                    if (s <= 0) throw new InvalidOperationException("the Hessian is not positive definite");
                    l[i * p + i] = Math.Sqrt(s);
                }
                else l[i * p + j] = s / l[j * p + j];
            }
        }
        var y = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = g[i];
            for (int k = 0; k < i; k++) s -= l[i * p + k] * y[k];
            y[i] = s / l[i * p + i];
        }
        var x = new double[p];
        for (int i = p - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
            x[i] = s / l[i * p + i];
        }
        return x;
    }
}
