namespace CompilerLLM.Variants;

/// <summary>What a variant is for.</summary>
public enum VariantObjective : byte
{
    /// <summary>Faster code.</summary>
    Speed,
    /// <summary>Smaller code (.text bytes).</summary>
    Size,
}

/// <summary>
/// A way to compile a translation unit: GCC options added after the user's own flags (so they win over them), each
/// of which preserves what a correct program does. Never <c>-ffast-math</c>, <c>-fno-math-errno</c>, <c>-march</c>
/// changes or anything else that changes a correct program's behaviour.
/// </summary>
/// <param name="Name">The variant's name in reports, models and properties.</param>
/// <param name="Flags">The options added after the user's flags (none for <c>base</c>).</param>
/// <param name="Objective">What it is chosen for.</param>
/// <param name="NeedsProfile">Only with a profile of the project's workload (<c>-fprofile-use</c>).</param>
/// <param name="Meaning">One line for people.</param>
public sealed record CompileVariant(string Name, IReadOnlyList<string> Flags, VariantObjective Objective, bool NeedsProfile, string Meaning)
{
    /// <summary>The flags for this variant when the unit's profile data is in <paramref name="profileDirectory"/>.</summary>
    public IReadOnlyList<string> FlagsWith(string? profileDirectory) => NeedsProfile
        ? [.. Flags.Select(f => f == VariantTable.ProfileUse ? $"{VariantTable.ProfileUse}={profileDirectory}" : f)]
        : Flags;

    public override string ToString() => Name;
}
