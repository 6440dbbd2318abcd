using System.Text.RegularExpressions;
using CompilerLLM.Processes;

namespace CompilerLLM.Build.Tasks;

/// <summary>The GCC driver, the archiver and the linker as the pipeline uses them. No shell is involved.</summary>
public sealed partial class Toolchain(string compiler, string archiver, string workingDirectory)
{
    public string Compiler { get; } = compiler;
    public string Archiver { get; } = archiver;
    public string WorkingDirectory { get; } = workingDirectory;
    public static TimeSpan ToolTimeout { get; set; } = TimeSpan.FromMinutes(10);

    private ProcessResult Run(string tool, IEnumerable<string> args) =>
        ProcessRunner.Run(new ProcessSpec(tool, args.ToList()) { WorkingDirectory = WorkingDirectory, Timeout = ToolTimeout });

    /// <summary><c>gcc -S</c> with a dependency file; the source path is passed as written so that .file and debug info match a plain gcc build.</summary>
    public ProcessResult CompileToAssembly(string source, IReadOnlyList<string> args, string assemblyOut, string dependencyFile, string dependencyTarget) =>
        Run(Compiler, ["-S", .. args, "-MMD", "-MF", dependencyFile, "-MT", dependencyTarget, source, "-o", assemblyOut]);

    /// <summary>
    /// Assembles through the driver (<c>gcc -c x.s</c> with the TU's flags), which runs <c>as</c> with exactly the
    /// options it would use for its own output (--64, --gdwarf-5 for -g, -Wa, …), so x.o equals <c>gcc -c x.c</c>'s object.
    /// </summary>
    public ProcessResult Assemble(string assembly, IReadOnlyList<string> args, string objectOut) =>
        Run(Compiler, ["-c", "-x", "assembler", .. args.Where(a => !a.StartsWith("-M", StringComparison.Ordinal)), assembly, "-o", objectOut]);

    /// <summary>Links or archives <paramref name="objects"/> into <paramref name="output"/> per NativeOutputType.</summary>
    public ProcessResult Link(string nativeOutputType, IReadOnlyList<string> objects, string output, IReadOnlyList<string> linkFlags)
    {
        switch (nativeOutputType)
        {
            case "StaticLibrary":
                if (File.Exists(output)) File.Delete(output);
                return Run(Archiver, ["rcsD", output, .. objects]);
            case "SharedLibrary":
                return Run(Compiler, ["-shared", "-o", output, .. objects, .. linkFlags]);
            default:
                return Run(Compiler, ["-o", output, .. objects, .. linkFlags]);
        }
    }

    [GeneratedRegex(@"^(?<file>[^:\n]+):(?<line>\d+):(?:(?<col>\d+):)? (?<kind>fatal error|error|warning): (?<text>.*)$", RegexOptions.Multiline)]
    private static partial Regex GccDiagnostic();

    /// <summary>GCC's stderr as diagnostics with file and line (errors CLLM1003, warnings CLLM6001); anything unparsed becomes one error.</summary>
    public static List<PendingDiagnostic> ParseGccOutput(string stderr, bool failed, string fallbackFile)
    {
        var list = new List<PendingDiagnostic>();
        foreach (Match m in GccDiagnostic().Matches(stderr))
        {
            bool error = m.Groups["kind"].Value != "warning";
            int line = int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            list.Add(new PendingDiagnostic(error ? Diagnostics.CompileFailed : Diagnostics.GccWarning, m.Groups["file"].Value, line,
                [$"{m.Groups["kind"].Value}: {m.Groups["text"].Value.Trim()}"]));
        }
        if (failed && !list.Any(d => d.Descriptor.Severity == DiagnosticSeverity.Error))
            list.Add(new PendingDiagnostic(Diagnostics.CompileFailed, fallbackFile, 0, [string.IsNullOrWhiteSpace(stderr) ? "gcc failed" : stderr.Trim()]));
        return list;
    }
}

/// <summary>Writing outputs only when their bytes change, so that what depends on them stays up to date.</summary>
public static class Outputs
{
    /// <summary>Moves <paramref name="temp"/> over <paramref name="target"/> unless both hold the same bytes (then deletes temp). True if target changed.</summary>
    public static bool ReplaceIfDifferent(string temp, string target)
    {
        if (File.Exists(target) && SameBytes(temp, target))
        {
            File.Delete(temp);
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        File.Move(temp, target, overwrite: true);
        return true;
    }

    /// <summary>Writes text unless the file already holds exactly it. True if written.</summary>
    public static bool WriteTextIfDifferent(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text);
        return true;
    }

    /// <summary>Copies unless the target already holds the same bytes; keeps the source's file mode. True if copied.</summary>
    public static bool CopyIfDifferent(string source, string target)
    {
        if (File.Exists(target) && SameBytes(source, target)) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        string temp = target + ".cllm-tmp";
        File.Copy(source, temp, overwrite: true);
        File.Move(temp, target, overwrite: true);
        return true;
    }

    public static bool SameBytes(string a, string b)
    {
        var fa = new FileInfo(a);
        var fb = new FileInfo(b);
        if (fa.Length != fb.Length) return false;
        return File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
    }

    public static string TempFor(string path) => path + ".cllm-tmp";
}
