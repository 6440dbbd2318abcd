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
