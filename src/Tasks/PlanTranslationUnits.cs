using CompilerLLM.Pipeline;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// Turns ClCompile items into translation units: every intermediate file's path, the gcc arguments, and a
/// per-TU compile stamp (compiler identity + arguments) written only when it changes. Also returns the
/// headers recorded by the previous build's dependency files, for the compile target's Inputs.
/// </summary>
public sealed class PlanTranslationUnits : CompilerLlmTask
{
    [Required] public ITaskItem[] Sources { get; set; } = [];
    [Required] public string ProjectDirectory { get; set; } = ".";
    /// <summary>The folder for every intermediate file (obj/…/compilerllm/).</summary>
    [Required] public string IntermediateDirectory { get; set; } = "";
    [Required] public string CompilerIdentity { get; set; } = "";
    public string? CFlags { get; set; }
    public string? NativeOutputType { get; set; }

    [Output] public ITaskItem[] TranslationUnits { get; private set; } = [];
    [Output] public ITaskItem[] Dependencies { get; private set; } = [];

    public override bool Execute()
    {
        var units = new List<ITaskItem>();
        var dependencies = new SortedSet<string>(StringComparer.Ordinal);
        var byStem = new Dictionary<string, string>(StringComparer.Ordinal);
        string intermediate = Path.GetFullPath(Path.Combine(ProjectDirectory, IntermediateDirectory));
        foreach (var source in Sources)
        {
            string stem = IntermediateStem(ProjectDirectory, source.ItemSpec);
            if (byStem.TryGetValue(stem, out string? other))
            {
                Report(Diagnostics.DuplicateIntermediate, other, source.ItemSpec, Path.Combine(intermediate, stem + ".s"));
                continue;
            }
            byStem[stem] = source.ItemSpec;
            List<string> args;
            try
            {
                args = CommandLine.CompilerArguments(CFlags, NativeOutputType ?? "Application", source.GetMetadata("AdditionalOptions"),
                    source.GetMetadata("PreprocessorDefinitions"), source.GetMetadata("AdditionalIncludeDirectories"));
            }
            catch (FormatException e)
            {
                ReportAt(source.ItemSpec, 0, Diagnostics.UnknownPropertyValue, "CompilerLlmCFlags/AdditionalOptions", e.Message, "balanced quotes");
                continue;
            }
            string basePath = Path.Combine(intermediate, stem);
            string stampFile = basePath + ".stamp";
            var unit = new TranslationUnit(source.ItemSpec, args, UnitFiles.At(basePath));
            units.Add(UnitItem.Create(source, unit, stampFile));

            BuildStamp.Write(stampFile,
            [
                new("compiler", CompilerIdentity),
                new("source", source.ItemSpec),
                new("arguments", string.Join(' ', args.Select(CommandLine.Quote))),
            ]);
            string depFile = unit.Files.Dependency;
            if (File.Exists(depFile))
            {
                foreach (string d in DependencyFile.Parse(File.ReadAllText(depFile)))
                {
                    string full = Path.GetFullPath(Path.Combine(ProjectDirectory, d));
                    // A header that disappeared must not make the target fail: the compile (which runs anyway, as
                    // the .d file is older than nothing) finds out. Only existing files are Inputs.
                    if (File.Exists(full)) dependencies.Add(full);
                }
            }
        }
        TranslationUnits = [.. units];
        Dependencies = [.. dependencies.Select(d => new TaskItem(d))];
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// The intermediate name of a source: its path relative to the project without extension, so that
    /// a/x.c and b/x.c do not collide; ".." segments become "__" to stay inside the intermediate folder.
    /// </summary>
    public static string IntermediateStem(string projectDirectory, string source)
    {
        string full = Path.GetFullPath(Path.Combine(projectDirectory, source));
        string relative = Path.GetRelativePath(Path.GetFullPath(projectDirectory), full);
        if (Path.IsPathRooted(relative)) relative = relative.TrimStart('/');
        var parts = relative.Split('/').Select(p => p == ".." ? "__" : p).ToArray();
        string joined = string.Join('/', parts);
        string extension = Path.GetExtension(joined);
        return extension.Length > 0 ? joined[..^extension.Length] : joined;
    }
}
