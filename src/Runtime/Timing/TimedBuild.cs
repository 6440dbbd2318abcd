namespace CompilerLLM.Timing;

/// <summary>One of the builds a timing compares; the first of a comparison is the base the others are measured against.</summary>
public abstract record TimedBuild(string Name);

/// <summary>An executable that exists already: only the environment part of a round's layout applies to it.</summary>
public sealed record PrebuiltBuild(string Name, string Executable) : TimedBuild(Name);

/// <summary>
/// A build given by its link: relinked for every round with the round's layout (its objects in the round's order,
/// the round's code padding first), so no build keeps one lucky or unlucky placement of its code for all rounds.
/// </summary>
public sealed record RelinkedBuild(string Name, LinkCommand Link) : TimedBuild(Name);

/// <summary>
/// A link as the driver gets it, without <c>-o</c>: <paramref name="Arguments"/> hold flags, the program's objects (at
/// <paramref name="ObjectPositions"/>: these may be reordered among themselves) and libraries, in their order.
/// </summary>
/// <param name="Arguments">The link's arguments for <c>gcc</c>, without <c>-o</c>.</param>
/// <param name="ObjectPositions">Indexes into <paramref name="Arguments"/> of the program's own objects, ascending.</param>
/// <param name="WorkingDirectory">Where the link runs (relative paths in the arguments are resolved there).</param>
public sealed record LinkCommand(IReadOnlyList<string> Arguments, IReadOnlyList<int> ObjectPositions, string WorkingDirectory)
{
    /// <summary>A link of <paramref name="objects"/> followed by <paramref name="flags"/> (libraries last, as usual).</summary>
    public static LinkCommand Of(IReadOnlyList<string> objects, IReadOnlyList<string> flags, string workingDirectory) =>
        new([.. objects, .. flags], [.. Enumerable.Range(0, objects.Count)], workingDirectory);

    /// <summary>
    /// The arguments under a layout: the objects permuted by <see cref="RoundLayout.ObjectOrderFor"/> (position <c>i</c>
    /// takes object <c>order[i]</c>) and <paramref name="paddingObject"/>, when given, placed before the first of them.
    /// </summary>
    public IReadOnlyList<string> ArgumentsUnder(RoundLayout layout, string? paddingObject)
    {
        if (ObjectPositions.Count == 0) return paddingObject is null ? Arguments : [paddingObject, .. Arguments];
        var args = Arguments.ToArray();
        var order = layout.ObjectOrderFor(ObjectPositions.Count);
        for (int i = 0; i < ObjectPositions.Count; i++) args[ObjectPositions[i]] = Arguments[ObjectPositions[order[i]]];
        if (paddingObject is null) return args;
        var list = args.ToList();
        list.Insert(ObjectPositions[0], paddingObject);
        return list;
    }
}
