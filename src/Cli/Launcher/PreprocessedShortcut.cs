using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CompilerLLM.Caching;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher;

/// <summary>What a shortcut entry holds: the key of the unit's cache entry and what GCC printed when it compiled the unit.</summary>
internal sealed record ShortcutLink(string UnitKey, string CompilerOutput);

/// <summary>
/// The way around compiling a unit the cache already holds, as ccache's preprocessor mode: the unit's cache entry is
/// keyed on GCC's assembly, which takes a full compile to know; its preprocessed source (<c>gcc -E</c>, a fraction of
/// that) with the compile arguments, the compiler and the configuration determine that assembly, so a small entry
/// keyed on them points to the unit's entry and keeps GCC's diagnostics to print again. A unit whose output also
/// depends on something outside its preprocessed text gets the missing part in the key (the directory and object for
/// debug information and coverage), or no shortcut at all (profile files, plugins, spec files).
/// </summary>
internal sealed partial class PreprocessedShortcut(UnitCache cache, Gcc gcc)
{
    private const string LinkFile = "link.json";

    /// <summary>Options whose effect comes from files the preprocessed text does not show: no shortcut.</summary>
    [GeneratedRegex(@"^(-fprofile-use|-fauto-profile|-fprofile-sample-use|-fplugin|-specs|-fprofile-dir|-fdebug-prefix-map|-ffile-prefix-map|-fmacro-prefix-map|-fprofile-prefix-map|-wrapper|-B)")]
    private static partial Regex OutsideInputs();

    /// <summary>Options whose output names the directory or the object (debug information, coverage and profile instrumentation).</summary>
    [GeneratedRegex(@"^(-g(?!0$)|-fprofile-arcs|-ftest-coverage|--coverage|-fprofile-generate|-fprofile-update)")]
    private static partial Regex PathDependent();

    /// <summary>Debug levels that record macro definitions, which preprocessing drops unless asked to keep them.</summary>
    [GeneratedRegex(@"^-g(gdb|dwarf|stabs\+?|xcoff\+?|vms)?3$")]
    private static partial Regex MacroLevel();

    /// <summary>Whether the unit may take the shortcut at all.</summary>
    public static bool Applies(CompileInvocation invocation) => !invocation.AssemblyArguments.Any(a => OutsideInputs().IsMatch(a));

    /// <summary>
    /// Preprocesses the unit into <paramref name="preprocessed"/> and gives the shortcut's key; null when GCC's
    /// preprocessing fails (the compile will say why in GCC's words).
    /// </summary>
    public CacheKey? KeyOf(CompileInvocation invocation, string cwd, string preprocessed)
    {
        var args = invocation.AssemblyArguments;
        bool macros = args.Any(a => MacroLevel().IsMatch(a) || a == "-g3");
        var result = gcc.Preprocess(invocation.Source, args, preprocessed, keepDefines: macros);
        if (!result.Succeeded) return null;
        string where = args.Any(a => PathDependent().IsMatch(a)) ? $"{cwd}\n{Path.GetFullPath(Path.Combine(cwd, invocation.Object))}" : "";
        using var text = File.OpenRead(preprocessed);
        return CacheKey.Of(
            ("kind", "preprocessed-source shortcut 1"),
            ("engine", EngineIdentity.Value),
            ("configuration", cache.Configuration),
            ("tools", gcc.Identity),
            ("arguments", string.Join('\n', Gcc.WithoutDependencyOptions(args))),
            ("where", where),
            ("preprocessed", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(text))));
    }

    /// <summary>The link stored under <paramref name="key"/>, or null.</summary>
    public ShortcutLink? Follow(CacheKey key, string scratch)
    {
        string file = Path.Combine(scratch, LinkFile);
        if (cache.Store.TryGet(key, new Dictionary<string, string> { [LinkFile] = file }) != CacheLookup.Hit) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(file), ShortcutJson.Default.ShortcutLink);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    /// <summary>Stores the link from <paramref name="key"/> to the unit's entry; a cache that cannot take it costs nothing.</summary>
    public void Link(CacheKey key, CacheKey unitKey, string compilerOutput, string scratch)
    {
        string file = Path.Combine(scratch, LinkFile);
        try
        {
            File.WriteAllText(file, JsonSerializer.Serialize(new ShortcutLink(unitKey.Hex, compilerOutput), ShortcutJson.Default.ShortcutLink));
            cache.Store.Put(key, new Dictionary<string, string> { [LinkFile] = file });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}

[JsonSerializable(typeof(ShortcutLink))]
internal sealed partial class ShortcutJson : JsonSerializerContext;
