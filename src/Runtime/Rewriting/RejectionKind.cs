using System.Text.Json.Serialization;

namespace CompilerLLM.Rewriting;

/// <summary>
/// Why a candidate rewrite was not applied: the closed set, from the site guard (the first three) to the
/// checks after the choice (the last three). The report carries it beside the reason in words.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RejectionKind>))]
public enum RejectionKind : byte
{
    /// <summary>Site guard: the rule reads or writes stack slots and the function lets its frame's address out.</summary>
    FrameEscapes,
    /// <summary>Site guard: a location the rewrite may change is live after the window.</summary>
    LiveAfterWindow,
    /// <summary>Site guard: the replacement cannot be built or encoded (an operand out of a template's range, Iced refuses it).</summary>
    NoEncoding,
    /// <summary>Policy: the model scored it at or below the threshold.</summary>
    BelowThreshold,
    /// <summary>Selection: it overlaps a rewrite the model scored higher, which was taken.</summary>
    OverlapsBetterScored,
    /// <summary>Selection: the file's fuel (<c>--fuel</c>) was spent on rewrites before it.</summary>
    OutOfFuel,
    /// <summary>Re-check: a location the rewrite may change is live after it in the rewritten function.</summary>
    LiveAfterRewrite,
    /// <summary>Translation validation: z3 could not prove the rewrite at its site (<c>--validate smt</c>).</summary>
    TranslationValidation,
    /// <summary>It was chosen, but its function's rewrites failed as a whole (re-assembly, exact re-modelling) and the function was emitted unchanged.</summary>
    FunctionFellBack,
    /// <summary>Objective: the build minimizes code size and the rewrite makes its window longer in bytes.</summary>
    GrowsCode,
}
