using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

/// <summary>
/// The group-policy loss (both ratio modes, KL on and off) against central finite differences in
/// its logits, and the whole trainer (layout + MLP + loss) against finite differences in its parameters.
/// </summary>
/// <remarks>
/// Loss check tolerance: the loss is evaluated in double from float logits. Each logit is moved by
/// h ≈ 1e-3 and the actual float step is used as the denominator, so rounding contributes ~1e-16/1e-3;
/// the truncation error is h²/6·|L'''| ≲ 1e-7 for these O(1) smooth terms. The analytic gradient is
/// stored as float (relative error 6e-8). Bound: 1e-6 + 1e-4·|numeric|. Clipped surrogates have kinks,
/// so the test first asserts every decision's log-ratio is farther than 10h from a clip boundary.
/// </remarks>
public sealed class PolicyLossGradientTests
{
    internal sealed record Fixture(List<RolloutGroup> Batch, BatchLayout Layout, double[] Advantages, float[] Logits);

    /// <summary>
    /// Three programs; one group has two-decision rollouts (a sequence), one state is masked in part;
    /// current logits = behaviour logits + offsets, some large enough to be clipped.
    /// </summary>
    internal static Fixture MakeFixture(int seed, double[]? offsets = null, bool equalPolicies = false)
    {
        var rng = new Random(seed);
        const int f = 3;
        offsets ??= [0.05, -0.08, 0.9, -1.1, 0.12, -0.03, 1.4, -0.6];
        DecisionSet NewState(int rows)
        {
            var feats = Enumerable.Range(0, rows * f).Select(_ => (float)rng.NextDouble()).ToArray();
            var mask = Enumerable.Range(0, rows).Select(i => i % 4 != 3).ToArray();
            var logits = Enumerable.Range(0, rows).Select(_ => (float)(rng.NextDouble() * 3 - 1.5)).ToArray();
            return new DecisionSet(feats, rows, f, mask, logits);
        }
        bool[] Pick(DecisionSet s) => Enumerable.Range(0, s.Rows).Select(i => s.Mask[i] && rng.NextDouble() < 0.5).ToArray();

        var batch = new List<RolloutGroup>();
        var s0 = NewState(5);
        batch.Add(new RolloutGroup(Enumerable.Range(0, 3).Select(g => new Rollout(s0, Pick(s0), g)).ToList(), [1f, 0f]));
        var s1a = NewState(4);
        var s1b = NewState(6);
        batch.Add(new RolloutGroup(Enumerable.Range(0, 3).Select(g =>
            new Rollout([new Decision(s1a, Pick(s1a)), new Decision(s1b, Pick(s1b))], 2 * g)).ToList(), [0f, 1f]));
        var s2 = NewState(7);
        batch.Add(new RolloutGroup(Enumerable.Range(0, 4).Select(g => new Rollout(s2, Pick(s2), g % 2)).ToList(), [1f, 1f]));

        var layout = new BatchLayout();
        layout.Build(batch, f);
        var current = new float[layout.Rows];
        foreach (var s in new[] { s0, s1a, s1b, s2 })
        {
            int off = layout.OffsetOf(s);
            for (int i = 0; i < s.Rows; i++)
                current[off + i] = equalPolicies ? s.BehaviourLogits[i] : s.BehaviourLogits[i] + (float)offsets[(off + i) % offsets.Length];
        }
        // Positive, negative and zero advantages.
        double[] adv = [1.3, -0.7, 0.0, 0.4, -1.9, 2.2, -0.5, 0.9, 0.25, -1.2];
        Assert.Equal(AdvantageEstimator.RolloutCount(batch), adv.Length);
        return new Fixture(batch, layout, adv, current);
    }

    private static double Loss(Fixture fx, float[] logits, TrainingConfig config)
        => GroupPolicyLoss.Compute(fx.Batch, fx.Layout, fx.Advantages, logits, new float[logits.Length], config).Total;

    private static double MinDistanceToClipBoundary(Fixture fx, TrainingConfig config)
    {
        double min = double.PositiveInfinity;
        foreach (var g in fx.Batch)
            foreach (var r in g.Rollouts)
                foreach (var d in r.Decisions)
                {
                    int off = fx.Layout.OffsetOf(d.State);
                    for (int i = 0; i < d.State.Rows; i++)
                    {
                        if (!d.State.Mask[i]) continue;
                        double l = BernoulliPolicy.LogProbability(fx.Logits[off + i], d.Chosen[i]) - BernoulliPolicy.LogProbability(d.State.BehaviourLogits[i], d.Chosen[i]);
                        double dist = config.RatioMode == RatioMode.GeometricMean
                            ? Math.Min(Math.Abs(l - config.LogRatioClip), Math.Abs(l + config.LogRatioClip))
                            : Math.Min(Math.Abs(Math.Exp(l) - 1 - config.ClipEpsilon), Math.Abs(Math.Exp(l) - 1 + config.ClipEpsilon));
                        min = Math.Min(min, dist);
                    }
                }
        return min;
    }

