using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

public sealed class BernoulliPolicyTests
{
    [Fact]
    public void Log_probability_of_a_subset_is_the_sum_over_valid_rows()
    {
        float[] logits = [0f, MathF.Log(3f), -MathF.Log(3f), 5f];
        bool[] mask = [true, true, true, false];
        bool[] chosen = [true, false, true, false];
        // ½ chosen, ¾ not chosen (¼), ¼ chosen; the masked row is not a decision.
        Assert.Equal(Math.Log(0.5) + Math.Log(0.25) + Math.Log(0.25), BernoulliPolicy.LogProbability(logits, mask, chosen), 6);
        Assert.Throws<ArgumentException>(() => BernoulliPolicy.LogProbability(logits, mask, [false, false, false, true]));
    }

    [Fact]
    public void Sampling_frequencies_follow_the_sigmoid_and_never_choose_masked_rows()
    {
        float[] logits = [MathF.Log(3f), -2f, 10f];
        bool[] mask = [true, true, false];
        var rng = new Random(1);
        var chosen = new bool[3];
        int[] counts = new int[3];
        const int draws = 20000;
        for (int k = 0; k < draws; k++)
        {
            BernoulliPolicy.Sample(logits, mask, rng, chosen);
            for (int i = 0; i < 3; i++) if (chosen[i]) counts[i]++;
        }
        // Binomial standard error at n = 20000 is ≤ 0.0036; allow 4 of them.
        Assert.Equal(0.75, counts[0] / (double)draws, 0.015);
        Assert.Equal(BernoulliPolicy.Sigmoid(-2), counts[1] / (double)draws, 0.015);
        Assert.Equal(0, counts[2]);
    }

    [Fact]
    public void Sampling_is_a_function_of_the_generator_state()
    {
        float[] logits = [0.1f, -0.3f, 0.7f, 0f];
        bool[] mask = [true, false, true, true];
        var a = new bool[4];
        var b = new bool[4];
        var ra = new Random(9);
        var rb = new Random(9);
        for (int k = 0; k < 50; k++)
        {
            BernoulliPolicy.Sample(logits, mask, ra, a);
            BernoulliPolicy.Sample(logits, mask, rb, b);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void Greedy_applies_valid_rows_above_the_threshold()
    {
        float[] logits = [0.5f, -0.5f, 2f, 1.5f];
        bool[] mask = [true, true, false, true];
        var chosen = new bool[4];
        BernoulliPolicy.Greedy(logits, mask, 0f, chosen);
        Assert.Equal([true, false, false, true], chosen);
        BernoulliPolicy.Greedy(logits, mask, 1f, chosen);
        Assert.Equal([false, false, false, true], chosen);
    }

    [Fact]
    public void Log_sigmoid_entropy_and_gradient_are_stable_and_correct()
    {
        Assert.Equal(-1000.0, BernoulliPolicy.LogSigmoid(-1000), 9);
        Assert.Equal(0.0, BernoulliPolicy.LogSigmoid(1000), 12);
        Assert.Equal(Math.Log(0.75), BernoulliPolicy.LogSigmoid(Math.Log(3)), 12);
        Assert.Equal(Math.Log(2), BernoulliPolicy.Entropy(0), 12);
        Assert.Equal(-(0.9 * Math.Log(0.9) + 0.1 * Math.Log(0.1)), BernoulliPolicy.Entropy(Math.Log(9)), 12);
        Assert.Equal(0.25, BernoulliPolicy.LogProbabilityGradient(Math.Log(3), true), 12);
        Assert.Equal(-0.75, BernoulliPolicy.LogProbabilityGradient(Math.Log(3), false), 12);
    }
}
