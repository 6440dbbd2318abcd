using System.Diagnostics;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// Per translation unit, in parallel, the engine's <see cref="UnitBuilder.Compile"/>: <c>gcc -S</c> (with a
/// dependency file) to x.s, then GCC's own assembly of it to x.o. A TU whose dependency file is newer than its
/// source, headers and stamp is skipped; x.s and x.o are replaced only when their bytes change (the .d file is
/// always rewritten, it is the target's output).
/// </summary>
public sealed class CompileTranslationUnits : CompilerLlmTask
{
    [Required] public ITaskItem[] TranslationUnits { get; set; } = [];
    [Required] public string Compiler { get; set; } = "gcc";
    [Required] public string ProjectDirectory { get; set; } = ".";
    public int MaxParallelism { get; set; }

    /// <summary>The TUs actually compiled (for logs and tests).</summary>
    [Output] public ITaskItem[] Compiled { get; private set; } = [];

    public override bool Execute()
    {
        var builder = new UnitBuilder(new Gcc(ToolchainOptions.Default with { Compiler = Compiler }, ProjectDirectory));
        var units = UnitItem.From(TranslationUnits);
        var results = new List<PendingDiagnostic>[units.Length];
        var compiled = new bool[units.Length];
        var clock = Stopwatch.StartNew();
        try
        {
            Parallel.For(0, units.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism(MaxParallelism) }, i =>
            {
                results[i] = [];
                compiled[i] = CompileOne(builder, units[i], results[i]);
            });
        }
        catch (AggregateException e) when (e.InnerException is ToolNotFoundException missing)
        {
            Report(Diagnostics.ToolFailedToStart, missing.ToolName, missing.Message);
            return false;
        }
        foreach (var r in results) Report(r);
        Compiled = [.. units.Where((_, i) => compiled[i]).Select(u => u.Item)];
        Log.LogMessage(MessageImportance.Normal, "CompilerLLM: compiled {0} of {1} translation unit(s) in {2:F2} s",
            Compiled.Length, units.Length, clock.Elapsed.TotalSeconds);
        return !Log.HasLoggedErrors;
    }

    internal static int Parallelism(int requested) => requested > 0 ? requested : Environment.ProcessorCount;

    private bool CompileOne(UnitBuilder builder, UnitItem unit, List<PendingDiagnostic> diagnostics)
    {
        var files = unit.Files;
        if (DependencyFile.IsUpToDate(files.Dependency, unit.CompileStampFile, [files.Asm, files.Object], ProjectDirectory)) return false;
        var outcome = builder.Compile(unit.Unit);
        diagnostics.AddRange(GccDiagnostics.Parse(outcome.Compiler.StandardError, !outcome.Compiler.Succeeded, unit.Source));
        if (outcome.Assembler is { Succeeded: false } assembler)
            diagnostics.Add(new(Diagnostics.AssembleFailed, unit.Source, 0, [files.Asm, assembler.StandardError.Trim()]));
        return true;
    }
}
