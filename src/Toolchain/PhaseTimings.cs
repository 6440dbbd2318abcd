using System.Diagnostics;

namespace CompilerLLM.Toolchain;

/// <summary>
/// One phase's accumulated time: how often it ran, how long it took in all, and the CPU the process and the tools it
/// waited for used meanwhile (with threads, a phase's CPU includes whatever else ran at the same time).
/// </summary>
public sealed record PhaseTime(string Name, int Count, TimeSpan Total, TimeSpan Cpu);

/// <summary>
/// Opt-in timings of the engine's phases (reading, analysis, re-check, assembling …), to see where a unit's time goes.
/// Off unless <c>COMPILERLLM_TIMINGS=1</c> is set (then the totals per phase are printed to standard error when the
/// process exits: a long-lived MSBuild node prints when it ends) or a benchmark turns <see cref="Collecting"/> on. When off, <see cref="Start"/> returns an empty value and costs one field
/// read: the engine's hot paths time their phases unconditionally. Thread-safe: phases of parallel work add up.
/// </summary>
public static class PhaseTimings
{
    private static readonly bool Print = Environment.GetEnvironmentVariable("COMPILERLLM_TIMINGS") == "1";
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, (int Count, long Ticks, long CpuMicroseconds)> Totals = new(StringComparer.Ordinal);
    private static bool _on = Print;

    static PhaseTimings()
    {
        if (Print) AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.Error.Write(Format(Snapshot()));
    }

    /// <summary>Whether phases are being recorded (set by the environment variable, or by a benchmark).</summary>
    public static bool Collecting
    {
        get => _on;
        set => _on = value || Print;
    }

    /// <summary>Starts timing a phase; dispose the result when it ends. Names are stable, dotted (<c>read.assemble</c>).</summary>
    public static Phase Start(string name) => _on ? new Phase(name, Stopwatch.GetTimestamp(), CpuMicroseconds()) : default;

    /// <summary>Adds a phase's time measured elsewhere (a child process's run, for one), with the CPU used since <paramref name="cpuStart"/>.</summary>
    public static void Add(string name, TimeSpan elapsed, long cpuStart)
    {
        if (_on) Record(name, elapsed.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond, CpuMicroseconds() - cpuStart);
    }

    /// <summary>
    /// CPU used so far by this process and by the child processes it has waited for, in microseconds (0 when timings
    /// are off): the start of a phase measured with <see cref="Add"/>.
    /// </summary>
    public static long CpuMicroseconds()
    {
        if (!_on || !OperatingSystem.IsLinux()) return 0;
        return Usage(0) + Usage(-1);

        static long Usage(int who) => getrusage(who, out var u) == 0
            ? u.UserSeconds * 1_000_000 + u.UserMicroseconds + u.SystemSeconds * 1_000_000 + u.SystemMicroseconds
            : 0;
    }

    // struct rusage on Linux x86-64: two struct timevals (user, system), then 14 longs.
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, Ixrss, Idrss, Isrss, Minflt, Majflt, Nswap, Inblock, Oublock, Msgsnd, Msgrcv, Nsignals, Nvcsw, Nivcsw;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int getrusage(int who, out Rusage usage);

    /// <summary>Every phase recorded since the last <see cref="Reset"/>, in the order each first ended.</summary>
    public static IReadOnlyList<PhaseTime> Snapshot()
    {
        lock (Gate)
        {
            return [.. Totals.Select(kv => new PhaseTime(kv.Key, kv.Value.Count, TimeSpan.FromSeconds(kv.Value.Ticks / (double)Stopwatch.Frequency),
                TimeSpan.FromMicroseconds(kv.Value.CpuMicroseconds)))];
        }
    }

    /// <summary>Forgets every phase recorded so far.</summary>
    public static void Reset()
    {
        lock (Gate) Totals.Clear();
    }

    internal static void Record(string name, long ticks, long cpuMicroseconds)
    {
        lock (Gate)
        {
            Totals[name] = Totals.TryGetValue(name, out var t) ? (t.Count + 1, t.Ticks + ticks, t.CpuMicroseconds + cpuMicroseconds) : (1, ticks, cpuMicroseconds);
        }
    }

    /// <summary>One line per phase: name, wall and CPU milliseconds, how many times it ran.</summary>
    public static string Format(IReadOnlyList<PhaseTime> phases)
    {
        var text = new System.Text.StringBuilder();
        foreach (var p in phases)
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"compilerllm: timing {p.Name,-32} {p.Total.TotalMilliseconds,10:F1} ms wall {p.Cpu.TotalMilliseconds,10:F1} ms CPU  x{p.Count}\n");
        return text.ToString();
    }

    /// <summary>A phase being timed; the empty value (timings off) does nothing.</summary>
    public readonly struct Phase(string? name, long start, long cpuStart) : IDisposable
    {
        /// <summary>Records the phase's time since it started.</summary>
        public void Dispose()
        {
            if (name is not null) Record(name, Stopwatch.GetTimestamp() - start, CpuMicroseconds() - cpuStart);
        }
    }
}