    internal static void AssertGradientMatches(Fixture fx, TrainingConfig config, float[] analytic)
    {
        const float h = 1e-3f;
        for (int j = 0; j < fx.Logits.Length; j++)
        {
            var plus = (float[])fx.Logits.Clone();
            var minus = (float[])fx.Logits.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (Loss(fx, plus, config) - Loss(fx, minus, config)) / ((double)plus[j] - minus[j]);
            Assert.True(Math.Abs(analytic[j] - numeric) <= 1e-6 + 1e-4 * Math.Abs(numeric),
                $"logit {j}: analytic {analytic[j]} vs numeric {numeric}");
        }
    }

    [Theory]
    [InlineData(RatioMode.GeometricMean, false)]
    [InlineData(RatioMode.GeometricMean, true)]
    [InlineData(RatioMode.PerDecision, false)]
    [InlineData(RatioMode.PerDecision, true)]
    public void Surrogate_gradient_matches_central_differences(RatioMode mode, bool kl)
    {
        var config = new TrainingConfig { RatioMode = mode, KlPenalty = kl, KlCoefficient = 0.3 };
        var fx = MakeFixture(seed: 17);
        Assert.True(MinDistanceToClipBoundary(fx, config) > 1e-2, "fixture decision lies on a clip kink");
        var grad = new float[fx.Logits.Length];
        var terms = GroupPolicyLoss.Compute(fx.Batch, fx.Layout, fx.Advantages, fx.Logits, grad, config);
        Assert.InRange(terms.ClipFraction, 0.05, 0.95); // both the clipped and the unclipped branch are exercised
        Assert.True(terms.MeanKl > 0);
        Assert.Equal(kl ? 0.3 * terms.MeanKl : 0.0, terms.KlPenalty, 12);
        Assert.Equal(terms.PolicyLoss + terms.KlPenalty, terms.Total, 12);
        Assert.Equal(10, terms.Rollouts);
        Assert.Contains(grad, g => g != 0f);
        AssertGradientMatches(fx, config, grad);
    }

    [Fact]
    public void Masked_rows_get_no_gradient_and_do_not_change_the_loss()
    {
        var config = new TrainingConfig { KlCoefficient = 0.3 };
        var fx = MakeFixture(seed: 17);
        var grad = new float[fx.Logits.Length];
        double loss = GroupPolicyLoss.Compute(fx.Batch, fx.Layout, fx.Advantages, fx.Logits, grad, config).Total;
        int masked = 0;
        var moved = (float[])fx.Logits.Clone();
        foreach (var g in fx.Batch)
            foreach (var r in g.Rollouts)
                foreach (var d in r.Decisions)
                    for (int i = 0; i < d.State.Rows; i++)
                        if (!d.State.Mask[i])
                        {
                            int j = fx.Layout.OffsetOf(d.State) + i;
                            Assert.Equal(0f, grad[j]);
                            moved[j] += 5f;
                            masked++;
                        }
        Assert.True(masked > 0);
        Assert.Equal(loss, Loss(fx, moved, config));
    }

    [Fact]
    public void Geometric_mean_surrogate_equals_the_hand_computed_value()
    {
        // One rollout, two valid decisions: chosen row with z 0 → 0.5 and unchosen row with z_old = 0, z = ln 3.
        var state = new DecisionSet(new float[2], 2, 1, [true, true], [0f, 0f]);
        var batch = new List<RolloutGroup> { new([new Rollout(state, [true, false], 1.0)]) };
        var layout = new BatchLayout();
        layout.Build(batch, 1);
        float[] logits = [0.5f, MathF.Log(3f)];
        var config = new TrainingConfig { KlPenalty = false, LogRatioClip = 10 };
        var t = GroupPolicyLoss.Compute(batch, layout, [2.0], logits, new float[2], config);
        double l1 = Math.Log(1 / (1 + Math.Exp(-0.5))) - Math.Log(0.5); // log σ(0.5) − log ½
        double l2 = Math.Log(0.25) - Math.Log(0.5);                       // log(1 − ¾) − log ½
        Assert.Equal(-2.0 * Math.Exp((l1 + l2) / 2), t.PolicyLoss, 6);
        // With δ = 0.1 the positive-advantage clip caps only the first log-ratio (l1 ≈ 0.256 > 0.1; l2 < 0 stays).
        var clipped = GroupPolicyLoss.Compute(batch, layout, [2.0], logits, new float[2], config with { LogRatioClip = 0.1 });
        Assert.Equal(-2.0 * Math.Exp((0.1 + l2) / 2), clipped.PolicyLoss, 6);
        Assert.Equal(0.5, clipped.ClipFraction);
    }

