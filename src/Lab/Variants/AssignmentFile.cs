using System.Text.Json;

namespace CompilerLLM.Lab.Variants;

/// <summary>
/// The trainer's per-unit choices to measure (<c>compilerllm.variant-assignments/1</c>): method → program → unit source →
/// variant; a unit not listed is base.
/// </summary>
public sealed record AssignmentFile(string Schema, IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> Methods)
{
    public const string SchemaName = "compilerllm.variant-assignments/1";

    public static AssignmentFile Read(string path)
    {
        var file = JsonSerializer.Deserialize<AssignmentFile>(File.ReadAllText(path), VariantDataset.Json)
            ?? throw new InvalidOperationException($"{path}: empty");
        if (file.Schema != SchemaName) throw new InvalidOperationException($"{path}: schema '{file.Schema}', expected '{SchemaName}'");
        return file;
    }
}

/// <summary>One program's measured methods.</summary>
public sealed record AssignmentProgram(string Name, IReadOnlyDictionary<string, VariantMeasurement> Methods)
{
    /// <summary>Methods whose build failed its check, with the reason.</summary>
    public IReadOnlyDictionary<string, string>? Failed { get; init; }
}

/// <summary>What <c>--assignments</c> writes (<c>compilerllm.variant-assignment-results/1</c>).</summary>
public sealed record AssignmentResults(string Schema, int Rounds, IReadOnlyList<AssignmentProgram> Programs)
{
    public const string SchemaName = "compilerllm.variant-assignment-results/1";

    public void Write(string path) => VariantDataset.WriteAtomically(path, JsonSerializer.Serialize(this, VariantDataset.Json) + "\n");

    /// <summary>The programs of <paramref name="parts"/> (runs on disjoint programs) in one result; same rounds, no program twice.</summary>
    public static AssignmentResults Merge(IReadOnlyList<AssignmentResults> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("nothing to merge", nameof(parts));
        if (parts.Select(p => p.Rounds).Distinct().Count() > 1) throw new InvalidDataException("the results were measured with different numbers of rounds");
        var programs = parts.SelectMany(p => p.Programs).ToList();
        if (programs.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidDataException($"program '{twice.Key}' is in more than one result");
        return new AssignmentResults(SchemaName, parts[0].Rounds, programs);
    }

    public static AssignmentResults? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<AssignmentResults>(File.ReadAllText(path), VariantDataset.Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
