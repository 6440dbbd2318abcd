using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CompilerLLM.Caching;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher;

/// <summary>One file a unit read, and its content's SHA-256 when the unit was compiled.</summary>
internal sealed record IncludedFile(string Path, string Sha256);

/// <summary>
/// What a shortcut entry holds: the unit's cache entry, what GCC printed compiling it, every file it included, and the
/// dependency file the command asked for (null when it asked for none), to write again as the compile would have.
/// </summary>
internal sealed record ShortcutManifest(string UnitKey, string CompilerOutput, IReadOnlyList<IncludedFile> Includes, string? DependencyText);

/// <summary>
/// The way around compiling a unit the cache already holds, as ccache's direct mode: the unit's cache entry is keyed on
/// GCC's assembly, which takes a compile to know. The source's text, the arguments, the directory, the compiler and
/// the configuration, together with the text of every file the source included, determine that assembly; so an entry
/// keyed on the first group lists the included files with their hashes and points to the unit's entry, and a later
/// compile whose included files still hash the same takes the unit from the cache without running GCC at all. The list
/// of included files comes from the dependency file GCC writes while compiling (<c>-MD</c>: the user's own, or one the
/// launcher adds when the command asks for none), so it costs nothing. A command with <c>-MMD</c> (a list without
/// system headers) compiles with <c>-MD</c> into the launcher's file, and its own file is made from that list
/// (<see cref="UserDependencyFile"/>). No shortcut where that cannot be exact: time macros, files changed while the unit
/// compiled, inputs from elsewhere (profiles, plugins, spec files, path remapping).
/// </summary>
internal sealed partial class DirectShortcut(UnitCache cache, Gcc gcc, string cwd, CompileInvocation invocation)
{
    private const string ManifestFile = "direct.json";

    /// <summary>
    /// Options whose effect comes from files no dependency list shows, or that remap the paths written; and options
    /// passed to the preprocessor directly (<c>-Wp,-MD,file</c> as Kbuild writes it), whose dependency file the
    /// launcher's own <c>-MD -MQ unit</c> would change.
    /// </summary>
    [GeneratedRegex(@"^(-fprofile-use|-fauto-profile|-fprofile-sample-use|-fplugin|-specs|-fprofile-dir|-fdebug-prefix-map|-ffile-prefix-map|-fmacro-prefix-map|-fprofile-prefix-map|-wrapper|-B|-M$|-MM$|-Wp,|-Xpreprocessor$)")]
    private static partial Regex Excluded();

    /// <summary>The shortcut for the unit, or null when it may not have one.</summary>
    public static DirectShortcut? For(UnitCache? cache, Gcc gcc, string cwd, CompileInvocation invocation) =>
        cache is null || invocation.AssemblyArguments.Any(a => Excluded().IsMatch(a))
        || invocation.AssemblyArguments.Contains("-MD") && invocation.AssemblyArguments.Contains("-MMD") // which one wins is GCC's business
        || invocation.AssemblyArguments.Contains("-MMD") && Path.GetExtension(invocation.Source) is ".i" or ".ii" // no preprocessor to ask
            ? null : new DirectShortcut(cache, gcc, cwd, invocation);

    /// <summary>Whether the command writes a full dependency file of its own (<c>-MD</c>); else the launcher adds one for itself.</summary>
    public bool UserWritesDependencies => invocation.AssemblyArguments.Contains("-MD");

    /// <summary>Whether the command writes a dependency file of user headers only (<c>-MMD</c>): the compile writes the full list to the launcher's file.</summary>
    public bool UserWritesUserDependencies => invocation.AssemblyArguments.Contains("-MMD");

    /// <summary>
    /// The arguments for <c>gcc -S</c>: the unit's own when they write the full list (<c>-MD</c>); with <c>-MMD</c>, the
    /// same with <c>-MD</c> and the launcher's file instead (targets and <c>-MP</c> as they are, so that the full file
    /// differs from the user's only in the names listed); else with a dependency file of the launcher's added.
    /// </summary>
    public IReadOnlyList<string> CompileArguments(string ownDependencyFile)
    {
        if (UserWritesDependencies) return invocation.AssemblyArguments;
        if (!UserWritesUserDependencies) return [.. invocation.AssemblyArguments, "-MD", "-MF", ownDependencyFile, "-MQ", "unit"];
        var args = new List<string>(invocation.AssemblyArguments.Count);
        for (int i = 0; i < invocation.AssemblyArguments.Count; i++)
        {
            string a = invocation.AssemblyArguments[i];
            if (a == "-MF") { i++; continue; }
            if (a.StartsWith("-MF", StringComparison.Ordinal)) continue;
            args.Add(a == "-MMD" ? "-MD" : a);
        }
        return [.. args, "-MF", ownDependencyFile];
    }

