using CompilerLLM.Pipeline;
using CompilerLLM.Timing;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Lab.Variants;

/// <summary>
/// A suite program's "tests": a build linked as the manifest says (each unit's object in its place, then the base
/// flags) and the workload run once, whose standard output and exit code must be the expected ones. Shared by the
/// speed measurement (<see cref="VariantHarness"/>) and the size measurement (<see cref="SizeHarness"/>).
/// </summary>
public sealed class SuiteCheck(ToolchainOptions toolchain, IReadOnlyList<string> baseFlags)
{
    /// <summary>The manifest's link with <paramref name="objects"/> (one per unit, in unit order) and the base flags.</summary>
    public LinkCommand LinkOf(SuiteProgram program, IReadOnlyList<string> objects) =>
        new([.. VariantCompiler.LinkArguments(program, objects), .. baseFlags], program.ObjectPositions(), program.LinkDirectory);

    /// <summary>Links the build to <paramref name="exe"/>: null, or why it failed.</summary>
    public string? Link(SuiteProgram program, IReadOnlyList<string> objects, string exe)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(exe))!);
        var link = LinkOf(program, objects);
        var linked = new Gcc(toolchain, link.WorkingDirectory).Invoke([.. link.Arguments, "-o", exe]);
        return linked.Succeeded ? null : "link failed: " + LinkError(linked.StandardError);
    }

    /// <summary>The line of the linker's message that names the problem (an undefined reference, a multiple definition), else GCC's error line.</summary>
    public static string LinkError(string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l.Contains("undefined reference", StringComparison.Ordinal) || l.Contains("multiple definition", StringComparison.Ordinal))
        ?? UnitBuilder.FirstErrorLine(message);

    /// <summary>
    /// Links the build to <paramref name="exe"/> (name it as the build names the program: some programs act on their
    /// name, like gunzip or untoast) and runs the workload once: null when the output and exit code are the expected ones.
    /// </summary>
    public string? LinkAndCheck(SuiteProgram program, IReadOnlyList<string> objects, string exe) =>
        Link(program, objects, exe) ?? Check(program, exe);

    /// <summary>Runs the workload with <paramref name="exe"/> once: null when the output and exit code are the expected ones.</summary>
    public static string? Check(SuiteProgram program, string exe)
    {
        var run = RunWorkload(program, exe);
        if (run.TimedOut) return "the workload timed out";
        if (run.ExitCode != program.ExpectedExitCode) return $"exit code {run.ExitCode}, expected {program.ExpectedExitCode}";
        if (run.StandardOutput != File.ReadAllText(program.ExpectedStdout)) return "standard output differs from the expected output";
        return null;
    }

    /// <summary>The workload with <paramref name="exe"/> as the program (through its wrapper, with its input and environment).</summary>
    public static ProgramOutcome RunWorkload(SuiteProgram program, string exe)
    {
        var words = new List<string>();
        if (program.Wrapper is { } wrapper) words.AddRange(["/bin/sh", wrapper]);
        words.Add(exe);
        words.AddRange(program.WorkloadArguments);
        string command = "exec " + string.Join(' ', words.Select(ShellWords.Quote)) + " < " + ShellWords.Quote(program.StandardInput ?? "/dev/null");
        return UserProgram.RunShell(command, program.WorkloadDirectory, program.Timeout, program.Environment);
    }
}
