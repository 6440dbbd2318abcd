using System.Globalization;
using System.Security.Cryptography;
using System.Text;
namespace CompilerLLM.Toolchain;

/// <summary>
/// One timed run: wall and CPU time of the measured program alone (CPU: user + system of the program and of every
/// process it waited for, as <c>wait4</c> reports it, so a wrapper script's children count), and how it ended.
/// </summary>
public readonly record struct TimedRun(double WallSeconds, double CpuSeconds, int ExitCode)
{
    /// <summary>
    /// The run waited for the core: its wall time exceeds its CPU time by more than <paramref name="slack"/> (a
    /// fraction) plus 5 ms, so another process was scheduled on the core and the wall time measures the neighbours.
    /// </summary>
    public bool WaitedForCore(double slack) => WallSeconds > CpuSeconds * (1 + slack) + 0.005;
}

/// <summary>
/// Times single runs of a program pinned to one core. A tiny C helper (compiled once with gcc, cached in
/// the temp directory by the hash of its source) forks, execs the program with the given environment
/// padding, its output to <c>/dev/null</c>, and reports <c>clock_gettime(CLOCK_MONOTONIC)</c> around
/// the child and the child's rusage. Timing inside the helper leaves out our own process start-up and
/// pipe handling (milliseconds of jitter in .NET), and it is started through <c>taskset -c CORE</c>, so
/// the program inherits the pinning.
/// </summary>
public static class PinnedRunner
{
    private const string Source = """
        #define _GNU_SOURCE
        #include <fcntl.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/resource.h>
        #include <sys/wait.h>
        #include <time.h>
        #include <unistd.h>
        extern char **environ;
        /* usage: runner PAD STDIN|- NICE EXE ARGV0 [ARG...]: COMPILERLLM_PAD=<PAD bytes> is added to the environment,
           which moves the initial stack (and so every stack address) by PAD bytes; the program runs at niceness NICE
           when that is permitted (a negative one needs root), else at ours. */
        int main(int argc, char **argv) {
            if (argc < 6) { fprintf(stderr, "usage: runner PAD STDIN NICE EXE ARGV0 [ARG...]\n"); return 120; }
            long pad = atol(argv[1]);
            int nice_value = atoi(argv[3]);
            if (pad < 0 || pad > 1 << 20) return 121;
            int n = 0; while (environ[n]) n++;
            char **env = calloc(n + 2, sizeof *env);
            char *padding = malloc(pad + 32);
            if (!env || !padding) return 122;
            strcpy(padding, "COMPILERLLM_PAD=");
            memset(padding + 16, 'x', pad); padding[16 + pad] = 0;
            int k = 0;
            for (int i = 0; i < n; i++) if (strncmp(environ[i], "COMPILERLLM_PAD=", 16) != 0) env[k++] = environ[i];
            env[k++] = padding; env[k] = 0;
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            pid_t pid = fork();
            if (pid < 0) return 123;
            if (pid == 0) {
                int in = strcmp(argv[2], "-") == 0 ? open("/dev/null", O_RDONLY) : open(argv[2], O_RDONLY);
                int out = open("/dev/null", O_WRONLY);
                if (in < 0 || out < 0) _exit(124);
                dup2(in, 0); dup2(out, 1); dup2(out, 2);
                if (nice_value != 0) {
                    /* With scheduler autogroups (the default), niceness only ranks tasks within one session; the program
                       gets a session (so an autogroup) of its own and the niceness is given to that group too. */
                    if (setsid() >= 0) {
                        FILE *group = fopen("/proc/self/autogroup", "w");
                        if (group) { fprintf(group, "%d", nice_value); fclose(group); }
                    }
                    setpriority(PRIO_PROCESS, 0, nice_value);
                }
                execve(argv[4], argv + 5, env);
                _exit(127);
            }
            int status; struct rusage ru;
            if (wait4(pid, &status, 0, &ru) < 0) return 125;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            long long wall = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
            long long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
            printf("%lld %lld %d\n", wall, cpu, code);
            return 0;
        }
        """;

    private static readonly Lock BuildLock = new();
    private static string? _runner;

    /// <summary>The helper's path, compiling it on first use.</summary>
    public static string Runner()
    {
        lock (BuildLock)
        {
            if (_runner is not null && File.Exists(_runner)) return _runner;
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Source)))[..16];
            string dir = Path.Combine(Path.GetTempPath(), $"compilerllm-runner-{Environment.UserName}-{hash}");
            string exe = Path.Combine(dir, "runner");
            if (!File.Exists(exe))
            {
                Directory.CreateDirectory(dir);
                string c = Path.Combine(dir, $"runner.{Environment.ProcessId}.c"), temp = exe + $".{Environment.ProcessId}.tmp";
                File.WriteAllText(c, Source);
                var r = new Gcc(ToolchainOptions.Default).Link(NativeOutputKind.Application, [c], temp, ["-O2", "-w"]);
                if (!r.Succeeded) throw new InvalidOperationException("cannot build the timing helper: " + r.StandardError.Trim());
                File.Move(temp, exe, overwrite: true);
            }
            return _runner = exe;
        }
    }

    /// <summary>Runs <paramref name="executable"/> once on <paramref name="core"/> and times it.</summary>
    /// <param name="padding">Bytes of extra environment (moves the stack).</param>
    /// <param name="stdinFile">A file for standard input, or null for <c>/dev/null</c>.</param>
    /// <param name="environment">Variables set (or removed, when null) on top of ours, before the padding is added.</param>
    /// <param name="niceness">The program's niceness (−20 … 19; 0 keeps ours), given to a session and scheduler autogroup of
    /// its own (niceness alone ranks only within a session). On a loaded machine a negative one keeps the pinned core's
    /// other tasks from preempting the program every few milliseconds (needs root; ignored otherwise).</param>
    /// <param name="argv0">The program's <c>argv[0]</c>: one short name for every binary compared, so paths of different
    /// lengths do not shift the stack; some programs act on their name (gunzip, untoast), so it is the program's own.</param>
    public static TimedRun Run(string executable, IReadOnlyList<string> args, string? stdinFile, string? workingDirectory,
        int core, int padding, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null, int niceness = 0,
        string argv0 = "program")
    {
        string runner = Runner();
        var argv = new List<string> { "-c", core.ToString(CultureInfo.InvariantCulture), runner,
            padding.ToString(CultureInfo.InvariantCulture), stdinFile ?? "-", niceness.ToString(CultureInfo.InvariantCulture),
            Path.GetFullPath(executable), argv0 };
        argv.AddRange(args);
        ProcessResult r;
        try
        {
            r = ProcessRunner.Run(new ProcessSpec("taskset", argv) { WorkingDirectory = workingDirectory, Timeout = timeout, Environment = environment });
        }
        catch (ToolNotFoundException)
        {
            throw new InvalidOperationException("'taskset' was not found on PATH (it is in util-linux)");
        }
        if (r.TimedOut) throw new TimeoutException($"{executable} did not finish within {timeout.TotalSeconds:0} s");
        var parts = r.StandardOutput.Trim().Split(' ');
        if (!r.Succeeded || parts.Length != 3)
            throw new InvalidOperationException($"the timing helper failed (exit {r.ExitCode}): {r.StandardError.Trim()}");
        return new TimedRun(long.Parse(parts[0], CultureInfo.InvariantCulture) / 1e9, long.Parse(parts[1], CultureInfo.InvariantCulture) / 1e9,
            int.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
