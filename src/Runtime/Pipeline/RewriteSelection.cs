using CompilerLLM.Rewriting;

namespace CompilerLLM.Pipeline;

/// <summary>Why <see cref="RewriteSelection"/> passed over a candidate it was offered.</summary>
public enum SelectionSkip : byte
{
    /// <summary>The site guard rejected it.</summary>
    Invalid,
    /// <summary>It was offered before and taken.</summary>
    AlreadyTaken,
    /// <summary>It overlaps a rewrite taken before it.</summary>
    Overlaps,
    /// <summary>The fuel was spent.</summary>
    OutOfFuel,
}

/// <summary>
/// The one selection of rewrites, used by the optimizer for every policy and by the trainer for every episode, so that
/// what the trainer rewards is what a build applies: candidates are taken in the given priority order, passing over any
/// the site guard rejected, any already taken, any that overlaps one taken, and all once the fuel is spent (one unit per
/// rewrite taken).
/// </summary>
public static class RewriteSelection
{
    /// <summary>Selects without a fuel limit.</summary>
    /// <returns>The indices taken, in the order taken.</returns>
    public static List<int> Select<T>(IReadOnlyList<T> candidates, IEnumerable<int> priority) where T : IRewriteCandidate
    {
        int unlimited = int.MaxValue;
        return Select(candidates, priority, ref unlimited);
    }

    /// <param name="candidates">Every candidate of one function; <paramref name="priority"/> indexes it.</param>
    /// <param name="priority">Indices into <paramref name="candidates"/>, most wanted first (a chooser may repeat one).</param>
    /// <param name="fuel">Rewrites still allowed, shared across the functions of a file; decreased by the number taken.</param>
    /// <param name="passedOver">Told of each candidate offered and not taken, and why (the optimizer records rejections from it).</param>
    /// <returns>The indices taken, in the order taken.</returns>
    public static List<int> Select<T>(IReadOnlyList<T> candidates, IEnumerable<int> priority, ref int fuel, Action<int, SelectionSkip>? passedOver = null)
        where T : IRewriteCandidate
    {
        var taken = new List<int>();
        foreach (int index in priority)
        {
            var candidate = candidates[index];
            SelectionSkip skip;
            if (!candidate.IsValid) skip = SelectionSkip.Invalid;
            else if (taken.Contains(index)) skip = SelectionSkip.AlreadyTaken;
            else if (OverlapsAny(candidates, taken, candidate.Site)) skip = SelectionSkip.Overlaps;
            else if (fuel == 0) skip = SelectionSkip.OutOfFuel;
            else
            {
                fuel--;
                taken.Add(index);
                continue;
            }
            passedOver?.Invoke(index, skip);
        }
        return taken;
    }

    private static bool OverlapsAny<T>(IReadOnlyList<T> candidates, List<int> taken, RewriteSite site) where T : IRewriteCandidate
    {
        foreach (int t in taken)
            if (candidates[t].Site.Overlaps(site)) return true;
        return false;
    }
}
