using System.Text.Json;
using CompilerLLM.Assembly;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Pipeline;

public sealed partial class UnitBuilder
{
    /// <summary>
    /// Chooses how a compiled unit is compiled (<see cref="VariantOptions"/>) and, when the choice is not the user's
    /// flags, compiles it again that way: <see cref="UnitFiles.VariantAsm"/> and <see cref="UnitFiles.VariantObject"/>.
    /// GCC's assembly and object with the user's flags stay as they are (the fallback of every later step). A variant
    /// GCC refuses (a profile that no longer matches the source: <c>-Wcoverage-mismatch</c>) leaves the unit on its
    /// flags, with a note. The decision is written to <see cref="UnitFiles.Decision"/>.
    /// </summary>
    public VariantDecision ChooseVariant(TranslationUnit unit, VariantOptions options)
    {
        var decision = options.Objective == VariantObjective.Size ? SmallestVariant(unit) : PredictedVariant(unit, options);
        WriteDecision(unit.Files, decision);
        return decision;
    }

    /// <summary>Writes a unit's decision (only when it changes, so what depends on it stays up to date).</summary>
    public static void WriteDecision(UnitFiles files, VariantDecision decision) =>
        Outputs.WriteTextIfDifferent(files.Decision, JsonSerializer.Serialize(decision, PipelineJson.Default.VariantDecision));

    /// <summary>The decision a compile step left for the unit, or null (none, or unreadable).</summary>
    public static VariantDecision? ReadDecision(UnitFiles files)
    {
        try
        {
            return File.Exists(files.Decision) ? JsonSerializer.Deserialize(File.ReadAllText(files.Decision), PipelineJson.Default.VariantDecision) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private VariantDecision PredictedVariant(TranslationUnit unit, VariantOptions options)
    {
        var data = options.Profile?.DataFor(unit.Files.Asm);
        var profile = data?.Summarize();
        if (options.Policy is not { } policy) return VariantDecision.Base(profile);
        if (data is null && policy.RequiresProfile)
            return VariantDecision.Base(profile, "no profile data for this unit: the variant model chooses only with one (without, its choices measured no gain)");
        AsmFile file;
        string text;
        try
        {
            file = ReadModel(unit, unit.Files.Asm, text = File.ReadAllText(unit.Files.Asm), unit.Files.Object);
        }
        catch (AsmReadException e)
        {
            return VariantDecision.Base(profile, "the assembly cannot be read for features: " + FirstErrorLine(e.Message));
        }
        float[] features = VariantFeatures.OfUnit(file, profile, options.Profile?.ProgramTotal ?? 0);
        var candidates = VariantFeatures.Variants.Where(v => !v.NeedsProfile || data is not null).ToList();
        var choice = policy.Choose(features, candidates);
        var decision = new VariantDecision(choice.Variant.Name, choice.Score, choice.Scores, profile, null);
        if (choice.Variant == VariantTable.Base)
        {
            KeepRead(file, text);
            return decision;
        }
        string? failure = CompileVariant(unit, choice.Variant, options.Profile);
        return failure is null ? decision : VariantDecision.Base(profile, $"{choice.Variant.Name} not used: {failure}") with { Scores = choice.Scores };
    }

    /// <summary>
    /// Size: every size variant is compiled and assembled, and the one with the fewest bytes of code wins (the user's
    /// flags on a tie): exact and deterministic, so the unit is never bigger than with its own flags or with -Os.
    /// </summary>
    private VariantDecision SmallestVariant(TranslationUnit unit)
    {
        var sizes = new Dictionary<string, long> { [VariantTable.Base.Name] = CodeBytes(unit.Files.Object) };
        CompileVariant? best = null;
        foreach (var variant in VariantTable.For(VariantObjective.Size).Where(v => v != VariantTable.Base))
        {
            string asm = unit.Files.VariantAsm + "." + variant.Name, obj = unit.Files.VariantObject + "." + variant.Name;
            try
            {
                if (!Gcc.CompileToAssembly(unit.Source, [.. unit.Arguments, .. variant.Flags], asm).Succeeded) continue;
                if (!Gcc.Assemble(asm, unit.Arguments, obj).Succeeded) continue;
                sizes[variant.Name] = CodeBytes(obj);
                if (sizes[variant.Name] < sizes[best?.Name ?? VariantTable.Base.Name])
                {
                    best = variant;
                    File.Copy(asm, unit.Files.VariantAsm, overwrite: true);
                    File.Copy(obj, unit.Files.VariantObject, overwrite: true);
                }
            }
            finally
            {
                File.Delete(asm);
                File.Delete(obj);
            }
        }
        string name = best?.Name ?? VariantTable.Base.Name;
        return new VariantDecision(name, null, null, null, null) { TextBytes = sizes };
    }

    /// <summary>Compiles the unit with a variant to its variant files; null, or GCC's reason for refusing.</summary>
    private string? CompileVariant(TranslationUnit unit, CompileVariant variant, ProfileSet? profile) =>
        CompileVariantTo(unit, variant, profile, unit.Files.VariantAsm, unit.Files.VariantObject);

    /// <summary>
    /// Compiles the unit with a variant (its options after the unit's own) to <paramref name="asm"/> and assembles that to
    /// <paramref name="obj"/> (each replaced only when its bytes change); null, or GCC's reason for refusing.
    /// </summary>
    public string? CompileVariantTo(TranslationUnit unit, CompileVariant variant, ProfileSet? profile, string asm, string obj)
    {
        var files = unit.Files;
        var flags = variant.FlagsWith(profile?.Directory);
        // Profile use: the output is named like the instrumented object, so GCC finds that unit's .gcda.
        string output = variant.NeedsProfile ? ProfileSet.ProfileUseAssemblyOf(files.Asm) : Outputs.TempFor(asm);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(asm))!);
        var compiled = Gcc.CompileToAssembly(unit.Source, [.. unit.Arguments, .. flags], output);
        if (!compiled.Succeeded)
        {
            File.Delete(output);
            return FirstErrorLine(compiled.StandardError);
        }
        // Profile-use variants of one unit share that name: callers compile one unit's variants one after the other.
        if (variant.NeedsProfile) File.Copy(output, asm, overwrite: true);
        else Outputs.ReplaceIfDifferent(output, asm);
        string tempObj = Outputs.TempFor(obj);
        var assembled = Gcc.Assemble(asm, unit.Arguments, tempObj);
        if (!assembled.Succeeded)
        {
            File.Delete(tempObj);
            return FirstErrorLine(assembled.StandardError);
        }
        Outputs.ReplaceIfDifferent(tempObj, obj);
        return null;
    }

    /// <summary>Bytes of code in an object: its executable sections.</summary>
    public static long CodeBytes(string objectPath) =>
        ElfObject.Load(objectPath).Sections.Where(s => (s.Flags & ElfConstants.SHF_EXECINSTR) != 0).Sum(s => (long)s.Size);
}
