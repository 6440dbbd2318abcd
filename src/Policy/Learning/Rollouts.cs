namespace CompilerLLM.Training.Learning;

/// <summary>
/// A state as the learner sees it: the candidate rewrites of one decision point (typically all
/// validated candidates of one program's functions, concatenated) as feature rows [Rows, FeatureCount],
/// the guard's mask, and the behaviour policy's logits at rollout time. The G rollouts of a group
/// usually share one instance; the learner scores each distinct instance once per pass.
/// </summary>
public sealed class DecisionSet
{
    public float[] Features { get; }
    public int Rows { get; }
    public int FeatureCount { get; }
    /// <summary>mask[i]: candidate i was validated and may be chosen.</summary>
    public bool[] Mask { get; }
    /// <summary>Logits of the policy that generated the rollouts (π_old); the reference for ratios, KL and surprise.</summary>
    public float[] BehaviourLogits { get; }
    /// <summary>Number of valid (unmasked) rows.</summary>
    public int ValidCount { get; }

    public DecisionSet(float[] features, int rows, int featureCount, bool[] mask, float[] behaviourLogits)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(behaviourLogits);
        if (rows < 0 || featureCount <= 0 || features.Length < rows * featureCount)
            throw new ArgumentException($"Expected {rows}x{featureCount} features, got {features.Length} values.", nameof(features));
        if (mask.Length != rows) throw new ArgumentException("Mask length differs from the row count.", nameof(mask));
        if (behaviourLogits.Length != rows) throw new ArgumentException("Behaviour logit count differs from the row count.", nameof(behaviourLogits));
        Features = features;
        Rows = rows;
        FeatureCount = featureCount;
        Mask = mask;
        BehaviourLogits = behaviourLogits;
        int valid = 0;
        foreach (bool m in mask) if (m) valid++;
        ValidCount = valid;
    }
}

/// <summary>One decision of a rollout: which rows of <paramref name="State"/> were applied.</summary>
public sealed record Decision(DecisionSet State, bool[] Chosen)
{
    public bool[] Chosen { get; } = Validate(State, Chosen);

    private static bool[] Validate(DecisionSet state, bool[] chosen)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(chosen);
        if (chosen.Length != state.Rows) throw new ArgumentException("Choice length differs from the row count.", nameof(chosen));
        for (int i = 0; i < chosen.Length; i++)
            if (chosen[i] && !state.Mask[i]) throw new ArgumentException($"Row {i} is masked but marked as chosen.", nameof(chosen));
        return chosen;
    }
}

/// <summary>
/// One rollout: its decisions (one for a subset-selection episode, several for a sequence of
/// selections) and its scalar reward. T, the rollout's number of decisions in the sense of
/// GMPO's "tokens", is the total count of valid rows over its decisions.
/// </summary>
public sealed record Rollout(IReadOnlyList<Decision> Decisions, double Reward)
{
    public Rollout(DecisionSet state, bool[] chosen, double reward) : this([new Decision(state, chosen)], reward) { }

    /// <summary>Number of valid binary decisions T.</summary>
    public int DecisionCount
    {
        get
        {
            int t = 0;
            for (int i = 0; i < Decisions.Count; i++) t += Decisions[i].State.ValidCount;
            return t;
        }
    }
}

/// <summary>
/// The G rollouts of one program (one group). <paramref name="Embedding"/> describes the program
/// for Cross-Group Meta-Normalization (e.g. statistics of its reaction to rewrites); required only
/// when that switch is on, and of one common length across the batch.
/// </summary>
public sealed record RolloutGroup(IReadOnlyList<Rollout> Rollouts, float[]? Embedding = null);
