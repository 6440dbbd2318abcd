namespace CompilerLLM.Training.Learning;

/// <summary>Baseline statistics of one group's rewards.</summary>
public readonly record struct GroupStatistics(double Mean, double StdDev);

/// <summary>
/// Plain group normalization (GRPO): μ_p and σ_p are the mean and population standard deviation
/// of the G rewards of program p, and A_pg = (r_pg − μ_p)/(σ_p + ε).
/// </summary>
public static class GroupNormalization
{
    public static GroupStatistics Statistics(RolloutGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var rollouts = group.Rollouts;
        if (rollouts.Count == 0) throw new ArgumentException("A group needs at least one rollout.", nameof(group));
        var rewards = new double[rollouts.Count];
        for (int i = 0; i < rewards.Length; i++) rewards[i] = rollouts[i].Reward;
        return Statistics(rewards);
    }

    /// <summary>Mean and population standard deviation of one group's rewards (any policy family).</summary>
    public static GroupStatistics Statistics(ReadOnlySpan<double> rewards)
    {
        if (rewards.Length == 0) throw new ArgumentException("A group needs at least one rollout.", nameof(rewards));
        double mean = 0;
        foreach (double r in rewards) mean += r;
        mean /= rewards.Length;
        double var = 0;
        foreach (double r in rewards) var += (r - mean) * (r - mean);
        var /= rewards.Length;
        return new GroupStatistics(mean, Math.Sqrt(var));
    }

    public static double Advantage(double reward, GroupStatistics baseline, double epsilon)
        => (reward - baseline.Mean) / (baseline.StdDev + epsilon);
}