    [Fact]
    public void Kl_term_is_zero_for_equal_policies_and_positive_otherwise()
    {
        var config = new TrainingConfig { KlPenalty = true, KlCoefficient = 0.5 };
        var equal = MakeFixture(seed: 17, equalPolicies: true);
        var grad = new float[equal.Logits.Length];
        var t = GroupPolicyLoss.Compute(equal.Batch, equal.Layout, new double[equal.Advantages.Length], equal.Logits, grad, config);
        Assert.Equal(0.0, t.MeanKl, 12);
        Assert.Equal(0.0, t.KlPenalty, 12);
        Assert.All(grad, g => Assert.Equal(0f, g, 1e-7f));

        var moved = MakeFixture(seed: 17);
        var t2 = GroupPolicyLoss.Compute(moved.Batch, moved.Layout, new double[moved.Advantages.Length], moved.Logits, grad, config);
        Assert.True(t2.MeanKl > 1e-3, $"KL {t2.MeanKl}");
        Assert.Equal(0.5 * t2.MeanKl, t2.Total, 12);
    }

    [Fact]
    public void Kl_term_alone_gradient_matches_central_differences()
    {
        var config = new TrainingConfig { KlPenalty = true, KlCoefficient = 0.7 };
        var fx = MakeFixture(seed: 23);
        fx = fx with { Advantages = new double[fx.Advantages.Length] }; // surrogate contributes nothing
        var grad = new float[fx.Logits.Length];
        GroupPolicyLoss.Compute(fx.Batch, fx.Layout, fx.Advantages, fx.Logits, grad, config);
        Assert.Contains(grad, g => g != 0f);
        AssertGradientMatches(fx, config, grad);
    }

    [Fact]
    public void Bernoulli_kl_equals_hand_computed_value()
    {
        // p = ½, q = ¾: KL = ½ ln(½/¾) + ½ ln(½/¼) = ½ ln(4/3).
        Assert.Equal(0.5 * Math.Log(4.0 / 3.0), BernoulliPolicy.KlDivergence(0.0, Math.Log(3.0)), 12);
        Assert.Equal(0.0, BernoulliPolicy.KlDivergence(1.7, 1.7), 15);
        Assert.True(BernoulliPolicy.KlDivergence(-30, 30) > 0);
        Assert.True(double.IsFinite(BernoulliPolicy.KlDivergence(-800, 800)));
    }

    [Fact]
    public void Trainer_gradient_through_the_mlp_matches_central_differences()
    {
        // End to end: layout → MLP (tanh, smooth) → loss → backward. Float forward, so h = 1e-2 and a
        // looser bound 2e-4 + 2e-2·|numeric| (float logit noise ~1e-7/2e-2 plus truncation h²·|L'''| ~1e-5).
        var config = new TrainingConfig { HiddenLayers = [6], HiddenActivation = Activation.Tanh, KlCoefficient = 0.3, OutputInitScale = 1f, Seed = 5 };
        var fx = MakeFixture(seed: 31, equalPolicies: true);
        var trainer = new GroupPolicyTrainer(config, 3);
        // Behaviour = the trainer's own policy moved by fixed offsets, so ratios ≠ 1 but stay unclipped.
        foreach (var g in fx.Batch)
            foreach (var r in g.Rollouts)
                foreach (var d in r.Decisions)
                {
                    var z = trainer.Model.Forward(d.State.Features, d.State.Rows);
                    for (int i = 0; i < z.Length; i++) d.State.BehaviourLogits[i] = z[i] + 0.05f * ((i % 3) - 1);
                }
        trainer.ComputeGradients(fx.Batch, fx.Advantages);
        var analytic = (float[])trainer.Model.Gradients.Clone();
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-3);
        var p = trainer.Model.Parameters;
        for (int k = 0; k < p.Length; k++)
        {
            float saved = p[k];
            p[k] = saved + 1e-2f;
            double lp = trainer.ComputeGradients(fx.Batch, fx.Advantages).Total;
            float up = p[k];
            p[k] = saved - 1e-2f;
            double lm = trainer.ComputeGradients(fx.Batch, fx.Advantages).Total;
            float down = p[k];
            p[k] = saved;
            double numeric = (lp - lm) / ((double)up - down);
            Assert.True(Math.Abs(analytic[k] - numeric) <= 2e-4 + 2e-2 * Math.Abs(numeric), $"parameter {k}: analytic {analytic[k]} vs numeric {numeric}");
        }
    }

    [Fact]
    public void Training_epoch_does_not_allocate_after_warm_up()
    {
        var config = new TrainingConfig { HiddenLayers = [8], KlCoefficient = 0.3 };
        var fx = MakeFixture(seed: 17);
        var trainer = new GroupPolicyTrainer(config, 3);
        trainer.ComputeGradients(fx.Batch, fx.Advantages);
        trainer.Optimizer.Step(trainer.Model.Parameters, trainer.Model.Gradients);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            trainer.ComputeGradients(fx.Batch, fx.Advantages);
            trainer.Optimizer.Step(trainer.Model.Parameters, trainer.Model.Gradients);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
