namespace CompilerLLM.Timing;

/// <summary>
/// The layout every build is run under in one round, and the order the builds run in. Layout is what moves code and
/// data without changing them — where the stack starts, where each function and loop falls relative to cache lines,
/// pages and branch-predictor indexes, which objects sit next to each other — and can move a program by ±5–10% on its
/// own (Mytkowicz et al.; one nop moved a loop by 7% here). A fixed layout per build would be a fixed bias in the
/// comparison; a new random layout per round turns it into noise that the interval accounts for.
/// </summary>
/// <param name="Round">The round's index (0-based).</param>
/// <param name="EnvironmentPadding">Bytes of padding added to the environment: the initial stack moves by that much.</param>
/// <param name="TextPadding">Bytes of code placed before the program's first object (a multiple of 16, GCC's function alignment).</param>
/// <param name="ShuffleSeed">Seed of the link order permutation, or null to keep the link order.</param>
/// <param name="RunOrder">The builds' indexes in the order they run this round.</param>
public sealed record RoundLayout(int Round, int EnvironmentPadding, int TextPadding, int? ShuffleSeed, IReadOnlyList<int> RunOrder)
{
    /// <summary>The round's permutation of <paramref name="count"/> objects: position <c>i</c> links object <c>[i]</c>.</summary>
    public int[] ObjectOrderFor(int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (ShuffleSeed is { } seed) new Random(seed).Shuffle(order);
        return order;
    }
}

/// <summary>The random layouts and run orders of a timing, drawn from <see cref="TimingOptions.Seed"/>.</summary>
public static class LayoutPlan
{
    /// <summary>One <see cref="RoundLayout"/> per round for <paramref name="builds"/> builds.</summary>
    public static IReadOnlyList<RoundLayout> Create(TimingOptions options, int builds)
    {
        // System.Random with a seed is the same algorithm on every .NET version and platform: a plan can be replayed.
        var random = new Random(options.Seed);
        var rounds = new List<RoundLayout>(options.Rounds);
        for (int r = 0; r < options.Rounds; r++)
        {
            int environment = options.MaxEnvironmentPadding > 0 ? random.Next(options.MaxEnvironmentPadding) : 0;
            int text = options.MaxTextPadding >= 16 ? 16 * random.Next(options.MaxTextPadding / 16) : 0;
            int shuffle = random.Next();
            var order = Enumerable.Range(0, builds).ToArray();
            random.Shuffle(order);
            rounds.Add(new RoundLayout(r, environment, text, options.ShuffleLinkOrder ? shuffle : null, order));
        }
        return rounds;
    }
}
