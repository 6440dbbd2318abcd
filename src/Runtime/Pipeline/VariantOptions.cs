using CompilerLLM.Variants;

namespace CompilerLLM.Pipeline;

/// <summary>How a build chooses the variant each unit is compiled with.</summary>
/// <param name="Objective">Speed: the variant policy decides; size: the smallest <c>.text</c> of the size variants, measured.</param>
/// <param name="Policy">The variant policy (speed); null: every unit keeps the user's flags.</param>
/// <param name="Profile">The project's profile; null: no profile variants, no profile features.</param>
public sealed record VariantOptions(VariantObjective Objective, VariantPolicy? Policy, ProfileSet? Profile)
{
    /// <summary>What else decides a unit's variant, for stamps and cache keys.</summary>
    public string Identity => Objective == VariantObjective.Size
        ? "size"
        : $"speed; policy {Policy?.ModelSha256 ?? "none"}; profile {(Profile is null ? "none" : Profile.Directory)}";
}
