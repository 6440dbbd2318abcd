using System.Collections.Concurrent;
using System.Text;

namespace CompilerLLM.Toolchain;

/// <summary>
/// The <c>as</c> command the GCC driver runs for <c>gcc -c -x assembler ARGS</c>, taken from the driver itself
/// (<c>gcc -###</c> prints the commands it would run, and <c>-print-prog-name=as</c> which <c>as</c> it finds), so
/// assembling can run it directly: the same program with the same arguments writes the same object, without the
/// driver's own process (about 5 ms a run here, several runs a unit). Remembered per compiler binary and arguments:
/// in the process, and in a directory when one is given (the launcher's is a process per unit). Whenever the driver's
/// plan is not exactly one <c>as</c> run the command is null, and callers go through the driver as before.
/// </summary>
public static class AssemblerCommand
{
    private const string InputMark = "@compilerllm-input@.s", OutputMark = "@compilerllm-output@.o";

    private static readonly ConcurrentDictionary<string, string[]?> Known = new(StringComparer.Ordinal);

    /// <summary>Forgets what this process remembered (tests: as a new process would start).</summary>
    internal static void ForgetInProcess() => Known.Clear();

    /// <summary>The command for assembling <paramref name="input"/> to <paramref name="output"/>, or null (use the driver).</summary>
    public static IReadOnlyList<string>? For(Gcc gcc, IReadOnlyList<string> assemblyArguments, string input, string output, string? memoDirectory)
    {
        var template = Template(gcc, assemblyArguments, memoDirectory);
        if (template is null) return null;
        var command = new string[template.Length];
        for (int i = 0; i < template.Length; i++)
            command[i] = template[i] == InputMark ? input : template[i] == OutputMark ? output : template[i];
        return command;
    }

    private static string[]? Template(Gcc gcc, IReadOnlyList<string> args, string? memoDirectory)
    {
        string key = Sha256.Hex(
            $"assembler command 1\n{gcc.Identity}\n{gcc.WorkingDirectory}\n{string.Join('\n', args)}\n"
            // What the driver's choice of programs depends on besides its own binary.
            + $"{Environment.GetEnvironmentVariable("PATH")}\n{Environment.GetEnvironmentVariable("COMPILER_PATH")}\n{Environment.GetEnvironmentVariable("GCC_EXEC_PREFIX")}");
        if (Known.TryGetValue(key, out var known)) return known;
        string? memo = memoDirectory is null ? null : Path.Combine(memoDirectory, "assembler", key);
        string[]? template = memo is not null ? ReadMemo(memo) : null;
        if (template is null)
        {
            template = Ask(gcc, args);
            if (template is not null && memo is not null) WriteMemo(memo, template);
        }
        Known[key] = template;
        return template;
    }

    /// <summary>The driver's plan, or null when it is not one <c>as</c> run with both files named once.</summary>
    private static string[]? Ask(Gcc gcc, IReadOnlyList<string> args)
    {
        var plan = gcc.Invoke(["-###", "-c", "-x", "assembler", .. args, InputMark, "-o", OutputMark]);
        var prog = gcc.Invoke(["-print-prog-name=as"]);
        if (!plan.Succeeded || !prog.Succeeded) return null;
        string program = prog.StandardOutput.Trim();
        if (program.Length == 0 || program.Contains('\n')) return null;
        // Commands are the lines that start with a space; everything else is the driver's commentary.
        var commands = plan.StandardError.Split('\n').Where(l => l.StartsWith(' ')).ToList();
        if (commands.Count != 1) return null;
        List<string> words;
        try
        {
            words = ShellWords.Split(commands[0]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (words.Count < 3 || words[0] != "as" && Path.GetFileName(words[0]) != "as") return null;
        if (words.Count(w => w == InputMark) != 1 || words.Count(w => w == OutputMark) != 1) return null;
        if (words.Any(w => w.Contains('\n'))) return null;
        words[0] = program.Contains('/') ? program : words[0];
        return [.. words];
    }

    private static string[]? ReadMemo(string path)
    {
        try
        {
            var lines = File.ReadAllText(path).Split('\n');
            // "as command" header, the words, and an end mark: a torn or foreign file is not a command.
            if (lines.Length < 4 || lines[0] != "as command" || lines[^1] != "end") return null;
            return lines[1..^1];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WriteMemo(string path, string[] words)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}";
            File.WriteAllText(temp, $"as command\n{string.Join('\n', words)}\nend");
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
