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
        double mean = 0;
        foreach (var r in rollouts) mean += r.Reward;
        mean /= rollouts.Count;
        double var = 0;
        foreach (var r in rollouts) var += (r.Reward - mean) * (r.Reward - mean);
        var /= rollouts.Count;
        return new GroupStatistics(mean, Math.Sqrt(var));
    }

    public static double Advantage(double reward, GroupStatistics baseline, double epsilon)
        => (reward - baseline.Mean) / (baseline.StdDev + epsilon);
}
