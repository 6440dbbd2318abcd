namespace CompilerLLM.Pipeline;

/// <summary>The translation units that must fall back, and how many builds it took to find them.</summary>
public sealed record BisectResult(IReadOnlyList<int> Culprits, int Evaluations, bool Converged);

/// <summary>
/// Bisection over translation units, for every front's test replay. <c>isGood(S)</c> builds the program with the TUs in S optimized and
/// every other TU from GCC's object, replays the test command and says whether it behaved like GCC's build.
/// Starting from "all optimized is bad": split the suspects in halves and recurse into each half that is
/// bad on its own; if neither half is bad alone but both together are, all of them are culprits (an
/// interaction we do not split further). Then the build without the culprits is checked again, and the
/// search repeats on it until it is good; the result is the culprit set and a final build that replayed
/// identically. Every round adds at least one culprit, so it ends; with every TU a culprit the build is GCC's own.
/// </summary>
public static class Bisector
{
    public static BisectResult FindCulprits(int count, Func<IReadOnlySet<int>, bool> isGood)
    {
        int evaluations = 0;
        bool Good(IEnumerable<int> set)
        {
            evaluations++;
            return isGood(set.ToHashSet());
        }

        List<int> Search(List<int> suspects)
        {
            if (suspects.Count <= 1) return suspects;
            var a = suspects.Take(suspects.Count / 2).ToList();
            var b = suspects.Skip(suspects.Count / 2).ToList();
            bool badA = !Good(a), badB = !Good(b);
            if (!badA && !badB) return suspects;
            var found = new List<int>();
            if (badA) found.AddRange(Search(a));
            if (badB) found.AddRange(Search(b));
            return found;
        }

        var culprits = new SortedSet<int>();
        var remaining = Enumerable.Range(0, count).ToList();
        while (remaining.Count > 0)
        {
            foreach (int c in Search(remaining)) culprits.Add(c);
            remaining = Enumerable.Range(0, count).Where(i => !culprits.Contains(i)).ToList();
            if (remaining.Count == 0 || Good(remaining)) return new BisectResult([.. culprits], evaluations, true);
        }
        return new BisectResult([.. culprits], evaluations, true);
    }
}
