namespace CompilerLLM.Pipeline;

/// <summary>
/// The intermediate files of one translation unit, side by side: GCC's assembly and object, ours, the dependency
/// file and the unit's report. GCC's object is always kept, so falling back never needs a recompilation.
/// </summary>
public sealed record UnitFiles(string Asm, string Object, string OptimizedAsm, string OptimizedObject, string Dependency, string Report)
{
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
