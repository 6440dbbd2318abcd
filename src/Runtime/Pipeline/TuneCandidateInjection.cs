using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Pipeline;

/// <summary>
/// A test-only seam of tune mode: one more candidate variant, with flags of the test's choosing, measured for every
/// tuned unit besides the policy's alternatives. A variant of <c>-O0</c> shows that a slower candidate is rejected, one
/// that changes the program's output shows that the test command gates the final assignment. The package's
/// <c>CompilerLlmTuneTestVariant</c> property (<c>name=flags</c>) sets it, always with a warning.
/// </summary>
public sealed class TuneCandidateInjection
{
    private TuneCandidateInjection(CompileVariant variant) => Variant = variant;

    /// <summary>The injected variant.</summary>
    public CompileVariant Variant { get; }

    /// <summary>
    /// The seam for a property value <c>name=flags</c> (flags split like a shell does); null for a blank value; false for a
    /// value without a name, without flags, or with the name of a variant of the table.
    /// </summary>
    public static bool TryParse(string? text, out TuneCandidateInjection? injection)
    {
        injection = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        int eq = text.IndexOf('=');
        if (eq <= 0) return false;
        string name = text[..eq].Trim();
        List<string> flags;
        try
        {
            flags = ShellWords.Split(text[(eq + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (name.Length == 0 || flags.Count == 0 || VariantTable.Find(name) is not null || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-')) return false;
        injection = new TuneCandidateInjection(new CompileVariant(name, flags, VariantObjective.Speed, false, "test-only variant injected into tune mode"));
        return true;
    }
}
