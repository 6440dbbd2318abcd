using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher;

/// <summary>
/// What the launcher did for one object file, kept in the report directory (one file per object path, replaced by the
/// next build of that object): the command that made it, what the engine did, and how to find GCC's own object again
/// (the cache entry, or else the command itself), so that replay can put either object back.
/// </summary>
public sealed record UnitRecord(
    string Object,
    string WorkingDirectory,
    string Compiler,
    IReadOnlyList<string> Arguments,
    string Source,
    UnitStatus Status,
    string? Reason,
    int Functions,
    int Candidates,
    int Applied,
    int FunctionFallbacks,
    bool FromCache,
    double Seconds,
    string? CacheKey,
    string ObjectSha256,
    string GccObjectSha256,
    DateTime Time)
{
    /// <summary>True when the object file on disk is still the one this record describes (not rebuilt or replaced since).</summary>
    public bool IsCurrent(string? sha256 = null) =>
        File.Exists(Object) && (sha256 ?? Sha256Of(Object)) == ObjectSha256;

    public static string Sha256Of(string path)
    {
        return Toolchain.Sha256.HexOfFile(path);
    }
}

/// <summary>Unit records in the report directory: written atomically, read back by path prefix.</summary>
public sealed class UnitRecordStore(string directory)
{
    public string Directory { get; } = directory;

    private string PathOf(string objectPath) =>
        Path.Combine(Directory, Toolchain.Sha256.Hex(objectPath)[..32] + ".json");

    /// <summary>Writes (replaces) the record of its object; false when the directory cannot be written.</summary>
    public bool Write(UnitRecord record)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            string path = PathOf(record.Object);
            string temp = Outputs.TempFor(path);
            File.WriteAllText(temp, JsonSerializer.Serialize(record, LauncherJsonWriter.Default.UnitRecord));
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Every readable record whose object lies under <paramref name="root"/> (all of them when null).</summary>
    public List<UnitRecord> Under(string? root)
    {
        var records = new List<UnitRecord>();
        if (!System.IO.Directory.Exists(Directory)) return records;
        string? prefix = root is null ? null : Path.GetFullPath(root).TrimEnd('/') + "/";
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            try
            {
                var record = JsonSerializer.Deserialize(File.ReadAllText(file), LauncherJson.Default.UnitRecord);
                if (record is not null && (prefix is null || record.Object.StartsWith(prefix, StringComparison.Ordinal))) records.Add(record);
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                // a record being replaced right now, or damaged: it is not ours to use
            }
        }
        return [.. records.OrderBy(r => r.Object, StringComparer.Ordinal)];
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UnitRecord))]
[JsonSerializable(typeof(BuildReport))]
internal sealed partial class LauncherJson : JsonSerializerContext;

/// <summary>The unit record as <see cref="LauncherJson"/> writes it, by generated code only: every unit writes one, and
/// metadata mode would configure the record's types in every launcher process first (see <c>PipelineJsonWriter</c>).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(UnitRecord))]
internal sealed partial class LauncherJsonWriter : JsonSerializerContext;
