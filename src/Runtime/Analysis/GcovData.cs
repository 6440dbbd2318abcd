using System.Buffers.Binary;

namespace CompilerLLM.Analysis;

/// <summary>One function's record in a <c>.gcda</c> file: its identity and its arc counters.</summary>
public sealed record GcovFunction(uint Ident, uint LinenoChecksum, uint CfgChecksum, IReadOnlyList<long> Arcs)
{
    /// <summary>How much the function ran: the largest arc count (an entry or loop arc), 0 when it never ran.</summary>
    public long Weight => Arcs.Count == 0 ? 0 : Arcs.Max();
}

/// <summary>A <c>.gcda</c> profile that cannot be read (truncated, another format); the unit builds without it.</summary>
public sealed class GcovDataException(string path, string message) : Exception($"{path}: {message}");

/// <summary>
/// GCC's profile data for one translation unit (a <c>.gcda</c> file, GCC 12's format): the number of training runs and,
/// per function, the arc counters of <c>-fprofile-generate</c>. Read directly (tag, length in bytes, 32-bit words,
/// 64-bit counters as low then high word, all-zero counters as a negative length), so the build needs no gcov tool.
/// </summary>
public sealed class GcovData
{
    private const uint Magic = 0x67636461; // "gcda"
    private const uint TagFunction = 0x01000000, TagArcCounters = 0x01a10000, TagObjectSummary = 0xa1000000;

    private GcovData(uint version, uint runs, IReadOnlyList<GcovFunction> functions)
    {
        Version = version;
        Runs = runs;
        Functions = functions;
    }

    /// <summary>GCC's format version word (e.g. "B22*" for GCC 12).</summary>
    public uint Version { get; }

    /// <summary>How many training runs were merged into the counters.</summary>
    public uint Runs { get; }

    public IReadOnlyList<GcovFunction> Functions { get; }

    /// <summary>
    /// Where GCC (12) writes and looks for the profile of an output given <c>-fprofile-generate=DIR</c> or
    /// <c>-fprofile-use=DIR</c>: the output path as written on its command line, without its extension, plus
    /// ".gcda", under DIR; an absolute path is kept as folders below DIR, a relative one is made absolute (against the
    /// compiler's working directory) with every '/' turned into '#'.
    /// </summary>
    public static string FileFor(string profileDirectory, string outputPath, string? workingDirectory = null)
    {
        string stem = Path.Combine(Path.GetDirectoryName(outputPath) ?? "", Path.GetFileNameWithoutExtension(outputPath));
        if (Path.IsPathRooted(outputPath)) return Path.Combine(profileDirectory, stem.TrimStart('/') + ".gcda");
        string absolute = Path.GetFullPath(Path.Combine(workingDirectory ?? Environment.CurrentDirectory, stem));
        return Path.Combine(profileDirectory, absolute.Replace('/', '#') + ".gcda");
    }

    public static GcovData Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GcovDataException(path, e.Message);
        }
        return Parse(path, bytes);
    }

    public static GcovData Parse(string path, ReadOnlySpan<byte> data)
    {
        if (data.Length < 16 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
            throw new GcovDataException(path, "not a .gcda file (bad magic)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        int at = 16; // magic, version, stamp, checksum
        uint runs = 0;
        var functions = new List<GcovFunction>();
        (uint Ident, uint Lineno, uint Cfg)? current = null;
        while (at + 8 <= data.Length)
        {
            uint tag = BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]);
            at += 8;
            if (length < 0)
            {
                // GCC 12 writes counters that are all zero as a negative length and no payload.
                if (tag == TagArcCounters && current is { } zero) functions.Add(new GcovFunction(zero.Ident, zero.Lineno, zero.Cfg, new long[-length / 8]));
                continue;
            }
            if (at + length > data.Length) throw new GcovDataException(path, $"record 0x{tag:x8} runs past the end of the file");
            var payload = data.Slice(at, length);
            switch (tag)
            {
                case TagObjectSummary when length >= 4:
                    runs = BinaryPrimitives.ReadUInt32LittleEndian(payload);
                    break;
                case TagFunction when length >= 12:
                    current = (BinaryPrimitives.ReadUInt32LittleEndian(payload), BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]),
                        BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]));
                    break;
                case TagFunction:
                    current = null; // a function without data (it was never instrumented)
                    break;
                case TagArcCounters when current is { } f:
                    var arcs = new long[length / 8];
                    for (int i = 0; i < arcs.Length; i++)
                    {
                        ulong low = BinaryPrimitives.ReadUInt32LittleEndian(payload[(8 * i)..]);
                        ulong high = BinaryPrimitives.ReadUInt32LittleEndian(payload[(8 * i + 4)..]);
                        arcs[i] = (long)(low | (high << 32));
                    }
                    functions.Add(new GcovFunction(f.Ident, f.Lineno, f.Cfg, arcs));
                    break;
            }
            at += length;
        }
        return new GcovData(version, runs, functions);
    }

    /// <summary>The unit's profile in a few numbers: how much of it ran and how hot it is.</summary>
    public UnitProfile Summarize() => new(
        Runs,
        Functions.Count,
        Functions.Count(f => f.Weight > 0),
        Functions.Sum(f => f.Arcs.Sum()),
        Functions.Count == 0 ? 0 : Functions.Max(f => f.Weight));
}

/// <summary>A unit's profile in a few numbers, for the variant policy's features and the report.</summary>
/// <param name="Runs">Training runs merged.</param>
/// <param name="Functions">Functions with counters.</param>
/// <param name="ExecutedFunctions">Functions the workload entered.</param>
/// <param name="TotalCount">The sum of all arc counters (the unit's share of the work is this over the program's).</param>
/// <param name="MaxCount">The largest counter: the hottest arc.</param>
public sealed record UnitProfile(uint Runs, int Functions, int ExecutedFunctions, long TotalCount, long MaxCount)
{
    /// <summary>The fraction of the unit's functions the workload entered.</summary>
    public double Coverage => Functions == 0 ? 0 : (double)ExecutedFunctions / Functions;
}
