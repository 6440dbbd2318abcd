using System.Diagnostics;
using CompilerLLM.Toolchain;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// Per translation unit, in parallel: <c>gcc -S</c> (with a dependency file) to x.s, then GCC's own
/// assembly of it to x.o. A TU whose dependency file is newer than its source, headers and stamp is
/// skipped; x.s and x.o are replaced only when their bytes change (the .d file is always rewritten, it is
/// the target's output).
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
        var toolchain = new Gcc(ToolchainOptions.Default with { Compiler = Compiler }, ProjectDirectory);
        var results = new List<PendingDiagnostic>[TranslationUnits.Length];
        var compiled = new bool[TranslationUnits.Length];
        var clock = Stopwatch.StartNew();
        try
        {
            Parallel.For(0, TranslationUnits.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism(MaxParallelism) }, i =>
            {
                results[i] = [];
                compiled[i] = CompileOne(toolchain, TranslationUnits[i], results[i]);
            });
        }
        catch (AggregateException e) when (e.InnerException is ToolNotFoundException missing)
        {
            Report(Diagnostics.ToolFailedToStart, missing.ToolName, missing.Message);
            return false;
        }
        foreach (var r in results) Report(r);
        Compiled = [.. TranslationUnits.Where((_, i) => compiled[i])];
        Log.LogMessage(MessageImportance.Normal, "CompilerLLM: compiled {0} of {1} translation unit(s) in {2:F2} s",
            Compiled.Length, TranslationUnits.Length, clock.Elapsed.TotalSeconds);
        return !Log.HasLoggedErrors;
    }

    internal static int Parallelism(int requested) => requested > 0 ? requested : Environment.ProcessorCount;

    internal static IReadOnlyList<string> Arguments(ITaskItem unit) =>
        unit.GetMetadata("CompilerArguments").Split(PlanTranslationUnits.ArgumentSeparator, StringSplitOptions.RemoveEmptyEntries);

    private bool CompileOne(Gcc toolchain, ITaskItem unit, List<PendingDiagnostic> diagnostics)
    {
        string asm = unit.GetMetadata("AsmFile"), obj = unit.GetMetadata("ObjectFile"), dep = unit.GetMetadata("DependencyFile");
        if (DependencyFile.IsUpToDate(dep, unit.GetMetadata("CompileStampFile"), [asm, obj], ProjectDirectory)) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(asm)!);
        var args = Arguments(unit);
        string tempAsm = Outputs.TempFor(asm);
        var r = toolchain.CompileToAssembly(unit.ItemSpec, args, tempAsm, dep, obj);
        diagnostics.AddRange(GccDiagnostics.Parse(r.StandardError, !r.Succeeded, unit.ItemSpec));
        if (!r.Succeeded)
        {
            File.Delete(tempAsm);
            File.Delete(dep); // so that the next build retries this TU
            return true;
        }
        bool asmChanged = Outputs.ReplaceIfDifferent(tempAsm, asm);
        if (asmChanged || !File.Exists(obj))
        {
            string tempObj = Outputs.TempFor(obj);
            var a = toolchain.Assemble(asm, args, tempObj);
            if (!a.Succeeded)
            {
                File.Delete(tempObj);
                File.Delete(dep);
                diagnostics.Add(new(Diagnostics.AssembleFailed, unit.ItemSpec, 0, [asm, a.StandardError.Trim()]));
                return true;
            }
            Outputs.ReplaceIfDifferent(tempObj, obj);
        }
        return true;
    }
}
