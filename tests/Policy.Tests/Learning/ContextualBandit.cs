using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Learning;

/// <summary>
/// A small contextual bandit in the learner's own terms. A "program" has a type (0 or 1) and
/// presents 3–5 of 6 arms as candidate rows (the other rows are masked and filled with junk).
/// Row features: arm one-hot (6), type one-hot (2), one noise feature. The good arm is 1 for type 0
/// and 4 for type 1, so no linear function of the features separates good from bad rows (the
/// MLP's hidden layer is needed). Reward of a chosen subset: mean over the chosen rows of
/// (1 if good else 0.2) plus N(0, 0.05²) noise; 0 plus noise for the empty subset. The best
/// action is therefore "only the good arm" (expected reward 1).
/// </summary>
internal static class ContextualBandit
{
    public const int Arms = 6;
    public const int Rows = 6;
    public const int Features = Arms + 2 + 1;

    public sealed record Program(int Type, float[] Features, bool[] Mask, bool[] IsGood, float[] Embedding);

    public static int GoodArm(int type) => type == 0 ? 1 : 4;

    public static Program NewProgram(Random rng)
    {
        int type = rng.Next(2);
        int good = GoodArm(type);
        int count = 3 + rng.Next(3);
        var arms = new List<int> { good };
        while (arms.Count < count)
        {
            int a = rng.Next(Arms);
            if (!arms.Contains(a)) arms.Add(a);
        }
        // Shuffle the present arms into random rows.
        var rows = Enumerable.Range(0, Rows).OrderBy(_ => rng.Next()).ToArray();
        var features = new float[Rows * Features];
        var mask = new bool[Rows];
        var isGood = new bool[Rows];
        for (int r = 0; r < Rows; r++)
            for (int f = 0; f < Features; f++)
                features[r * Features + f] = (float)(rng.NextDouble() * 2 - 1); // junk for masked rows
        for (int k = 0; k < arms.Count; k++)
        {
            int r = rows[k];
            var row = features.AsSpan(r * Features, Features);
            row.Clear();
            row[arms[k]] = 1f;
            row[Arms + type] = 1f;
            row[Arms + 2] = (float)(rng.NextDouble() * 0.2 - 0.1);
            mask[r] = true;
            isGood[r] = arms[k] == good;
        }
        var embedding = new[] { type == 0 ? 1f : 0f, type == 1 ? 1f : 0f, (float)(rng.NextDouble() * 0.2) };
        return new Program(type, features, mask, isGood, embedding);
    }

    public static double Reward(Program p, bool[] chosen, Random rng)
    {
        double sum = 0;
        int n = 0;
        for (int r = 0; r < Rows; r++)
        {
            if (!chosen[r]) continue;
            Assert.True(p.Mask[r], "a masked row was chosen");
            sum += p.IsGood[r] ? 1.0 : 0.2;
            n++;
        }
        return (n == 0 ? 0 : sum / n) + 0.05 * Gaussian(rng);
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>One batch: programs × G rollouts sampled from the trainer's current policy.</summary>
    public static List<RolloutGroup> Collect(GroupPolicyTrainer trainer, long step, int programs, int groupSize)
    {
        var rng = DeterministicSeeds.CreateRandom(trainer.Config.Seed, step);
        var batch = new List<RolloutGroup>(programs);
        for (int p = 0; p < programs; p++)
        {
            var prog = NewProgram(rng);
            var logits = trainer.Model.Forward(prog.Features, Rows);
            var state = new DecisionSet(prog.Features, Rows, Features, prog.Mask, logits);
            var rollouts = new List<Rollout>(groupSize);
            for (int g = 0; g < groupSize; g++)
            {
                var chosen = new bool[Rows];
                BernoulliPolicy.Sample(logits, prog.Mask, rng, chosen);
                rollouts.Add(new Rollout(state, chosen, Reward(prog, chosen, rng)));
            }
            batch.Add(new RolloutGroup(rollouts, prog.Embedding));
        }
        return batch;
    }

    public readonly record struct Evaluation(double GoodProbability, double BadProbability, double GreedyOptimal);

    /// <summary>Mean σ(logit) of good rows and of valid bad rows, and how often the greedy subset is exactly {good}.</summary>
    public static Evaluation Evaluate(Mlp model, IReadOnlyList<Program> programs)
    {
        double good = 0, bad = 0, exact = 0;
        int nGood = 0, nBad = 0;
        var chosen = new bool[Rows];
        foreach (var p in programs)
        {
            var logits = model.Forward(p.Features, Rows);
            BernoulliPolicy.Greedy(logits, p.Mask, 0f, chosen);
            bool ok = true;
            for (int r = 0; r < Rows; r++)
            {
                if (!p.Mask[r]) continue;
                double prob = BernoulliPolicy.Sigmoid(logits[r]);
                if (p.IsGood[r]) { good += prob; nGood++; } else { bad += prob; nBad++; }
                if (chosen[r] != p.IsGood[r]) ok = false;
            }
            if (ok) exact++;
        }
        return new Evaluation(good / nGood, bad / nBad, exact / programs.Count);
    }

    public static List<Program> EvaluationSet(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => NewProgram(rng)).ToList();
    }

    public static TrainingConfig Config(ulong seed = 7) => new()
    {
        Seed = seed,
        HiddenLayers = [16],
        HiddenActivation = Activation.Relu,
        LearningRate = 0.01f,
        MaxGradientNorm = 1f,
        GroupSize = 8,
        EpochsPerBatch = 2,
    };
}