    /// <summary>The dependency file the compile writes with every file listed: the user's (<c>-MD</c>), or the launcher's own.</summary>
    public string ListingFile(string ownDependencyFile) => UserWritesDependencies ? UserDependencyPath(ownDependencyFile) : ownDependencyFile;

    /// <summary>
    /// After the compile: the text of the user's dependency file, written first from the full list when the command has
    /// <c>-MMD</c>. False when that file could not be written (the command must then run as it is); the text is null
    /// when the command asks for no file or it cannot be kept (then no shortcut is stored).
    /// </summary>
    public bool FinishUserDependencies(string ownDependencyFile, string? memoDirectory, out string? text)
    {
        text = null;
        if (UserWritesUserDependencies)
            return new UserDependencyFile(gcc, cwd, invocation, memoDirectory).Write(ownDependencyFile, UserDependencyPath(ownDependencyFile), out text);
        if (!UserWritesDependencies) return true;
        try
        {
            text = File.ReadAllText(UserDependencyPath(ownDependencyFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return true;
    }

    /// <summary>The dependency file the command names (as it names it), or the launcher's own when it names none.</summary>
    public string UserDependencyPath(string ownDependencyFile)
    {
        if (!UserWritesDependencies && !UserWritesUserDependencies) return ownDependencyFile;
        var args = invocation.AssemblyArguments;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "-MF" && i + 1 < args.Count) return Path.Combine(cwd, args[i + 1]);
            if (args[i].StartsWith("-MF", StringComparison.Ordinal) && args[i].Length > 3) return Path.Combine(cwd, args[i][3..]);
        }
        return Path.Combine(cwd, CompileInvocation.DependencyFileOf(invocation.Object));
    }

    /// <summary>The key: everything but the included files. Null when the source cannot be read.</summary>
    public CacheKey? Key()
    {
        byte[] source;
        try
        {
            source = File.ReadAllBytes(Path.Combine(cwd, invocation.Source));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return CacheKey.Of(
            ("kind", "direct shortcut 2"),
            ("engine", EngineIdentity.Value),
            ("configuration", cache.Configuration),
            ("tools", gcc.Identity),
            ("arguments", string.Join('\n', invocation.AssemblyArguments)), // dependency options too: they name the file and target restored
            ("directory", cwd),
            // Where headers are looked for besides the flags, and whether GCC counts them as system ones (-MMD's list).
            ("include environment", $"{Environment.GetEnvironmentVariable("CPATH")}\n{Environment.GetEnvironmentVariable("C_INCLUDE_PATH")}\n{Environment.GetEnvironmentVariable("CPLUS_INCLUDE_PATH")}"),
            ("object", invocation.Object),
            ("source", invocation.Source),
            ("text", Sha256.Hex(source)));
    }

    /// <summary>The manifest under <paramref name="key"/> when every file it lists still has its hash; else null.</summary>
    public ShortcutManifest? Follow(CacheKey key, string scratch)
    {
        string file = Path.Combine(scratch, ManifestFile);
        if (cache.Store.TryGet(key, new Dictionary<string, string> { [ManifestFile] = file }) != CacheLookup.Hit) return null;
        ShortcutManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllText(file), ShortcutJson.Default.ShortcutManifest);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
        if (manifest is null) return null;
        foreach (var include in manifest.Includes)
            if (HashOf(include.Path, out _) != include.Sha256) return null;
        return manifest;
    }

    /// <summary>
    /// After a compile that started at <paramref name="compileStart"/>: stores the manifest (the included files read
    /// from <paramref name="dependencyFile"/>, hashed now, and the text of the user's dependency file,
    /// <paramref name="dependencyText"/>) pointing to <paramref name="unitKey"/>. Nothing is stored
    /// when a file changed since the compile started (the hash might not be what GCC read), when the dependency file
    /// cannot be read, or when a file uses the time macros.
    /// </summary>
    public void Store(CacheKey key, CacheKey unitKey, string compilerOutput, string dependencyFile, string? dependencyText, DateTime compileStart, string scratch)
    {
        if (dependencyText is null && (UserWritesDependencies || UserWritesUserDependencies)) return; // nothing to write back on a hit
        try
        {
            string sourcePath = Path.GetFullPath(Path.Combine(cwd, invocation.Source));
            var includes = new List<IncludedFile>();
            bool sourceListed = false;
            foreach (string dependency in DependencyList.Parse(File.ReadAllText(dependencyFile)))
            {
                string path = Path.GetFullPath(Path.Combine(cwd, dependency));
                if (File.GetLastWriteTimeUtc(path) >= compileStart) return;
                if (HashOf(path, out bool timeMacros) is not { } sha || timeMacros) return;
                if (path != sourcePath) includes.Add(new IncludedFile(path, sha)); // the source itself is in the key
                else sourceListed = true;
            }
            if (!sourceListed) return; // GCC always lists the source first: a list without it is not this unit's
            string file = Path.Combine(scratch, ManifestFile);
            File.WriteAllText(file, JsonSerializer.Serialize(new ShortcutManifest(unitKey.Hex, compilerOutput, includes, dependencyText), ShortcutJson.Default.ShortcutManifest));
            cache.Store.Put(key, new Dictionary<string, string> { [ManifestFile] = file });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
    }

    /// <summary>Writes the dependency file the command asks for, as its compile wrote it (a temporary file and a rename).</summary>
    public void RestoreDependencies(ShortcutManifest manifest, string ownDependencyFile)
    {
        if (manifest.DependencyText is null || !UserWritesDependencies && !UserWritesUserDependencies) return;
        string target = UserDependencyPath(ownDependencyFile);
        string temp = Outputs.TempFor(target);
        File.WriteAllText(temp, manifest.DependencyText);
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>
    /// The file's SHA-256, and whether it names a time macro; null when it cannot be read. Read into a pooled buffer:
    /// a unit lists tens of headers, hundreds of kilobytes, on every store and every lookup.
    /// </summary>
    private static string? HashOf(string path, out bool timeMacros)
    {
        timeMacros = false;
        byte[]? buffer = null;
        try
        {
            using var handle = File.OpenHandle(path);
            long length = RandomAccess.GetLength(handle);
            if (length > Array.MaxLength) return null;
            buffer = ArrayPool<byte>.Shared.Rent((int)length);
            int read = 0;
            for (int n; read < length && (n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read)) > 0;) read += n;
            var text = buffer.AsSpan(0, read);
            timeMacros = UsesTimeMacros(text);
            return Sha256.Hex(text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary><c>__DATE__</c>, <c>__TIME__</c> or <c>__TIMESTAMP__</c> anywhere in the text (a comment too: cheap and safe).</summary>
    private static bool UsesTimeMacros(ReadOnlySpan<byte> text) =>
        text.IndexOf("__DATE__"u8) >= 0 || text.IndexOf("__TIME__"u8) >= 0 || text.IndexOf("__TIMESTAMP__"u8) >= 0;
}

/// <summary>The prerequisites of the first rule of a make-style dependency file, as GCC writes it (<c>\</c> escapes and continuations).</summary>
internal static class DependencyList
{
    public static List<string> Parse(string text)
    {
        var files = new List<string>();
        var current = new StringBuilder();
        bool afterColon = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                char next = text[i + 1];
                if (next == '\n') { i++; Flush(); continue; }
                if (next == '\r' && i + 2 < text.Length && text[i + 2] == '\n') { i += 2; Flush(); continue; }
                if (next is ' ' or '#' or '\\') { current.Append(next); i++; continue; }
            }
            if (c == '$' && i + 1 < text.Length && text[i + 1] == '$') { current.Append('$'); i++; continue; }
            if (!afterColon)
            {
                // The target (which may contain an escaped colon only in forms GCC does not write for objects).
                if (c == ':' && (i + 1 >= text.Length || text[i + 1] is ' ' or '\t' or '\n' or '\r' or '\\')) { afterColon = true; current.Clear(); }
                else current.Append(c);
                continue;
            }
            if (c == '\n')
            {
                Flush();
                break; // the first rule ends here; -MP's phony rules follow
            }
            if (c is ' ' or '\t' or '\r') { Flush(); continue; }
            current.Append(c);
        }
        if (!afterColon) throw new FormatException("no rule in the dependency file");
        Flush();
        return files;

        void Flush()
        {
            if (afterColon && current.Length > 0) files.Add(current.ToString());
            current.Clear();
        }
    }
}

[JsonSerializable(typeof(ShortcutManifest))]
internal sealed partial class ShortcutJson : JsonSerializerContext;
