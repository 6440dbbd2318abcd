using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.Tasks;

/// <summary>Flags and MSBuild metadata as GCC arguments.</summary>
public static class CommandLine
{
    /// <summary>Splits flags like a POSIX shell (<see cref="ShellWords.Split"/>).</summary>
    public static List<string> Split(string? text) => ShellWords.Split(text);

    /// <summary>Quotes a word for a POSIX shell (<see cref="ShellWords.Quote"/>).</summary>
    public static string Quote(string word) => ShellWords.Quote(word);

    /// <summary>MSBuild list metadata ("a;b;;c") as its non-empty, trimmed entries.</summary>
    public static IEnumerable<string> SplitList(string? list) =>
        (list ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 0 && !s.StartsWith("%(", StringComparison.Ordinal));

    /// <summary>
    /// The gcc arguments of one translation unit, in this order: the project flags (CompilerLlmCFlags),
    /// -fPIC for shared libraries unless already given, the item's AdditionalOptions, -D for each
    /// PreprocessorDefinitions entry, -I for each AdditionalIncludeDirectories entry.
    /// </summary>
    public static List<string> CompilerArguments(string? projectFlags, string nativeOutputType, string? additionalOptions,
        string? preprocessorDefinitions, string? includeDirectories)
    {
        var args = Split(projectFlags);
        var extra = Split(additionalOptions);
        if (nativeOutputType == "SharedLibrary" && !args.Concat(extra).Any(a => a is "-fPIC" or "-fpic" or "-fPIE" or "-fpie"))
            args.Add("-fPIC");
        args.AddRange(extra);
        args.AddRange(SplitList(preprocessorDefinitions).Select(d => "-D" + d));
        args.AddRange(SplitList(includeDirectories).Select(d => "-I" + d));
        return args;
    }
}
