using System.Text.Json;
using CompilerLLM.Caching;
using CompilerLLM.Variants;

namespace CompilerLLM.Pipeline;

/// <summary>
/// Tune decisions in the <see cref="ContentCache"/>. A unit's decision depends on the whole program (its time is the
/// program's), so the key covers every unit's GCC assembly and arguments, the tools, the link, the variant assignment
/// of the rest of the program when the unit was measured, the candidates (names and flags), the benchmark and test
/// commands, the protocol's rounds and margin, the variant model and the profile's workload (the profile is a function of
/// the program and the workload; its files are not keyed by their bytes, which GCC stamps anew on every profile build): the next build of the same program
/// takes the decision without running the benchmark.
/// </summary>
public sealed class TuneCache(ContentCache store, string temporaryDirectory)
{
    private const string Entry = "tune.json", Version = "tune-decision v1";

    public ContentCache Store { get; } = store;

    /// <summary>The key of one unit's decision.</summary>
    /// <param name="program">The program's key (<see cref="VariantTuner.ProgramKey"/>).</param>
    /// <param name="unit">The unit's source.</param>
    /// <param name="assignment">Every unit's variant at the time the unit is measured, in order.</param>
    /// <param name="candidates">The candidates measured, with their flags.</param>
    /// <param name="configuration">The options' identity, the model's hash and the profile's.</param>
    public static CacheKey KeyOf(string program, string unit, IReadOnlyList<string> assignment, IReadOnlyList<CompileVariant> candidates, string configuration) =>
        CacheKey.Of(
            ("kind", Version),
            ("program", program),
            ("unit", unit),
            ("assignment", string.Join('\n', assignment)),
            ("candidates", string.Join('\n', candidates.Select(c => c.Name + " " + string.Join(' ', c.Flags)))),
            ("configuration", configuration));

    public TuneOutcome? TryGet(CacheKey key)
    {
        string temp = Path.Combine(temporaryDirectory, key.Hex + ".json");
        Directory.CreateDirectory(temporaryDirectory);
        try
        {
            if (Store.TryGet(key, new Dictionary<string, string> { [Entry] = temp }) != CacheLookup.Hit) return null;
            return JsonSerializer.Deserialize(File.ReadAllText(temp), PipelineJson.Default.TuneOutcome) is { } o ? o with { FromCache = true } : null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public bool Save(CacheKey key, TuneOutcome outcome)
    {
        string temp = Path.Combine(temporaryDirectory, key.Hex + ".put.json");
        Directory.CreateDirectory(temporaryDirectory);
        try
        {
            File.WriteAllText(temp, JsonSerializer.Serialize(outcome with { FromCache = false }, PipelineJson.Default.TuneOutcome));
            return Store.Put(key, new Dictionary<string, string> { [Entry] = temp });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
