using System.Runtime.InteropServices;

namespace CompilerLLM.Lab.Measurement;

/// <summary>
/// CPU time and peak memory as the kernel counts them (<c>getrusage</c>): of this process, or of all the child
/// processes it has waited for (the assemblers and compilers the engine runs). Linux x86-64 only.
/// </summary>
public readonly record struct ResourceUsage(TimeSpan User, TimeSpan System, long MaxRssKilobytes)
{
    /// <summary>User plus system time.</summary>
    public TimeSpan Cpu => User + System;

    /// <summary>This process so far (peak RSS: the process's high-water mark).</summary>
    public static ResourceUsage Self() => Get(RusageSelf);

    /// <summary>Every child process waited for so far (peak RSS: the largest of them).</summary>
    public static ResourceUsage Children() => Get(RusageChildren);

    /// <summary>CPU time spent between two readings; the peak is the later reading's.</summary>
    public static ResourceUsage operator -(ResourceUsage later, ResourceUsage earlier) =>
        new(later.User - earlier.User, later.System - earlier.System, later.MaxRssKilobytes);

    /// <summary>This process's peak resident set (<c>VmHWM</c> of <c>/proc/self/status</c>), in KiB.</summary>
    public static long PeakRssKilobytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            return long.Parse(line[6..].Trim().Split(' ')[0], global::System.Globalization.CultureInfo.InvariantCulture);
        }
        return Self().MaxRssKilobytes;
    }

    private const int RusageSelf = 0, RusageChildren = -1;

    // struct rusage on Linux x86-64: two struct timevals (seconds, microseconds), then 14 longs, ru_maxrss first.
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss;
        public long Ixrss, Idrss, Isrss, Minflt, Majflt, Nswap, Inblock, Oublock, Msgsnd, Msgrcv, Nsignals, Nvcsw, Nivcsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);

    private static ResourceUsage Get(int who)
    {
        if (getrusage(who, out var u) != 0) throw new InvalidOperationException($"getrusage failed (errno {Marshal.GetLastWin32Error()})");
        return new ResourceUsage(
            TimeSpan.FromTicks(u.UserSeconds * TimeSpan.TicksPerSecond + u.UserMicroseconds * 10),
            TimeSpan.FromTicks(u.SystemSeconds * TimeSpan.TicksPerSecond + u.SystemMicroseconds * 10),
            u.MaxRss);
    }
}
