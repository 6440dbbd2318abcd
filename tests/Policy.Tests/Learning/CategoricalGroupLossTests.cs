using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

/// <summary>The categorical GMPO loss: its gradient is the loss's derivative, and it pushes probability towards better rollouts.</summary>
public sealed class CategoricalGroupLossTests
{
    private static (List<CategoricalGroup> Batch, float[] Behaviour, float[] Reference, int Rows) Batch(int seed)
    {
        var rng = new Random(seed);
        var batch = new List<CategoricalGroup>();
        int rows = 0;
        for (int p = 0; p < 3; p++)
        {
            var slots = new List<ChoiceSlot>();
            for (int s = 0; s < 2 + p; s++)
            {
                int n = 2 + rng.Next(4);
                slots.Add(new ChoiceSlot(rows, n));
                rows += n;
            }
            var rollouts = Enumerable.Range(0, 4).Select(_ => new CategoricalRollout([.. slots.Select(s => rng.Next(s.Count))], rng.NextDouble())).ToList();
            batch.Add(new CategoricalGroup(slots, rollouts, [(float)rng.NextDouble(), (float)rng.NextDouble()]));
        }
        float[] behaviour = [.. Enumerable.Range(0, rows).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        float[] reference = [.. Enumerable.Range(0, rows).Select(_ => (float)(rng.NextDouble() - 0.5))];
        return (batch, behaviour, reference, rows);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GradientMatchesFiniteDifferences(bool kl)
    {
        var (batch, behaviour, reference, rows) = Batch(4);
        var config = new TrainingConfig { KlPenalty = kl, KlCoefficient = 0.3, LogRatioClip = 10 };
        var advantages = CategoricalGroupLoss.Advantages(batch, behaviour, config);
        var rng = new Random(9);
        float[] logits = [.. behaviour.Select(z => z + (float)(rng.NextDouble() * 0.4 - 0.2))];
        var grad = new float[rows];
        CategoricalGroupLoss.Compute(batch, advantages, behaviour, reference, logits, grad, config);
        var scratch = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            const float h = 1e-3f;
            float[] plus = (float[])logits.Clone(), minus = (float[])logits.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (CategoricalGroupLoss.Compute(batch, advantages, behaviour, reference, plus, scratch, config).Total
                - CategoricalGroupLoss.Compute(batch, advantages, behaviour, reference, minus, scratch, config).Total) / (2 * h);
            Assert.True(Math.Abs(numeric - grad[i]) <= 2e-3 + 2e-2 * Math.Abs(numeric), $"row {i}: analytic {grad[i]}, numeric {numeric}");
        }
    }

    [Fact]
    public void AStepAlongTheGradientMakesTheBestRolloutMoreLikely()
    {
        var slot = new ChoiceSlot(0, 3);
        var group = new CategoricalGroup([slot], [new CategoricalRollout([2], 1.0), new CategoricalRollout([0], 0.0), new CategoricalRollout([1], 0.0)]);
        var config = new TrainingConfig { KlPenalty = false, SurpriseModulation = false, CrossGroupNormalization = false };
        float[] logits = [0, 0, 0];
        var advantages = CategoricalGroupLoss.Advantages([group], logits, config);
        var grad = new float[3];
        CategoricalGroupLoss.Compute([group], advantages, logits, logits, logits, grad, config);
        float[] after = [.. logits.Select((z, i) => z - 0.5f * grad[i])];
        var lp = new double[3];
        CategoricalPolicy.LogSoftmax(after, lp);
        Assert.True(Math.Exp(lp[2]) > 1.0 / 3 + 0.01, $"p(best) = {Math.Exp(lp[2])}");
    }
}
