using System.Diagnostics;
using CompilerLLM.Pipeline;
using CompilerLLM.Variants;
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

    /// <summary>Choose each unit's variant (the optimizer is on).</summary>
    public bool ChooseVariants { get; set; }
    /// <summary>CompilerLlmVariants: default, base or a model path.</summary>
    public string? Variants { get; set; }
    /// <summary>CompilerLlmObjective: speed or size.</summary>
    public string? Objective { get; set; }
    /// <summary>Where the profile is (when the project has one).</summary>
    public string? ProfileDirectory { get; set; }
    /// <summary>Stamps a unit's variant choice depends on (the variant configuration, the profile): newer ones recompile it.</summary>
    public ITaskItem[] VariantStamps { get; set; } = [];

    /// <summary>The TUs actually compiled (for logs and tests).</summary>
    [Output] public ITaskItem[] Compiled { get; private set; } = [];

    public override bool Execute()
    {
        var builder = new UnitBuilder(new Gcc(ToolchainOptions.Default with { Compiler = Compiler }, ProjectDirectory));
        var units = UnitItem.From(TranslationUnits);
        List<PendingDiagnostic> problems = [];
        var variants = ChooseVariants ? VariantOptionsOf(out problems) : null;
        Report(problems);
        if (Log.HasLoggedErrors) return false;
        var results = new List<PendingDiagnostic>[units.Length];
        var compiled = new bool[units.Length];
        var clock = Stopwatch.StartNew();
        try
        {
            Parallel.For(0, units.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism(MaxParallelism) }, i =>
            {
                results[i] = [];
                compiled[i] = CompileOne(builder, units[i], variants, results[i]);
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

    /// <summary>The build's variant options, or null (with the diagnostics that say why) when no variant can be chosen.</summary>
    private VariantOptions? VariantOptionsOf(out List<PendingDiagnostic> problems)
    {
        problems = [];
        if (!VariantSelection.TryParse(Variants, ProjectDirectory, problems, out string? model)
            || !VariantSelection.TryParseObjective(Objective, problems, out var objective)) return null;
        // Load diagnostics were reported by CheckEnvironment (the first user of the model in this node).
        var policy = objective == VariantObjective.Speed ? VariantSelection.Load(BuildEngine, model, []) : null;
        if (policy is null && objective == VariantObjective.Speed) return null;
        var profile = !string.IsNullOrEmpty(ProfileDirectory) && Directory.Exists(ProfileDirectory) ? new ProfileSet(ProfileDirectory) : null;
        return new VariantOptions(objective, policy, profile);
    }

    private bool CompileOne(UnitBuilder builder, UnitItem unit, VariantOptions? variants, List<PendingDiagnostic> diagnostics)
    {
        var files = unit.Files;
        if (DependencyFile.IsUpToDate(files.Dependency, unit.CompileStampFile, [files.Asm, files.Object], ProjectDirectory)
            && VariantStamps.All(s => !File.Exists(s.ItemSpec) || File.GetLastWriteTimeUtc(s.ItemSpec) <= File.GetLastWriteTimeUtc(files.Dependency)))
            return false;
        var outcome = builder.Compile(unit.Unit);
        diagnostics.AddRange(GccDiagnostics.Parse(outcome.Compiler.StandardError, !outcome.Compiler.Succeeded, unit.Source));
        if (outcome.Assembler is { Succeeded: false } assembler)
            diagnostics.Add(new(Diagnostics.AssembleFailed, unit.Source, 0, [files.Asm, assembler.StandardError.Trim()]));
        if (!outcome.Succeeded) return true;
        if (variants is null)
        {
            File.Delete(files.Decision);
            return true;
        }
        var decision = builder.ChooseVariant(unit.Unit, variants);
        if (decision.Note is not null) diagnostics.Add(new(Diagnostics.VariantNotUsed, unit.Source, 0, [unit.Source, decision.Note]));
        if (!decision.IsBase)
            diagnostics.Add(new(Diagnostics.VariantChosen, unit.Source, 0,
                [unit.Source, decision.Variant, decision.Score is { } score ? $"score {score:0.###}" : $"{decision.TextBytes?[decision.Variant]} bytes of code"],
                MessageImportance.Low));
        return true;
    }
}
