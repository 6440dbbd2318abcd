using CompilerLLM.Pipeline;

namespace CompilerLLM.Tests.Pipeline;

public class BisectorTests
{
    /// <summary>A predicate over "which TUs are optimized": bad when it contains every member of any bad set.</summary>
    private static Func<IReadOnlySet<int>, bool> BadWhenContaining(params int[][] badSets) =>
        set => !badSets.Any(b => b.All(set.Contains));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(8, 0)]
    [InlineData(8, 5)]
    [InlineData(8, 7)]
    [InlineData(13, 9)]
    public void One_culprit_is_found_in_logarithmically_many_builds(int count, int culprit)
    {
        var r = Bisector.FindCulprits(count, BadWhenContaining([culprit]));
        Assert.Equal([culprit], r.Culprits);
        Assert.True(r.Converged);
        Assert.True(r.Evaluations <= 2 * (int)Math.Ceiling(Math.Log2(Math.Max(count, 2))) + 1, $"{r.Evaluations} builds for {count} TUs");
    }

    [Fact]
    public void Independent_culprits_are_all_found()
    {
        var r = Bisector.FindCulprits(10, BadWhenContaining([1], [6], [9]));
        Assert.Equal([1, 6, 9], r.Culprits);
    }

    [Fact]
    public void An_interaction_across_halves_falls_back_for_both_sides_only_as_needed()
    {
        // 2 and 5 are wrong only together: each half is fine alone, so the search cannot split them.
        var isGood = BadWhenContaining([2, 5]);
        var r = Bisector.FindCulprits(8, isGood);
        Assert.True(r.Culprits.Contains(2) || r.Culprits.Contains(5));
        var kept = Enumerable.Range(0, 8).Except(r.Culprits).ToHashSet();
        Assert.True(isGood(kept), "the final build must be good");
    }

    [Fact]
    public void An_interaction_inside_one_half_is_narrowed_to_that_half()
    {
        var isGood = BadWhenContaining([4, 6]);
        var r = Bisector.FindCulprits(8, isGood);
        Assert.All(r.Culprits, c => Assert.InRange(c, 4, 7));
        Assert.True(isGood(Enumerable.Range(0, 8).Except(r.Culprits).ToHashSet()));
    }

    [Fact]
    public void When_every_unit_is_bad_everything_falls_back()
    {
        var r = Bisector.FindCulprits(4, set => set.Count == 0);
        Assert.Equal([0, 1, 2, 3], r.Culprits);
        Assert.True(r.Converged);
    }
}
