using System.Collections.Concurrent;

namespace CompilerLLM.Toolchain;

/// <summary>
/// The directories GCC treats as system directories for a unit's flags (the built-in ones, <c>-isystem</c>,
/// <c>-idirafter</c>, <c>--sysroot</c>'s, <c>C_INCLUDE_PATH</c>'s), spelled as GCC spells them in the paths it writes:
/// GCC's own list, from <c>gcc FLAGS -E -v -x c /dev/null</c> with the user's directories left out (<c>-I</c>,
/// <c>-iquote</c>, <c>CPATH</c>), so that every directory it prints is a system one. Remembered per compiler, flags,
/// directory and environment: in the process, and in a directory when one is given (the launcher's is a process per
/// unit). Null whenever the answer is not plainly that list; callers then do without it.
/// </summary>
public static class SystemIncludeDirectories
{
    private const string QuoteStart = "#include \"...\" search starts here:", BracketStart = "#include <...> search starts here:",
        End = "End of search list.", MemoHeader = "system include directories";

    private static readonly ConcurrentDictionary<string, string[]?> Known = new(StringComparer.Ordinal);

    /// <summary>Forgets what this process remembered (tests: as a new process would start).</summary>
    internal static void ForgetInProcess() => Known.Clear();

    /// <summary>The system directories for a unit compiled with <paramref name="assemblyArguments"/>, or null.</summary>
    public static IReadOnlyList<string>? For(Gcc gcc, IReadOnlyList<string> assemblyArguments, SourceLanguage language, string? memoDirectory)
    {
        var args = ProbeArguments(assemblyArguments);
        if (args is null) return null;
        string key = Sha256.Hex(
            $"system include directories 1\n{gcc.Identity}\n{gcc.WorkingDirectory}\n{language}\n{string.Join('\n', args)}\n"
            // What GCC's list depends on besides its binary and the flags (CPATH is left out of the probe).
            + $"{Environment.GetEnvironmentVariable("C_INCLUDE_PATH")}\n{Environment.GetEnvironmentVariable("CPLUS_INCLUDE_PATH")}\n"
            + $"{Environment.GetEnvironmentVariable("GCC_EXEC_PREFIX")}\n{Environment.GetEnvironmentVariable("COMPILER_PATH")}");
        if (Known.TryGetValue(key, out var known)) return known;
        string? memo = memoDirectory is null ? null : Path.Combine(memoDirectory, "include-dirs", key);
        string[]? directories = memo is not null ? ReadMemo(memo) : null;
        if (directories is null)
        {
            directories = Ask(gcc, args, language);
            if (directories is not null && memo is not null) WriteMemo(memo, directories);
        }
        Known[key] = directories;
        return directories;
    }

    /// <summary>
    /// The unit's flags without what adds user directories, names files, or cannot change the search list (macros,
    /// forced includes, dependency options); null for options that add user directories the probe cannot leave out
    /// (<c>-iwithprefixbefore</c>, <c>-I-</c>, <c>-Wp,</c>, <c>-Xpreprocessor</c>, <c>--include-directory=</c> and the other long spellings).
    /// </summary>
    private static List<string>? ProbeArguments(IReadOnlyList<string> args)
    {
        var kept = new List<string>(args.Count);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            // User directories given in ways the probe would list as system ones: to the preprocessor directly, or by
            // the long spellings of -I, -iquote and their kin.
            if (a is "-I-" or "-Xpreprocessor" || a.StartsWith("-iwithprefixbefore", StringComparison.Ordinal)
                || a.StartsWith("-Wp,", StringComparison.Ordinal) || a.StartsWith("--include", StringComparison.Ordinal)
                || a.StartsWith("--imacros", StringComparison.Ordinal) || a.StartsWith("--user-dependencies", StringComparison.Ordinal)) return null;
            if (a is "-I" or "-iquote" or "-D" or "-U" or "-include" or "-imacros" or "-MF" or "-MT" or "-MQ") { i++; continue; }
            if (a.StartsWith("-I", StringComparison.Ordinal) || a.StartsWith("-iquote", StringComparison.Ordinal)
                || a.StartsWith("-include", StringComparison.Ordinal) || a.StartsWith("-imacros", StringComparison.Ordinal)
                || a.StartsWith("-D", StringComparison.Ordinal) || a.StartsWith("-U", StringComparison.Ordinal)
                || a.StartsWith("-M", StringComparison.Ordinal)) continue;
            kept.Add(a);
        }
        return kept;
    }

    private static string[]? Ask(Gcc gcc, List<string> args, SourceLanguage language)
    {
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(new ProcessSpec(gcc.Options.Compiler,
                [.. args, "-E", "-v", "-x", language == SourceLanguage.CPlusPlus ? "c++" : "c", "/dev/null", "-o", "/dev/null"])
            {
                WorkingDirectory = gcc.WorkingDirectory,
                Environment = new Dictionary<string, string?> { ["CPATH"] = null },
                Timeout = TimeSpan.FromMinutes(1),
            });
        }
        catch (ToolNotFoundException)
        {
            return null;
        }
        return result.Succeeded ? Parse(result.StandardError) : null;
    }

    /// <summary>The bracket list of <c>-v</c>'s report; null unless the quote list is empty and the report is complete.</summary>
    internal static string[]? Parse(string report)
    {
        var lines = report.Split('\n');
        int quote = Array.IndexOf(lines, QuoteStart), bracket = Array.IndexOf(lines, BracketStart), end = Array.IndexOf(lines, End);
        if (quote < 0 || bracket != quote + 1 || end < bracket) return null;
        var directories = new string[end - bracket - 1];
        for (int i = bracket + 1; i < end; i++)
        {
            string line = lines[i];
            // " DIR"; anything else (a framework directory, a note) is not a plain directory of this list.
            if (line.Length < 2 || line[0] != ' ' || line[1] == ' ' || line.EndsWith(')')) return null;
            directories[i - bracket - 1] = line[1..];
        }
        return directories;
    }

    private static string[]? ReadMemo(string path)
    {
        try
        {
            var lines = File.ReadAllText(path).Split('\n');
            // The header, the directories, and an end mark: a torn or foreign file is not a list.
            if (lines.Length < 2 || lines[0] != MemoHeader || lines[^1] != "end") return null;
            return lines[1..^1];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WriteMemo(string path, string[] directories)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}";
            File.WriteAllText(temp, string.Join('\n', [MemoHeader, .. directories, "end"]));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
