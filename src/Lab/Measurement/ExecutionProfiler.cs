using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CompilerLLM.Assembly;
using CompilerLLM.Toolchain;

using CompilerLLM.Analysis;

namespace CompilerLLM.Lab.Measurement;

/// <summary>Raised when a program cannot be built or profiled (the message says which step and why).</summary>
public sealed class ProfilerException(string message) : Exception(message);

/// <summary>A program to profile: its translation units as GCC assembly, how to link it and how to run it.</summary>
public sealed record ProfileRequest(IReadOnlyList<string> AssemblyFiles)
{
    /// <summary>Extra gcc arguments at the end of the link line (e.g. <c>-lm</c>).</summary>
    public IReadOnlyList<string> LinkFlags { get; init; } = [];
    public IReadOnlyList<string> Arguments { get; init; } = [];
    /// <summary>Text written to the program's standard input, or null.</summary>
    public string? StandardInput { get; init; }
    public string? WorkingDirectory { get; init; }
    /// <summary>Bounds the run under valgrind (about 15–50× slower than native).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Exact instruction execution counts of one run of a program, per line of each of its <c>.s</c> files.
/// </summary>
/// <param name="LineCounts">Per input file (same order as the request): 0-based line → executions of the instruction on it; lines that never ran are absent.</param>
/// <param name="TotalInstructions">Every instruction the process executed, libraries included.</param>
/// <param name="ProgramInstructions">Instructions executed in the program's own <c>.s</c> code.</param>
/// <param name="UnmappedInstructions">Executions at addresses of our sections that are not the start of a modelled line (verbatim lines); normally 0.</param>
/// <param name="SourceHashes">SHA-256 of each profiled file's text: line counts only mean something for exactly that text.</param>
public sealed record ProgramProfile(
    IReadOnlyList<string> AssemblyFiles,
    IReadOnlyList<string> SourceHashes,
    IReadOnlyList<IReadOnlyDictionary<int, long>> LineCounts,
    long TotalInstructions,
    long ProgramInstructions,
    long UnmappedInstructions,
    int ExitCode,
    string Key)
{
    /// <summary>True when this profile was read from the cache rather than measured now.</summary>
    public bool FromCache { get; init; }

    /// <summary>
    /// Block counts of the <paramref name="fileIndex"/>-th file, given the model of exactly the text that
    /// was profiled. The result also applies to rewritten versions of that file (see <see cref="BlockCounts"/>):
    /// pass it with them to <see cref="StaticEstimator.Estimate(AsmFile, BlockCounts?)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The model is not of the profiled text (line numbers would not match).</exception>
    public BlockCounts BlockCountsFor(int fileIndex, AsmFile profiledFile)
    {
        if (ExecutionProfiler.HashText(profiledFile.Source) != SourceHashes[fileIndex])
            throw new ArgumentException($"{profiledFile.Path} is not the text that was profiled as file {fileIndex}; compute the counts on the original and use them for rewritten versions", nameof(profiledFile));
        return BlockCounts.FromLineCounts(profiledFile, line => LineCounts[fileIndex].GetValueOrDefault(line));
    }

    /// <summary>Executions of the instruction on a 0-based line of the <paramref name="fileIndex"/>-th file.</summary>
    public long CountOfLine(int fileIndex, int line) => LineCounts[fileIndex].GetValueOrDefault(line);
}

/// <summary>
/// Execution counts from one profiling run of the unmodified program, mapped back to lines of its
/// <c>.s</c> files. Each file is assembled as is and linked with <c>-Wl,-Map</c>; the program runs
/// under <c>valgrind --tool=callgrind --dump-instr=yes</c>, which counts every executed instruction by
/// address (exact and repeatable: the same input gives the same counts). An instruction's address is
/// where the linker put its input section (the map: object file, section name) plus its offset in
/// that section (the model's <c>Instruction.IP</c>, taken from GAS's listing).
/// </summary>
/// <remarks>
/// Why callgrind rather than gcov or lackey: gcov needs an instrumented rebuild whose blocks are
/// GCC's, not those of our <c>.s</c>, and changes the code being measured; lackey counts the same
/// thing several times slower. Results are cached per program under
/// <see cref="CacheDirectory"/> with a key hashing the assembly text, link flags, arguments, input and
/// the valgrind version.
/// </remarks>
public sealed class ExecutionProfiler
{
    private const string ExecutableName = "profiled-program";

