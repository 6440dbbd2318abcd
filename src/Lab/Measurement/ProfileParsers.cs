using System.Globalization;
using System.Text.RegularExpressions;

namespace CompilerLLM.Lab.Measurement;

/// <summary>Where the linker put each input section: (object file, section name) → address, from <c>ld -Map</c>.</summary>
internal static partial class LinkerMap
{
    public static Dictionary<(string Object, string Section), ulong> InputSections(string mapText)
    {
        var result = new Dictionary<(string, string), ulong>();
        bool inMemoryMap = false;
        string? pendingName = null;
        foreach (var line in mapText.Split('\n'))
        {
            if (!inMemoryMap)
            {
                inMemoryMap = line.StartsWith("Linker script and memory map", StringComparison.Ordinal);
                continue;
            }
            var full = OneLine().Match(line);
            if (full.Success)
            {
                Add(full.Groups[1].Value, full.Groups[2].Value, full.Groups[3].Value.TrimEnd());
                pendingName = null;
                continue;
            }
            var name = NameOnly().Match(line);
            if (name.Success)
            {
                pendingName = name.Groups[1].Value;
                continue;
            }
            var rest = AddressOnly().Match(line);
            if (rest.Success && pendingName is not null) Add(pendingName, rest.Groups[1].Value, rest.Groups[2].Value.TrimEnd());
            pendingName = null;
        }
        return result;

        void Add(string section, string address, string obj) =>
            result.TryAdd((obj, section), ulong.Parse(address, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    // " .text.startup  0x0000000000001050       0x3d /tmp/x/f0.o" (a name too long for its column wraps).
    [GeneratedRegex(@"^ (\.\S+)\s+0x([0-9a-fA-F]+)\s+0x[0-9a-fA-F]+\s+(\S.*)$")]
    private static partial Regex OneLine();

    [GeneratedRegex(@"^ (\.\S+)\s*$")]
    private static partial Regex NameOnly();

    [GeneratedRegex(@"^\s+0x([0-9a-fA-F]+)\s+0x[0-9a-fA-F]+\s+(\S.*)$")]
    private static partial Regex AddressOnly();
}

/// <summary>
/// Reads callgrind's output written with <c>--dump-instr=yes --dump-line=no --compress-strings=no
/// --compress-pos=no</c>: self cost lines <c>0xADDR COUNT</c> under <c>ob=</c>/<c>fn=</c>. The cost line
/// after a <c>calls=</c> line is the call's inclusive cost and is skipped.
/// </summary>
internal static class CallgrindOutput
{
    /// <summary>
    /// Instruction executions (event Ir) per address, for cost lines of the object whose file name is
    /// <paramref name="objectFileName"/> (matched by name: valgrind may print the path with symlinks resolved).
    /// </summary>
    public static Dictionary<ulong, long> InstructionCounts(string text, string objectFileName, out long totalInstructions)
    {
        var counts = new Dictionary<ulong, long>();
        totalInstructions = 0;
        bool inObject = false, skipNext = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("ob=", StringComparison.Ordinal))
            {
                var ob = line[3..].Trim();
                inObject = ob == objectFileName || ob.EndsWith("/" + objectFileName, StringComparison.Ordinal);
                continue;
            }
            if (line.StartsWith("calls=", StringComparison.Ordinal))
            {
                skipNext = true;
                continue;
            }
            if (!line.StartsWith("0x", StringComparison.Ordinal)) continue;
            if (skipNext)
            {
                skipNext = false;
                continue;
            }
            int space = line.IndexOf(' ');
            if (space < 0) continue;
            if (!ulong.TryParse(line.AsSpan(2, space - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong address)) continue;
            var rest = line.AsSpan(space + 1).Trim();
            int end = rest.IndexOf(' ');
            if (!long.TryParse(end < 0 ? rest : rest[..end], NumberStyles.Integer, CultureInfo.InvariantCulture, out long count)) continue;
            totalInstructions += count;
            if (!inObject) continue;
            counts[address] = counts.GetValueOrDefault(address) + count;
        }
        return counts;
    }
}
