namespace CompilerLLM.Variants;

/// <summary>
/// The variants a build may choose from, as data, one row each (docs/variants.md has what each row measured on the
/// development suite). Not every row has shown headroom: <c>novec</c>, <c>vect-cheap</c>, <c>align32</c> and
/// <c>ipa-pta</c> measured no program faster beyond noise, and <c>pgo-unroll</c> measured the same as <c>pgo</c>
/// (profile use turns unrolling on); the shipped model was never trained on them and scores them −1000, so a build
/// never chooses them. Dropping them changes the model's input and needs a retrained model (docs/variants.md, "What the
/// other variants measured").
/// </summary>
public static class VariantTable
{
    /// <summary>The profile-use option; <see cref="CompileVariant.FlagsWith"/> gives it the profile directory.</summary>
    public const string ProfileUse = "-fprofile-use";

    /// <summary>Profile-use options shared by every profile variant: code the workload never ran keeps its normal
    /// optimization (partial training), and a unit without profile data is not an error.</summary>
    private static readonly string[] ProfileFlags = [ProfileUse, "-fprofile-partial-training", "-Wno-missing-profile"];

    public static CompileVariant Base { get; } = new("base", [], VariantObjective.Speed, false, "the user's flags as they are");

    public static IReadOnlyList<CompileVariant> All { get; } =
    [
        Base,
        new("unroll", ["-funroll-loops"], VariantObjective.Speed, false, "unroll loops whose trip count is known or computable"),
        new("pgo", ProfileFlags, VariantObjective.Speed, true, "GCC's profile-guided optimization from the project's workload"),
        new("pgo-unroll", [.. ProfileFlags, "-funroll-loops"], VariantObjective.Speed, true, "profile use and loop unrolling"),
        new("novec", ["-fno-tree-vectorize"], VariantObjective.Speed, false, "no auto-vectorization (scalar loops)"),
        new("vect-cheap", ["-fvect-cost-model=cheap"], VariantObjective.Speed, false, "vectorize only where the cost model is sure"),
        new("align32", ["-falign-functions=32", "-falign-loops=32"], VariantObjective.Speed, false, "32-byte function and loop alignment"),
        new("ipa-pta", ["-fipa-pta"], VariantObjective.Speed, false, "interprocedural points-to analysis"),
        new("os", ["-Os"], VariantObjective.Size, false, "optimize for size"),
        new("oz", ["-Oz"], VariantObjective.Size, false, "optimize for size aggressively"),
    ];

    /// <summary>The variants for an objective, base first (size always keeps base among its choices too).</summary>
    public static IReadOnlyList<CompileVariant> For(VariantObjective objective) =>
        [Base, .. All.Where(v => v != Base && v.Objective == objective)];

    public static CompileVariant? Find(string name) => All.FirstOrDefault(v => v.Name == name);
}
