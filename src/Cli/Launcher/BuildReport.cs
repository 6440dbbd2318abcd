using System.Globalization;
using CompilerLLM.Pipeline;

namespace CompilerLLM.Launcher;

/// <summary>The units of one build tree as their records tell it (<c>compilerllm-cc --report</c>).</summary>
public sealed record BuildReport(
    string Directory,
    int Units,
    int Optimized,
    int Unchanged,
    int Fallbacks,
    int Rewrites,
    int FunctionFallbacks,
    int FromCache,
    double Seconds,
    IReadOnlyList<UnitRecord> Records)
{
    public static BuildReport Of(string directory, IReadOnlyList<UnitRecord> records) => new(
        directory,
        records.Count,
        records.Count(r => r.Status == UnitStatus.Optimized),
        records.Count(r => r.Status == UnitStatus.Unchanged),
        records.Count(r => r.Status == UnitStatus.FellBack),
        records.Where(r => r.Status != UnitStatus.FellBack).Sum(r => r.Applied),
        records.Sum(r => r.FunctionFallbacks),
        records.Count(r => r.FromCache),
        records.Sum(r => r.Seconds),
        records);

    /// <summary>The one-line summary.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"compilerllm-cc: {Units} unit(s), {Optimized} optimized, {Unchanged} unchanged, {Fallbacks} fallback(s), {Rewrites} rewrites, {FunctionFallbacks} function fallback(s), {FromCache} from cache, {Seconds:F2} s in the launcher");
}
