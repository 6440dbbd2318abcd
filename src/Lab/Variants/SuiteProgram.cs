using System.Text.Json;

namespace CompilerLLM.Lab.Variants;

/// <summary>One translation unit of a development-suite program: where and how the build system compiled it.</summary>
/// <param name="Source">The source, relative to <paramref name="Directory"/> (as the build system wrote it).</param>
/// <param name="Directory">The compile's working directory (absolute).</param>
/// <param name="Arguments">GCC's arguments without <c>-c</c>, <c>-o</c>, the source and dependency options.</param>
/// <param name="ObjectArgument">The object's string as it appears in the link's arguments.</param>
/// <param name="Origin">The source relative to the package tree (the unit's name in the dataset).</param>
public sealed record SuiteUnit(string Source, string Directory, IReadOnlyList<string> Arguments, string ObjectArgument, string Origin);

/// <summary>
/// A program of the development suite: <c>SUITE/NAME/suite.json</c> (scripts/devsuite/README.md), with every path made
/// absolute. A harness rebuilds it with extra options X as <c>gcc -c ARGS X</c> per unit and <c>gcc LINK-ARGS X</c>.
/// </summary>
public sealed record SuiteProgram(
    string Name, string Package, string Directory, IReadOnlyList<SuiteUnit> Units, IReadOnlyList<string> LinkArguments, string LinkDirectory,
    string WorkloadDirectory, IReadOnlyList<string> WorkloadArguments, string? StandardInput, string? Wrapper,
    IReadOnlyDictionary<string, string?> Environment, TimeSpan Timeout, string ExpectedStdout, int ExpectedExitCode)
{
    public const string ManifestName = "suite.json";

    /// <summary>The manifest's baseline CPU seconds of one run at -O2 (a size indication; +∞ when absent).</summary>
    public double BaselineCpuSeconds { get; init; } = double.PositiveInfinity;

    /// <summary>Every program folder of <paramref name="suite"/> with a manifest, in name order; unreadable ones are reported.</summary>
    public static IReadOnlyList<SuiteProgram> Discover(string suite, Action<string> warn)
    {
        var programs = new List<SuiteProgram>();
        foreach (string dir in System.IO.Directory.GetDirectories(suite).Order(StringComparer.Ordinal))
        {
            string manifest = Path.Combine(dir, ManifestName);
            if (!File.Exists(manifest)) continue;
            try
            {
                programs.Add(Load(manifest));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
            {
                warn($"{manifest}: {e.Message}");
            }
        }
        return programs;
    }

    /// <summary>
    /// The programs a command's <c>--programs a,b</c> names (all when <paramref name="only"/> is null), in suite order;
    /// <paramref name="missing"/>: the names that are not in the suite.
    /// </summary>
    public static List<SuiteProgram> Select(IReadOnlyList<SuiteProgram> all, string? only, out IReadOnlyList<string> missing)
    {
        var wanted = only?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var selected = all.Where(p => wanted is null || wanted.Contains(p.Name)).ToList();
        missing = wanted is null ? [] : [.. wanted.Except(selected.Select(p => p.Name)).Order(StringComparer.Ordinal)];
        return selected;
    }

    /// <summary>Reads one manifest (paths made absolute against its folder).</summary>
    public static SuiteProgram Load(string manifest)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(manifest));
        var root = doc.RootElement;
        string At(string relative) => Path.GetFullPath(Path.Combine(dir, relative));
        static List<string> Strings(JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetString()!)];
        var units = root.GetProperty("units").EnumerateArray().Select(u => new SuiteUnit(
            u.GetProperty("source").GetString()!, At(u.GetProperty("directory").GetString()!), Strings(u.GetProperty("arguments")),
            u.GetProperty("object").GetString()!, u.TryGetProperty("origin", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : u.GetProperty("source").GetString()!)).ToList();
        var link = root.GetProperty("link");
        var workload = root.GetProperty("workload");
        string Optional(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (workload.TryGetProperty("env", out var envElement) && envElement.ValueKind == JsonValueKind.Object)
            foreach (var p in envElement.EnumerateObject()) env[p.Name] = p.Value.GetString();
        string stdin = Optional(workload, "stdin"), wrapper = Optional(workload, "wrapper");
        var expected = root.GetProperty("expected");
        double timeout = workload.TryGetProperty("timeout_seconds", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : 60;
        string name = root.GetProperty("name").GetString()!;
        return new SuiteProgram(
            name, Optional(root, "package"), dir, units, Strings(link.GetProperty("arguments")),
            At(link.GetProperty("directory").GetString()!), At(workload.GetProperty("directory").GetString()!), Strings(workload.GetProperty("args")),
            stdin.Length == 0 ? null : At(stdin), wrapper.Length == 0 ? null : At(wrapper), env, TimeSpan.FromSeconds(timeout),
            At(expected.GetProperty("stdout").GetString()!), expected.TryGetProperty("exit_code", out var x) ? x.GetInt32() : 0)
        {
            ProgramName = Path.GetFileName(link.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.String ? output.GetString()! : name),
            BaselineCpuSeconds = root.TryGetProperty("baseline", out var b) && b.ValueKind == JsonValueKind.Object
                && b.TryGetProperty("cpu_seconds", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : double.PositiveInfinity,
            Training = TrainingInput.Read(dir),
        };
    }

    /// <summary>
    /// The input the profile is trained on (<c>training.json</c>, scripts/devsuite/training-inputs.sh); null when the
    /// suite has none for the program, and then the profile trains on the timed input.
    /// </summary>
    public TrainingInput? Training { get; init; }

    /// <summary>True when the profile's training input differs from the timed one.</summary>
    public bool TrainsOnDistinctInput => Training is { Distinct: true };

    /// <summary>
    /// This program with its workload run on the training input: the same command in the training folder, standard
    /// input taken from that folder's copy when it came from the workload folder.
    /// </summary>
    public SuiteProgram ForTraining()
    {
        if (Training is not { Distinct: true } t) return this;
        string? stdin = StandardInput;
        string prefix = WorkloadDirectory.TrimEnd('/') + "/";
        if (stdin is not null && stdin.StartsWith(prefix, StringComparison.Ordinal))
            stdin = Path.Combine(t.Directory, stdin[prefix.Length..]);
        return this with { WorkloadDirectory = t.Directory, StandardInput = stdin };
    }

    /// <summary>The program's file name as the build made it (the link's output): some programs act on their name.</summary>
    public string ProgramName { get; init; } = "program";

    /// <summary>Bytes of the units' sources (a measure of compile time; headers not counted).</summary>
    public long SourceBytes() => Units.Sum(u => new FileInfo(Path.Combine(u.Directory, u.Source)) is { Exists: true } f ? f.Length : 0);

    /// <summary>The indexes in <see cref="LinkArguments"/> of the units' objects, in unit order.</summary>
    public IReadOnlyList<int> ObjectPositions()
    {
        var positions = new List<int>();
        var objects = Units.Select(u => u.ObjectArgument).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < LinkArguments.Count; i++) if (objects.Contains(LinkArguments[i])) positions.Add(i);
        return positions;
    }
}

/// <summary>
/// A program's training input (<c>SUITE/NAME/training.json</c>): the folder its workload runs in for the profile, whether
/// that input differs from the timed one, and the command that generated it (part of the profile's identity).
/// </summary>
public sealed record TrainingInput(string Directory, bool Distinct, string Workload)
{
    public const string FileName = "training.json";

    /// <summary>training-inputs.sh's stamp of the input (its command, generators, training scripts): empty when absent.</summary>
    public string Stamp { get; init; } = "";

    /// <summary>The program folder's training input, or null when it has none (or the file is unreadable).</summary>
    public static TrainingInput? Read(string programDirectory)
    {
        string path = Path.Combine(programDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            string dir = Path.GetFullPath(Path.Combine(programDirectory, root.GetProperty("directory").GetString()!));
            bool distinct = root.GetProperty("distinct").GetBoolean() && System.IO.Directory.Exists(dir);
            string stampFile = Path.Combine(programDirectory, ".training-hash");
            return new TrainingInput(dir, distinct, root.TryGetProperty("workload", out var w) ? w.GetString() ?? "" : "")
            {
                Stamp = File.Exists(stampFile) ? File.ReadAllText(stampFile).Trim() : "",
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// What the profile was trained on, as a stamp's text: a profile made from another input is made again. The command
    /// alone does not say it (an interpreter's training script can change under the same <c>cp</c>): the stamp does.
    /// </summary>
    public static string Identity(TrainingInput? training) =>
        training is { Distinct: true } t ? $"training input: {t.Workload}" + (t.Stamp.Length > 0 ? $" ({t.Stamp})" : "") : "the timed input";
}
