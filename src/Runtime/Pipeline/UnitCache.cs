using System.Text.Json;
using CompilerLLM.Caching;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Pipeline;

/// <summary>
/// Optimized units in a <see cref="ContentCache"/>. Optimizing a unit is a pure function of GCC's assembly text, the
/// unit's arguments that matter to assembling (<see cref="Gcc.ArgumentsForAssembly"/>), the compiler and assembler binaries, the engine's code (rules included) and the configuration
/// (policy and model hash, validation): the key covers exactly those, so an entry made by any build (another
/// project, another machine sharing the directory) is valid here. An entry holds GCC's object, ours, our assembly
/// and the unit's report; units that fell back are not stored (they are rare, and their cause may be the machine).
/// </summary>
/// <param name="store">Where entries live.</param>
/// <param name="configuration">What else decides the output: the policy's identity (model hash), validation, fault injection.</param>
public sealed class UnitCache(ContentCache store, string configuration)
{
    private const string GccObject = "gcc.o", OurObject = "opt.o", OurAssembly = "opt.s", Report = "report.json";

    public ContentCache Store { get; } = store;

    /// <summary>
    /// The configuration text every front writes the same way (so the MSBuild package and the launcher share entries):
    /// the rewrite policy's identity, the variant model's (or "none"), validation, and a test-only fault.
    /// </summary>
    public static string ConfigurationOf(string policyIdentity, string variantIdentity, bool validateWithSmt, string? faultFunction) =>
        $"policy {policyIdentity}; variants {variantIdentity}; validate {(validateWithSmt ? "smt" : "none")}; fault {faultFunction?.Trim()}";

    /// <summary>The default cache directory: <c>$COMPILERLLM_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/compilerllm</c>, else <c>~/.cache/compilerllm</c>.</summary>
    public static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable("COMPILERLLM_CACHE_DIR") is { Length: > 0 } dir) return dir;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetEnvironmentVariable("HOME") ?? Path.GetTempPath();
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".cache") : xdg, "compilerllm");
    }

    public string Configuration { get; } = configuration;

    /// <summary>The key of a unit whose GCC assembly is <paramref name="assemblyText"/>, built by <paramref name="gcc"/>.</summary>
    public CacheKey KeyOf(TranslationUnit unit, string assemblyText, Gcc gcc) =>
        CacheKey.Of([.. KeyParts(unit, gcc), ("assembly", assemblyText)]);

    /// <summary>
    /// The key of a unit whose GCC assembly is the file at <paramref name="assemblyPath"/>: equal to
    /// <see cref="KeyOf(TranslationUnit, string, Gcc)"/> with the file's text, without reading the text into memory
    /// when the file is ASCII (GCC's assembly is; anything else is read as text).
    /// </summary>
    public CacheKey KeyOfFile(TranslationUnit unit, string assemblyPath, Gcc gcc) =>
        CacheKey.OfWithAsciiFile(KeyParts(unit, gcc), "assembly", assemblyPath)
        ?? KeyOf(unit, File.ReadAllText(assemblyPath), gcc);

    private (string Name, string Value)[] KeyParts(TranslationUnit unit, Gcc gcc) =>
    [
        ("engine", EngineIdentity.Value),
        ("configuration", Configuration),
        ("tools", gcc.Identity),
        ("arguments", string.Join('\n', Gcc.ArgumentsForAssembly(unit.Arguments))),
    ];

    /// <summary>
    /// Restores a unit from the cache: GCC's object, ours and our assembly (each replaced only if its bytes differ,
    /// so what depends on it stays up to date) and the report, renamed to this unit's source. Null on a miss.
    /// </summary>
    /// <param name="key">The unit's key.</param>
    /// <param name="unit">The unit.</param>
    /// <param name="gccObject">Where GCC's object of the optimized assembly goes (the user's flags, or the chosen variant's).</param>
    /// <param name="lookup">What the lookup found.</param>
    public UnitReport? TryRestore(CacheKey key, TranslationUnit unit, string gccObject, out CacheLookup lookup)
    {
        var files = unit.Files;
        string stem = Outputs.TempFor(files.OptimizedObject);
        var temporaries = new Dictionary<string, string>
        {
            [GccObject] = stem + ".gcc", [OurObject] = stem + ".opt", [OurAssembly] = stem + ".s", [Report] = stem + ".json",
        };
        try
        {
            lookup = Store.TryGet(key, temporaries);
            if (lookup != CacheLookup.Hit) return null;
            var report = JsonSerializer.Deserialize(File.ReadAllText(temporaries[Report]), PipelineJson.Default.UnitReport);
            if (report is null) return null;
            Outputs.ReplaceIfDifferent(temporaries[GccObject], gccObject);
            Outputs.ReplaceIfDifferent(temporaries[OurObject], files.OptimizedObject);
            Outputs.ReplaceIfDifferent(temporaries[OurAssembly], files.OptimizedAsm);
            return report with { Source = unit.Source, FromCache = true };
        }
        catch (JsonException)
        {
            lookup = CacheLookup.Corrupt;
            return null;
        }
        finally
        {
            foreach (string temp in temporaries.Values) File.Delete(temp);
        }
    }

    /// <summary>Stores a unit that was optimized (or left unchanged) by this build; false if the cache could not take it.</summary>
    public bool Save(CacheKey key, TranslationUnit unit, string gccObject, UnitReport report)
    {
        if (report.Status == UnitStatus.FellBack) return false;
        string reportFile = Outputs.TempFor(unit.Files.Report) + ".cache";
        try
        {
            File.WriteAllText(reportFile, JsonSerializer.Serialize(report, PipelineJsonWriter.Default.UnitReport));
            return Store.Put(key, new Dictionary<string, string>
            {
                [GccObject] = gccObject, [OurObject] = unit.Files.OptimizedObject, [OurAssembly] = unit.Files.OptimizedAsm, [Report] = reportFile,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            File.Delete(reportFile);
        }
    }
}
