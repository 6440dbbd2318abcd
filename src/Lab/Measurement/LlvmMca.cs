using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Lab.Measurement;

/// <summary>Raised when <c>llvm-mca</c> is missing or fails in a way that leaves no usable result.</summary>
public sealed class LlvmMcaException(string message) : Exception(message);

/// <summary>One named straight-line region for <see cref="LlvmMca.Run"/>: instruction lines in AT&amp;T syntax.</summary>
public sealed record McaRegion(string Name, IReadOnlyList<string> Instructions);

/// <summary>What llvm-mca said about one region; <see cref="TotalCycles"/> is for all iterations.</summary>
public sealed record McaRegionResult(string Name, long TotalCycles, int Iterations)
{
    public double CyclesPerIteration => (double)TotalCycles / Iterations;
}

/// <summary>
/// Runs <c>llvm-mca-14</c> once over many regions (<c># LLVM-MCA-BEGIN name</c> … <c># LLVM-MCA-END name</c>),
/// with only the summary view, and reads each region's <c>Total Cycles</c>. Lines llvm-mca cannot
/// parse are dropped by llvm-mca itself (it reports them and goes on); they are returned so callers
/// can say so. A region left with no instruction is absent from llvm-mca's output and from the result.
/// </summary>
public static partial class LlvmMca
{
    /// <summary>The tool name looked up on PATH (Debian's llvm-14 package installs it with this suffix).</summary>
    public const string Tool = "llvm-mca-14";

