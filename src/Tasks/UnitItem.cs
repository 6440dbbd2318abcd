using CompilerLLM.Pipeline;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// A translation-unit item, typed: the one place that knows the metadata names the package's tasks and targets
/// share (<c>%(AsmFile)</c>, <c>%(ObjectFile)</c> …). <see cref="PlanTranslationUnits"/> makes the items; every
/// other task reads them back through <see cref="From(ITaskItem)"/> and works on the engine's <see cref="TranslationUnit"/>.
/// </summary>
public sealed record UnitItem(ITaskItem Item, TranslationUnit Unit, string CompileStampFile)
{
    public const string AsmFile = nameof(AsmFile);
    public const string ObjectFile = nameof(ObjectFile);
    public const string OptimizedAsmFile = nameof(OptimizedAsmFile);
    public const string OptimizedObjectFile = nameof(OptimizedObjectFile);
    public const string DependencyFile = nameof(DependencyFile);
    public const string CompileStampFileName = "CompileStampFile";
    public const string ReportFile = nameof(ReportFile);
    public const string CompilerArguments = nameof(CompilerArguments);

    /// <summary>Separates arguments inside the <see cref="CompilerArguments"/> metadata (no argument contains a newline).</summary>
    public const char ArgumentSeparator = '\n';

    /// <summary>The source as written in the project (relative to it, as GCC is given it).</summary>
    public string Source => Unit.Source;

    public UnitFiles Files => Unit.Files;

    /// <summary>A new item for <paramref name="unit"/>, carrying the source item's own metadata as well.</summary>
    public static ITaskItem Create(ITaskItem source, TranslationUnit unit, string compileStampFile)
    {
        var item = new TaskItem(source.ItemSpec);
        source.CopyMetadataTo(item);
        var files = unit.Files;
        item.SetMetadata(AsmFile, files.Asm);
        item.SetMetadata(ObjectFile, files.Object);
        item.SetMetadata(OptimizedAsmFile, files.OptimizedAsm);
        item.SetMetadata(OptimizedObjectFile, files.OptimizedObject);
        item.SetMetadata(DependencyFile, files.Dependency);
        item.SetMetadata(CompileStampFileName, compileStampFile);
        item.SetMetadata(ReportFile, files.Report);
        item.SetMetadata(CompilerArguments, string.Join(ArgumentSeparator, unit.Arguments));
        return item;
    }

    /// <summary>Reads an item made by <see cref="Create"/>.</summary>
    public static UnitItem From(ITaskItem item)
    {
        var files = new UnitFiles(item.GetMetadata(AsmFile), item.GetMetadata(ObjectFile), item.GetMetadata(OptimizedAsmFile),
            item.GetMetadata(OptimizedObjectFile), item.GetMetadata(DependencyFile), item.GetMetadata(ReportFile));
        var arguments = item.GetMetadata(CompilerArguments).Split(ArgumentSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new UnitItem(item, new TranslationUnit(item.ItemSpec, arguments, files), item.GetMetadata(CompileStampFileName));
    }

    public static UnitItem[] From(ITaskItem[] items) => Array.ConvertAll(items, From);
}