    /// <param name="cacheDirectory">Where profiles are kept (one JSON file per key); null: no cache.</param>
    public ExecutionProfiler(string? cacheDirectory = null) => CacheDirectory = cacheDirectory;

    public string? CacheDirectory { get; }

    public ProgramProfile Profile(ProfileRequest request)
    {
        if (request.AssemblyFiles.Count == 0) throw new ArgumentException("at least one assembly file", nameof(request));
        var sources = request.AssemblyFiles.Select(ReadSource).ToList();
        string key = Key(request, sources);
        string? cacheFile = CacheDirectory is null ? null : Path.Combine(CacheDirectory, key + ".json");
        if (cacheFile is not null && TryLoad(cacheFile, request, key) is { } cached) return cached;

        using var temp = new TempDirectory("compilerllm-profile-");
        var models = new List<AsmFile>(sources.Count);
        var objects = new List<string>(sources.Count);
        var gcc = new Gcc(ToolchainOptions.Default);
        for (int i = 0; i < sources.Count; i++)
        {
            models.Add(AsmReader.Read(request.AssemblyFiles[i], sources[i]));
            string s = temp.File($"tu{i}.s"), o = temp.File($"tu{i}.o");
            File.WriteAllText(s, sources[i]);
            var assembled = gcc.Assemble(s, [], o);
            if (!assembled.Succeeded) throw new ProfilerException($"{request.AssemblyFiles[i]}: {assembled.StandardError.Trim()}");
            objects.Add(o);
        }
        string exe = temp.File(ExecutableName), map = temp.File("program.map");
        var linked = gcc.Link(NativeOutputKind.Application, objects, exe, [.. request.LinkFlags, "-Wl,-Map," + map]);
        if (!linked.Succeeded) throw new ProfilerException($"linking for the profile failed: {linked.StandardError.Trim()}");

        string outFile = temp.File("callgrind.out");
        ProcessResult run;
        try
        {
            run = ProcessRunner.Run(new ProcessSpec("valgrind",
                ["--tool=callgrind", "--dump-instr=yes", "--dump-line=no", "--compress-strings=no", "--compress-pos=no",
                 "--trace-children=no", "--callgrind-out-file=" + outFile, exe, .. request.Arguments])
            {
                StandardInput = request.StandardInput,
                WorkingDirectory = request.WorkingDirectory,
                Timeout = request.Timeout,
            });
        }
        catch (ToolNotFoundException)
        {
            throw new ProfilerException("'valgrind' was not found on PATH (install valgrind; scripts/setup.sh does)");
        }
        if (run.TimedOut) throw new ProfilerException($"the program did not finish under valgrind within {request.Timeout.TotalSeconds:0} s");
        if (!File.Exists(outFile)) throw new ProfilerException($"callgrind wrote no profile: {run.StandardError.Trim()}");

        var addressCounts = CallgrindOutput.InstructionCounts(File.ReadAllText(outFile), ExecutableName, out long total);
        var sections = LinkerMap.InputSections(File.ReadAllText(map));
        var profile = MapToLines(request, models, objects, sections, addressCounts, total, run.ExitCode, key);
        if (cacheFile is not null) Save(cacheFile, profile);
        return profile;
    }

