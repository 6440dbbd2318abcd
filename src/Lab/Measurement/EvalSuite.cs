using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CompilerLLM.Lab.Measurement;

/// <summary>A <c>program.json</c> that cannot be used, with the place in it that says why.</summary>
public sealed class SuiteManifestException(string file, int line, int column, string message)
    : Exception(line > 0 ? $"{file}:{line}:{column}: {message}" : $"{file}: {message}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
}

/// <summary>
/// One program of an evaluation suite: <c>SUITE/NAME/program.json</c>. Paths are absolute (resolved
/// against the program's folder). See <c>docs/eval.md</c> for the format.
/// </summary>
public sealed record ProgramManifest(
    string Name,
    string Directory,
    string ManifestPath,
    IReadOnlyList<string> Sources,
    string CFlags,
    string LdFlags,
    IReadOnlyList<string> Arguments,
    string? StandardInput,
    string? ExpectedStdout,
    int ExpectedExit)
{
    /// <summary>Optional <c>profile_args</c>: arguments for the (15–50× slower) profiling run; default <see cref="Arguments"/>.</summary>
    public IReadOnlyList<string>? ProfileArguments { get; init; }

    /// <summary>Optional <c>csmith_seed</c>: a csmith program generated from this seed is added to the sources.</summary>
    public int? CsmithSeed { get; init; }

    /// <summary>Optional <c>timeout</c> in seconds for one run (default 60).</summary>
    public double TimeoutSeconds { get; init; } = 60;
}

/// <summary>A suite's program folder: its manifest, or why it could not be read.</summary>
public sealed record SuiteEntry(string Name, ProgramManifest? Manifest, string? Error);

/// <summary>Finds and reads the programs of a suite: every subfolder holding a <c>program.json</c>, in name order.</summary>
public static class EvalSuite
{
    public const string ManifestName = "program.json";

    private static readonly string[] KnownFields =
        ["sources", "cflags", "ldflags", "args", "stdin", "expected_stdout", "expected_exit", "profile_args", "csmith_seed", "timeout", "description"];

    /// <summary>The suite's programs; a folder whose manifest is bad becomes an entry with its error (file:line:column: message).</summary>
    public static IReadOnlyList<SuiteEntry> Discover(string suiteDirectory)
    {
        if (!System.IO.Directory.Exists(suiteDirectory)) throw new DirectoryNotFoundException($"{suiteDirectory}: the suite folder does not exist");
        var entries = new List<SuiteEntry>();
        foreach (var dir in System.IO.Directory.GetDirectories(suiteDirectory).Order(StringComparer.Ordinal))
        {
            string manifest = Path.Combine(dir, ManifestName);
            if (!File.Exists(manifest)) continue;
            string name = Path.GetFileName(dir);
            try
            {
                entries.Add(new SuiteEntry(name, Parse(manifest), null));
            }
            catch (SuiteManifestException e)
            {
                entries.Add(new SuiteEntry(name, null, e.Message));
            }
        }
        return entries;
    }

