using System.Text;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher;

/// <summary>
/// The dependency file of an <c>-MMD</c> unit, made exactly as GCC writes it for the user's command, when the launcher
/// compiled with <c>-MD</c> into a file of its own (so that the direct shortcut learns every file GCC read). GCC leaves
/// out of <c>-MMD</c>'s list a file it found in a system directory, or included from a system header. When each listed
/// file is plainly one or the other (a path under a system directory and under no user one, or the reverse, and
/// nothing in the texts that could make a user file system: an include a system header could resolve to it, a pragma
/// or line marker, an absolute or computed include, a precompiled header), the user's list is the full one with the system files dropped,
/// laid out as GCC lays it out (<see cref="MakeRule"/>). Otherwise GCC's preprocessor runs once with the user's own
/// dependency options and writes the file itself.
/// </summary>
internal sealed class UserDependencyFile(Gcc gcc, string cwd, CompileInvocation invocation, string? memoDirectory)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Writes <paramref name="userFile"/> from the full list in <paramref name="fullFile"/>; returns false when it could
    /// not be written (then the command must run as it is). <paramref name="text"/> is its text, or null when it cannot
    /// be kept as text (no shortcut then).
    /// </summary>
    public bool Write(string fullFile, string userFile, out string? text)
    {
        text = null;
        try
        {
            if (Derive(fullFile) is { } derived)
            {
                string temp = Outputs.TempFor(userFile);
                File.WriteAllText(temp, derived, StrictUtf8);
                File.Move(temp, userFile, overwrite: true);
                text = derived;
                return true;
            }
        }
        catch (Exception)
        {
            // Whatever went wrong on the way (a file gone, a name no path can hold, the probe), GCC's preprocessor
            // still writes the exact file: nothing here may cost the user their dependency file or the build.
        }
        return Preprocess(userFile, out text);
    }

    /// <summary>The user's file from the full list, or null when it is not certain.</summary>
    internal string? Derive(string fullFile)
    {
        using var phase = PhaseTimings.Start("launcher.mmd-derive");
        if (MakeRule.Parse(StrictUtf8.GetString(File.ReadAllBytes(fullFile))) is not { } full) return null;
        if (SystemIncludeDirectories.For(gcc, invocation.AssemblyArguments, invocation.Language, memoDirectory) is not { } probed) return null;
        if (UserDirectories() is not { } userDirectories) return null;
        var systemDirectories = probed.Select(AsWritten).ToList();

        // The first name is the source (always listed); the rest in the order GCC first included them.
        string source = MakeRule.Unmunge(full.Prerequisites[0]);
        if (Path.GetFullPath(source, cwd) != Path.GetFullPath(invocation.Source, cwd)) return null;
        var kept = new List<string> { full.Prerequisites[0] };
        var userTexts = new List<byte[]> { File.ReadAllBytes(Path.GetFullPath(source, cwd)) };
        var userNames = new List<string>();
        var systemTexts = new List<byte[]>();
        foreach (string token in full.Prerequisites.Skip(1))
        {
            string path = MakeRule.Unmunge(token);
            bool system = systemDirectories.Any(d => Under(path, d)), user = userDirectories.Any(d => Under(path, d));
            if (system == user) return null; // under both, or under neither: only GCC knows
            byte[] bytes = File.ReadAllBytes(Path.GetFullPath(path, cwd));
            if (system)
            {
                systemTexts.Add(bytes);
                continue;
            }
            // A precompiled header stands for this one: its own list of files is GCC's to tell.
            if (File.Exists(Path.GetFullPath(path + ".gch", cwd)) || Directory.Exists(Path.GetFullPath(path + ".gch", cwd))) return null;
            kept.Add(token);
            userTexts.Add(bytes);
            userNames.Add(Path.GetFileName(path));
            userDirectories.Add(AsWritten(path[..(path.LastIndexOf('/') + 1)])); // its "..." includes start here
        }
        foreach (var bytes in userTexts.Concat(systemTexts))
            if (IncludeScan.HasUnplainInclude(bytes)) return null;
        foreach (var bytes in userTexts)
            if (IncludeScan.CanMarkSystem(bytes)) return null;
        foreach (string name in userNames)
            foreach (var bytes in systemTexts)
                if (IncludeScan.MayName(bytes, name)) return null;
        return full.With(kept).Write();
    }

    /// <summary>
    /// The directories whose files GCC does not count as system ones, as spelled in the paths it writes: <c>-I</c>,
    /// <c>-iquote</c>, <c>CPATH</c>, the source's directory, and the working directory when a forced include may be
    /// found there. Null for a forced include named by an absolute path, and for a directory GCC spells with the sysroot
    /// (<c>-I=dir</c>, <c>$SYSROOT</c>).
    /// </summary>
    private List<string>? UserDirectories()
    {
        var directories = new List<string> { invocation.Source[..(invocation.Source.LastIndexOf('/') + 1)] };
        var args = invocation.AssemblyArguments;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            bool forced = a.StartsWith("-include", StringComparison.Ordinal) || a.StartsWith("-imacros", StringComparison.Ordinal);
            string? value = a is "-I" or "-iquote" or "-include" or "-imacros" && i + 1 < args.Count ? args[++i]
                : forced ? a[8..] // both options take their value joined too
                : a.StartsWith("-iquote", StringComparison.Ordinal) ? a[7..]
                : a.StartsWith("-I", StringComparison.Ordinal) ? a[2..]
                : null;
            if (value is null) continue;
            if (value.StartsWith('=') || value.StartsWith("$SYSROOT", StringComparison.Ordinal)) return null; // GCC spells it with the sysroot
            if (forced)
            {
                if (value.StartsWith('/')) return null;
                directories.Add("");
            }
            else directories.Add(value);
        }
        if (Environment.GetEnvironmentVariable("CPATH") is { Length: > 0 } cpath)
        {
            var elements = cpath.Split(':'); // an empty element is the working directory, as "" is here
            if (elements.Any(e => e.StartsWith('=') || e.StartsWith("$SYSROOT", StringComparison.Ordinal))) return null;
            directories.AddRange(elements);
        }
        return directories.Select(AsWritten).ToList();
    }

    /// <summary>A directory as it begins the paths GCC writes: GCC drops a leading <c>./</c> from every name it lists (mkdeps.cc, <c>apply_vpath</c>).</summary>
    private static string AsWritten(string directory)
    {
        if (directory == ".") return "";
        while (directory.StartsWith("./", StringComparison.Ordinal)) directory = directory[2..].TrimStart('/');
        return directory;
    }

    /// <summary>Whether GCC's path for a file found in <paramref name="directory"/> (its name, a slash unless it ends in one, the file) could be <paramref name="path"/>.</summary>
    internal static bool Under(string path, string directory) =>
        directory.Length == 0 ? !path.StartsWith('/')
        : directory.EndsWith('/') ? path.StartsWith(directory, StringComparison.Ordinal)
        : path.Length > directory.Length && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal);

    /// <summary>GCC's preprocessor with the user's own dependency options writes the file (the compile's, byte for byte).</summary>
    private bool Preprocess(string userFile, out string? text)
    {
        text = null;
        using var phase = PhaseTimings.Start("launcher.mmd-preprocess");
        ProcessResult result;
        try
        {
            result = gcc.Invoke([.. invocation.AssemblyArguments, "-E", invocation.Source, "-o", "/dev/null"]);
        }
        catch (ToolNotFoundException)
        {
            return false;
        }
        if (!result.Succeeded) return false;
        try
        {
            text = StrictUtf8.GetString(File.ReadAllBytes(Path.Combine(cwd, userFile)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            text = null;
        }
        return true;
    }
}
