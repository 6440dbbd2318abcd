using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

public sealed class SurpriseModulationTests
{
    private static readonly float Ln9 = MathF.Log(9f);
    private static readonly double H09 = -(0.9 * Math.Log(0.9) + 0.1 * Math.Log(0.1)); // entropy of p = 0.9

    private static Rollout Make(float[] behaviour, bool[] chosen, bool[]? mask = null)
        => new(new DecisionSet(new float[behaviour.Length], behaviour.Length, 1, mask ?? behaviour.Select(_ => true).ToArray(), behaviour), chosen, 1.0);

    [Fact]
    public void Surprise_and_baseline_are_the_hand_computed_means()
    {
        // p = 0.9 on both rows, both rejected: surprisal −ln 0.1 each; baseline = H(0.9).
        var (s, b) = SurpriseModulation.Measure(Make([Ln9, Ln9], [false, false]));
        Assert.Equal(Math.Log(10), s, 6);
        Assert.Equal(H09, b, 6);
        // One expected, one surprising decision: mean of −ln 0.9 and −ln 0.1. The masked row is ignored.
        (s, _) = SurpriseModulation.Measure(Make([Ln9, Ln9, 0f], [true, false, false], [true, true, false]));
        Assert.Equal((-Math.Log(0.9) - Math.Log(0.1)) / 2, s, 6);
        // Uniform policy: every action has surprisal ln 2 = entropy, so S − b = 0.
        (s, b) = SurpriseModulation.Measure(Make([0f, 0f, 0f], [true, false, true]));
        Assert.Equal(Math.Log(2), s, 9);
        Assert.Equal(Math.Log(2), b, 9);
    }

    [Fact]
    public void Factor_amplifies_only_surprising_successes_and_respects_the_clip()
    {
        double s = Math.Log(10), b = H09;
        Assert.Equal(1 + 0.5 * (s - b), SurpriseModulation.Factor(1.0, s, b, alpha: 0.5, maxFactor: 3), 12); // ≈ 1.9888
        Assert.Equal(1.5, SurpriseModulation.Factor(1.0, s, b, alpha: 0.5, maxFactor: 1.5));              // clipped at M
        Assert.Equal(1.0, SurpriseModulation.Factor(-1.0, s, b, alpha: 0.5, maxFactor: 3));              // failure: untouched
        Assert.Equal(1.0, SurpriseModulation.Factor(0.0, s, b, alpha: 0.5, maxFactor: 3));
        Assert.Equal(1.0, SurpriseModulation.Factor(1.0, -Math.Log(0.9), b, alpha: 0.5, maxFactor: 3));  // unsurprising success
        Assert.Equal(1.0, SurpriseModulation.Factor(1.0, s, b, alpha: 0, maxFactor: 3));                 // α = 0: off
    }

    [Fact]
    public void Clip_bound_holds_on_random_rollouts()
    {
        var rng = new Random(4);
        for (int k = 0; k < 2000; k++)
        {
            int n = 1 + rng.Next(6);
            var logits = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 16 - 8)).ToArray();
            var chosen = Enumerable.Range(0, n).Select(_ => rng.Next(2) == 0).ToArray();
            var (s, b) = SurpriseModulation.Measure(Make(logits, chosen));
            double a = rng.NextDouble() * 4 - 2, alpha = rng.NextDouble() * 5, max = 1 + rng.NextDouble() * 3;
            double m = SurpriseModulation.Factor(a, s, b, alpha, max);
            Assert.InRange(m, 1.0, max);
            if (a <= 0) Assert.Equal(1.0, m);
            Assert.True(Math.Abs(a * m) <= max * Math.Abs(a) + 1e-12);
        }
    }

    [Fact]
    public void Estimator_multiplies_plain_advantages_by_the_factor_when_switched_on()
    {
        var state = new DecisionSet(new float[2], 2, 1, [true, true], [Ln9, Ln9]);
        var group = new RolloutGroup([
            new Rollout(state, [false, false], 1.0),  // surprising success
            new Rollout(state, [true, true], 0.0),    // expected failure
            new Rollout(state, [true, false], 0.5),
        ]);
        var off = new TrainingConfig { CrossGroupNormalization = false, SurpriseModulation = false };
        var on = off with { SurpriseModulation = true, SurpriseAlpha = 0.5, SurpriseMaxFactor = 3 };
        var (plain, _) = AdvantageEstimator.Compute([group], off);
        var (mod, _) = AdvantageEstimator.Compute([group], on);
        Assert.True(plain[0] > 0 && plain[1] < 0);
        Assert.Equal(plain[0] * (1 + 0.5 * (Math.Log(10) - H09)), mod[0], 6);
        Assert.Equal(plain[1], mod[1]);
        Assert.Equal(plain[2], mod[2]); // A = 0
    }
}
