namespace CompilerLLM.Pipeline;

/// <summary>
/// The intermediate files of one translation unit, side by side: GCC's assembly and object with the user's flags, the
/// chosen variant's (when a variant other than the user's flags was chosen), ours, the dependency file, the variant
/// decision and the unit's report. GCC's object with the user's flags is always kept, so falling back never needs a
/// recompilation.
/// </summary>
public sealed record UnitFiles(string Asm, string Object, string OptimizedAsm, string OptimizedObject, string Dependency, string Report)
{
    private string Stem => Asm.EndsWith(".s", StringComparison.Ordinal) ? Asm[..^2] : Asm;

    /// <summary>GCC's assembly with the chosen variant's options (only when the variant is not base).</summary>
    public string VariantAsm => Stem + ".var.s";

    /// <summary>GCC's object with the chosen variant's options (only when the variant is not base).</summary>
    public string VariantObject => Stem + ".var.o";

    /// <summary>The variant decision (<c>VariantDecision</c> as JSON), written by the compile step.</summary>
    public string Decision => Stem + ".variant.json";

    /// <summary>GCC's assembly of the unit with variant <paramref name="variant"/>, compiled for tune mode (one per measured variant).</summary>
    public string TuneAsm(string variant) => $"{Stem}.tune.{variant}.s";

    /// <summary>GCC's object of the unit with variant <paramref name="variant"/>, compiled for tune mode.</summary>
    public string TuneObject(string variant) => $"{Stem}.tune.{variant}.o";

    /// <summary>The files named after one base path (<c>obj/…/compilerllm/src/a</c> gives <c>a.s</c>, <c>a.o</c>, <c>a.opt.s</c> …).</summary>
    public static UnitFiles At(string basePath) =>
        new(basePath + ".s", basePath + ".o", basePath + ".opt.s", basePath + ".opt.o", basePath + ".d", basePath + ".report.json");
}

/// <summary>
/// One translation unit as every front hands it to the engine (the MSBuild tasks, the compiler launcher and
/// evaluation): the source as the user wrote it (relative to the directory GCC runs in), GCC's arguments for it,
/// and where its files go.
/// </summary>
public sealed record TranslationUnit(string Source, IReadOnlyList<string> Arguments, UnitFiles Files);