    public static McaRunResult Run(IReadOnlyList<McaRegion> regions, string mcpu, int iterations)
    {
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), "at least one iteration");
        if (regions.Count == 0) return new McaRunResult([], []);
        var input = new StringBuilder();
        var regionOfInputLine = new List<int>(); // 0-based input line → region index (-1 for markers)
        for (int r = 0; r < regions.Count; r++)
        {
            input.Append("# LLVM-MCA-BEGIN ").Append(regions[r].Name).Append('\n');
            regionOfInputLine.Add(-1);
            foreach (var line in regions[r].Instructions)
            {
                input.Append(line).Append('\n');
                regionOfInputLine.Add(r);
            }
            input.Append("# LLVM-MCA-END ").Append(regions[r].Name).Append('\n');
            regionOfInputLine.Add(-1);
        }
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(new ProcessSpec(Tool,
                ["-mcpu=" + mcpu, "-iterations=" + iterations.ToString(CultureInfo.InvariantCulture),
                 "-instruction-info=false", "-resource-pressure=false", "-"])
            { StandardInput = input.ToString(), Timeout = TimeSpan.FromMinutes(5) });
        }
        catch (ToolNotFoundException)
        {
            throw new LlvmMcaException($"'{Tool}' was not found on PATH (install llvm-14; scripts/setup.sh does)");
        }
        var rejected = new List<string>();
        foreach (Match m in ErrorLine().Matches(result.StandardError))
        {
            int line = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - 1;
            if (line >= 0 && line < regionOfInputLine.Count && regionOfInputLine[line] >= 0)
                rejected.Add($"{regions[regionOfInputLine[line]].Name}: {m.Groups[2].Value.Trim()}");
        }
        if (!result.Succeeded)
        {
            string why = result.TimedOut ? "timed out" : $"exit code {result.ExitCode}";
            throw new LlvmMcaException($"{Tool} -mcpu={mcpu} failed ({why}): {FirstLines(result.StandardError)}");
        }
        return new McaRunResult(Parse(result.StandardOutput, regions, iterations), rejected);
    }

    /// <summary>Reads <c>[k] Code Region - NAME</c> headers and the <c>Total Cycles</c> that follows each.</summary>
    internal static IReadOnlyList<McaRegionResult> Parse(string output, IReadOnlyList<McaRegion> regions, int iterations)
    {
        var results = new List<McaRegionResult>();
        string? current = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            var header = RegionHeader().Match(line);
            if (header.Success)
            {
                current = header.Groups[1].Value.Trim();
                continue;
            }
            if (!line.StartsWith("Total Cycles:", StringComparison.Ordinal)) continue;
            long cycles = long.Parse(line["Total Cycles:".Length..].Trim(), CultureInfo.InvariantCulture);
            // Without region markers in its output (a single region), llvm-mca prints no header.
            string? name = current ?? (regions.Count == 1 ? regions[0].Name : null);
            if (name is null) throw new LlvmMcaException("llvm-mca printed a result without a region header");
            results.Add(new McaRegionResult(name, cycles, iterations));
            current = null;
        }
        return results;
    }

    /// <summary>
    /// The CPU llvm-mca should model for <paramref name="mcpu"/>: a name passes through; <c>native</c>
    /// becomes LLVM's host CPU, or, where LLVM 14 does not know the host (newer cores), GCC's
    /// <c>-march=native</c> choice if LLVM knows that name, else <c>generic</c>. Resolving it once makes
    /// reports say which model was used and keeps cache keys stable.
    /// </summary>
    public static string ResolveCpu(string mcpu)
    {
        if (mcpu != "native") return mcpu;
        lock (NativeLock)
        {
            return _native ??= DetectNative();
        }
    }

    private static readonly Lock NativeLock = new();
    private static string? _native;

    private static string DetectNative()
    {
        var version = SafeRun(Tool, ["--version"]);
        var host = version is null ? null : HostCpu().Match(version.StandardOutput);
        if (host is { Success: true } && host.Groups[1].Value is var name && name != "(unknown)" && IsKnownCpu(name)) return name;
        var gcc = SafeRun("gcc", ["-march=native", "-Q", "--help=target"]);
        var march = gcc is null ? null : GccMarch().Match(gcc.StandardOutput);
        if (march is { Success: true } && IsKnownCpu(march.Groups[1].Value)) return march.Groups[1].Value;
        return "generic";
    }

    /// <summary>Whether llvm-mca accepts <paramref name="cpu"/> without "not a recognized processor".</summary>
    public static bool IsKnownCpu(string cpu)
    {
        var r = SafeRun(Tool, ["-mcpu=" + cpu, "-"], "nop\n");
        return r is { Succeeded: true } && !r.StandardError.Contains("not a recognized processor", StringComparison.Ordinal);
    }

    /// <summary>llvm-mca's version line, for cache keys (a new LLVM means new scheduling models).</summary>
    public static string Version()
    {
        var r = SafeRun(Tool, ["--version"]) ?? throw new LlvmMcaException($"'{Tool}' was not found on PATH (install llvm-14; scripts/setup.sh does)");
        var m = VersionLine().Match(r.StandardOutput);
        return m.Success ? m.Value.Trim() : r.StandardOutput.Trim();
    }

    private static ProcessResult? SafeRun(string tool, IReadOnlyList<string> args, string? stdin = null)
    {
        try
        {
            return ProcessRunner.Run(new ProcessSpec(tool, args) { StandardInput = stdin, Timeout = TimeSpan.FromMinutes(1) });
        }
        catch (ToolNotFoundException)
        {
            return null;
        }
    }

    private static string FirstLines(string text) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3));

    [GeneratedRegex(@"^\[\d+\] Code Region - (.*)$")]
    private static partial Regex RegionHeader();

    [GeneratedRegex(@"^[^\n:]*:(\d+):\d+: error: (.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"Host CPU: (\S+)")]
    private static partial Regex HostCpu();

    [GeneratedRegex(@"^\s+-march=\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex GccMarch();

    [GeneratedRegex(@"LLVM version \S+")]
    private static partial Regex VersionLine();
}

/// <summary>The regions llvm-mca simulated, and the input lines it rejected (as "region: message").</summary>
public sealed record McaRunResult(IReadOnlyList<McaRegionResult> Regions, IReadOnlyList<string> RejectedLines);
