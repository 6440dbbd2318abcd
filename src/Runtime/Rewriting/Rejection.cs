using CompilerLLM.Analysis;
using Iced.Intel;

namespace CompilerLLM.Rewriting;

/// <summary>
/// Why a candidate was not applied: its <see cref="RejectionKind"/> and the reason in words, with its particulars
/// (which locations are live, what the encoder or the validator said), as the report shows it. Made only by the
/// factories below, so each kind has one wording. A value: no allocation beyond the text.
/// </summary>
public readonly record struct Rejection
{
    private Rejection(RejectionKind kind, string reason)
    {
        Kind = kind;
        Reason = reason;
    }

    public RejectionKind Kind { get; }

    /// <summary>The reason in words, with its particulars.</summary>
    public string Reason { get; }

    public static Rejection FrameEscapes { get; } =
        new(RejectionKind.FrameEscapes, "the function takes the address of its frame: a stack slot may be volatile and seen elsewhere");

    public static Rejection LiveAfterWindow(LocationSet live) => new(RejectionKind.LiveAfterWindow, $"live after the window: {live}");

    /// <summary>The rule's templates cannot build the replacement for these bindings.</summary>
    public static Rejection NoEncoding { get; } = new(RejectionKind.NoEncoding, "no encoding for the replacement");

    /// <summary>Iced refuses to encode a replacement instruction.</summary>
    public static Rejection CannotEncode(in Instruction instruction, string? error) =>
        new(RejectionKind.NoEncoding, $"Iced cannot encode {instruction}: {error}");

    public static Rejection BelowThreshold(float score, float threshold) =>
        new(RejectionKind.BelowThreshold, $"policy score {score:0.###} not above the threshold {threshold:0.###}");

    public static Rejection OverlapsBetterScored { get; } = new(RejectionKind.OverlapsBetterScored, "overlaps a better-scored rewrite");

    public static Rejection OutOfFuel { get; } = new(RejectionKind.OutOfFuel, "out of fuel");

    public static Rejection LiveAfterRewrite(LocationSet live) =>
        new(RejectionKind.LiveAfterRewrite, $"re-check: {live} live after the rewrite in the rewritten function");

    /// <param name="verdict">What z3 said (the first line of the equivalence report).</param>
    public static Rejection TranslationValidation(string verdict) => new(RejectionKind.TranslationValidation, $"translation validation: {verdict}");

    /// <param name="why">Why the function fell back (as <see cref="Pipeline.FunctionReport.FallbackReason"/> says it).</param>
    public static Rejection FunctionFellBack(string why) => new(RejectionKind.FunctionFellBack, "function fell back: " + why);

    /// <param name="bytes">How many bytes longer the replacement is than the window it replaces.</param>
    public static Rejection GrowsCode(int bytes) => new(RejectionKind.GrowsCode, $"the objective is size and the rewrite adds {bytes} byte(s) of code");

    public override string ToString() => Reason;
}