    private static ProgramProfile MapToLines(ProfileRequest request, List<AsmFile> models, List<string> objects,
        Dictionary<(string Object, string Section), ulong> sections, Dictionary<ulong, long> addressCounts, long total, int exitCode, string key)
    {
        var lineCounts = new List<IReadOnlyDictionary<int, long>>(models.Count);
        var claimed = new HashSet<ulong>();
        // Address ranges of our executable sections, to find executed addresses that no line explains.
        var ranges = new List<(ulong Start, ulong End)>();
        for (int f = 0; f < models.Count; f++)
        {
            var model = models[f];
            var counts = new Dictionary<int, long>();
            var sectionEnds = new Dictionary<int, ulong>();
            foreach (var asm in model.Instructions)
            {
                var line = model.Lines[asm.Line];
                if (line.Section < 0) continue;
                var section = model.Sections[line.Section];
                if (!sections.TryGetValue((objects[f], section.Name), out ulong start)) continue;
                ulong address = start + asm.Instruction.IP;
                sectionEnds[line.Section] = Math.Max(sectionEnds.GetValueOrDefault(line.Section), address + (ulong)asm.Instruction.Length);
                if (addressCounts.TryGetValue(address, out long n))
                {
                    counts[asm.Line] = n;
                    claimed.Add(address);
                }
            }
            foreach (var (s, end) in sectionEnds)
                if (sections.TryGetValue((objects[f], model.Sections[s].Name), out ulong start)) ranges.Add((start, end));
            lineCounts.Add(counts);
        }
        long mapped = 0, unmapped = 0;
        foreach (var (address, n) in addressCounts)
        {
            if (claimed.Contains(address)) mapped += n;
            else if (ranges.Any(r => address >= r.Start && address < r.End)) unmapped += n;
        }
        // A wrong section address would leave most executions unexplained: refuse rather than mislead.
        if (unmapped > 0 && unmapped * 10 > mapped + unmapped)
            throw new ProfilerException($"profile addresses do not match the assembly ({unmapped} of {mapped + unmapped} executions fall between modelled lines)");
        return new ProgramProfile(request.AssemblyFiles, models.Select(m => HashText(m.Source)).ToList(), lineCounts, total, mapped, unmapped, exitCode, key);
    }

    private static string ReadSource(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProfilerException($"{path}: cannot read: {e.Message}");
        }
    }

    private static string Key(ProfileRequest request, List<string> sources)
    {
        var text = new StringBuilder("profile-v2\n");
        text.Append(ValgrindVersion()).Append('\n');
        foreach (var s in sources) text.Append(HashText(s)).Append('\n');
        text.Append("link\0").AppendJoin('\0', request.LinkFlags).Append('\n');
        text.Append("args\0").AppendJoin('\0', request.Arguments).Append('\n');
        text.Append("stdin\0").Append(request.StandardInput is null ? "<none>" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.StandardInput))));
        text.Append("\ncwd\0").Append(request.WorkingDirectory ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    internal static string HashText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string? _valgrindVersion;

    private static string ValgrindVersion()
    {
        if (_valgrindVersion is not null) return _valgrindVersion;
        try
        {
            var r = ProcessRunner.Run(new ProcessSpec("valgrind", ["--version"]) { Timeout = TimeSpan.FromMinutes(1) });
            return _valgrindVersion = r.StandardOutput.Trim();
        }
        catch (ToolNotFoundException)
        {
            throw new ProfilerException("'valgrind' was not found on PATH (install valgrind; scripts/setup.sh does)");
        }
    }

    private sealed record CachedProfile(string Key, int ExitCode, long Total, long Program, long Unmapped, List<string> Hashes, List<Dictionary<string, long>> Lines);

    private static ProgramProfile? TryLoad(string path, ProfileRequest request, string key)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var c = JsonSerializer.Deserialize<CachedProfile>(File.ReadAllText(path));
            if (c is null || c.Key != key || c.Lines.Count != request.AssemblyFiles.Count || c.Hashes.Count != c.Lines.Count) return null;
            var lines = c.Lines.Select(d => (IReadOnlyDictionary<int, long>)d.ToDictionary(
                kv => int.Parse(kv.Key, CultureInfo.InvariantCulture), kv => kv.Value)).ToList();
            return new ProgramProfile(request.AssemblyFiles, c.Hashes, lines, c.Total, c.Program, c.Unmapped, c.ExitCode, key) { FromCache = true };
        }
        catch (Exception e) when (e is JsonException or FormatException or IOException or NullReferenceException)
        {
            return null; // a damaged cache entry is measured again
        }
    }

    private static void Save(string path, ProgramProfile p)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var c = new CachedProfile(p.Key, p.ExitCode, p.TotalInstructions, p.ProgramInstructions, p.UnmappedInstructions, [.. p.SourceHashes],
            p.LineCounts.Select(d => d.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value)).ToList());
        string temp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(c));
        File.Move(temp, path, overwrite: true);
    }
}