    /// <summary>Reads one <c>program.json</c>; every problem is a <see cref="SuiteManifestException"/> naming the line.</summary>
    public static ProgramManifest Parse(string manifestPath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(manifestPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SuiteManifestException(manifestPath, 0, 0, "cannot read: " + e.Message);
        }
        string dir = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var parser = new ManifestReader(manifestPath, bytes);
        try
        {
            return parser.Read(dir);
        }
        catch (JsonException e)
        {
            // System.Text.Json's positions are 0-based.
            throw new SuiteManifestException(manifestPath, (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1,
                "not valid JSON: " + FirstSentence(e.Message));
        }
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    /// <summary>A forward-only reader over the manifest that knows where each token is, for messages.</summary>
    private ref struct ManifestReader
    {
        private readonly string _path;
        private readonly byte[] _bytes;
        private Utf8JsonReader _reader;

        public ManifestReader(string path, byte[] bytes)
        {
            _path = path;
            _bytes = bytes;
            int start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
            _reader = new Utf8JsonReader(bytes.AsSpan(start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }

        public ProgramManifest Read(string dir)
        {
            if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject) throw Error("expected a JSON object { \"sources\": [...], ... }");
            List<string>? sources = null;
            List<string>? args = null, profileArgs = null;
            string cflags = "", ldflags = "";
            string? stdin = null, expected = null;
            int expectedExit = 0;
            int? seed = null;
            double timeout = 60;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (_reader.Read() && _reader.TokenType != JsonTokenType.EndObject)
            {
                string field = _reader.GetString()!;
                var (line, column) = Position();
                if (!seen.Add(field)) throw Error($"\"{field}\" appears twice", line, column);
                _reader.Read();
                switch (field)
                {
                    case "sources": sources = StringArray(field); break;
                    case "cflags": cflags = String(field); break;
                    case "ldflags": ldflags = String(field); break;
                    case "args": args = StringArray(field); break;
                    case "profile_args": profileArgs = StringArray(field); break;
                    case "stdin": stdin = OptionalFile(field, dir); break;
                    case "expected_stdout": expected = OptionalFile(field, dir); break;
                    case "expected_exit": expectedExit = Int(field, 0, 255); break;
                    case "csmith_seed": seed = Int(field, 0, int.MaxValue); break;
                    case "timeout": timeout = Number(field, 0.1, 3600); break;
                    case "description": String(field); break;
                    default:
                        throw Error($"unknown field \"{field}\" (known: {string.Join(", ", KnownFields)})", line, column);
                }
            }
            if (sources is null || (sources.Count == 0 && seed is null)) throw Error("\"sources\" is required: a non-empty array of C files", 1, 1);
            var resolved = new List<string>(sources.Count);
            foreach (var s in sources)
            {
                string full = Path.GetFullPath(Path.Combine(dir, s));
                if (!File.Exists(full)) throw Error($"source \"{s}\" does not exist (looked for {full})", FieldLine("sources"), 1);
                resolved.Add(full);
            }
            return new ProgramManifest(Path.GetFileName(dir), dir, _path, resolved, cflags, ldflags, args ?? [], stdin, expected, expectedExit)
            {
                ProfileArguments = profileArgs,
                CsmithSeed = seed,
                TimeoutSeconds = timeout,
            };
        }

        private string String(string field) =>
            _reader.TokenType == JsonTokenType.String ? _reader.GetString()! : throw Error($"\"{field}\" must be a string");

        private List<string> StringArray(string field)
        {
            if (_reader.TokenType != JsonTokenType.StartArray) throw Error($"\"{field}\" must be an array of strings");
            var list = new List<string>();
            while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
            {
                if (_reader.TokenType != JsonTokenType.String) throw Error($"\"{field}\" must contain only strings");
                list.Add(_reader.GetString()!);
            }
            return list;
        }

        private string? OptionalFile(string field, string dir)
        {
            if (_reader.TokenType == JsonTokenType.Null) return null;
            string name = String(field);
            string full = Path.GetFullPath(Path.Combine(dir, name));
            if (!File.Exists(full)) throw Error($"\"{field}\": file \"{name}\" does not exist (looked for {full})");
            return full;
        }

        private int Int(string field, int min, int max)
        {
            if (_reader.TokenType != JsonTokenType.Number || !_reader.TryGetInt32(out int value) || value < min || value > max)
                throw Error($"\"{field}\" must be an integer from {min} to {max}");
            return value;
        }

        private double Number(string field, double min, double max)
        {
            if (_reader.TokenType != JsonTokenType.Number || !_reader.TryGetDouble(out double value) || value < min || value > max)
                throw Error($"\"{field}\" must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return value;
        }

        private readonly (int Line, int Column) Position()
        {
            int offset = (int)_reader.TokenStartIndex + (_bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0);
            int line = 1, lineStart = 0;
            for (int i = 0; i < offset && i < _bytes.Length; i++)
            {
                if (_bytes[i] == (byte)'\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }
            return (line, Encoding.UTF8.GetCharCount(_bytes, lineStart, Math.Max(0, offset - lineStart)) + 1);
        }

        private readonly int FieldLine(string field)
        {
            // For checks made after reading: the line of the field's name.
            var text = Encoding.UTF8.GetString(_bytes);
            int at = text.IndexOf("\"" + field + "\"", StringComparison.Ordinal);
            return at < 0 ? 1 : text.AsSpan(0, at).Count('\n') + 1;
        }

        private readonly SuiteManifestException Error(string message)
        {
            var (line, column) = Position();
            return Error(message, line, column);
        }

        private readonly SuiteManifestException Error(string message, int line, int column) => new(_path, line, column, message);
    }
}
