using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CompilerLLM.Toolchain;

/// <summary>Describes one invocation of an external tool (gcc, as, z3, ...).</summary>
/// <param name="FileName">
/// A bare name is looked up on PATH (the spec's own PATH override if it has one); a name containing
/// '/' is used as a path.
/// </param>
/// <param name="Arguments">Passed to the child verbatim, one argv entry each; no shell is involved.</param>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Written to the child's stdin, which is then closed. Null closes stdin immediately.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// Streams the child's stdin instead of <see cref="StandardInput"/>: called once, as the child starts, with its
    /// stdin as a stream, which is closed when the returned task ends. The feed runs beside the child (it should not
    /// block the caller: start a task of its own), and a write that fails because the child stopped reading is the
    /// feed's to handle; the run ends only when the feed has.
    /// </summary>
    public Func<Stream, Task>? StandardInputFeed { get; init; }

    /// <summary>
    /// Bounds the whole run, including draining output that a background descendant may keep open
    /// after the tool itself exits. Null (or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>)
    /// means no timeout.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Overrides applied on top of the inherited environment; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
}

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed, bool TimedOut)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>The invocation rendered for humans (POSIX-shell quoted); never used to start anything.</summary>
    public string CommandLine { get; init; } = string.Empty;
}

/// <summary>Thrown when a tool cannot be started because it is missing or not executable.</summary>
public sealed class ToolNotFoundException : Exception
{
    public ToolNotFoundException(string toolName, Exception? innerException = null)
        : base($"'{toolName}' was not found on PATH or is not executable.", innerException)
    {
        ToolName = toolName;
    }

    public string ToolName { get; }
}

public static class ProcessRunner
{
    // Once the child has been killed, its pipes normally hit EOF within milliseconds. A grace period
    // (rather than waiting for EOF) is still needed because a descendant that escaped the tree kill
    // (e.g. reparented after a double fork) can hold the write end open indefinitely.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    // No BOM: a preamble on stdin would be fed to the tool as part of its input.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static ProcessResult Run(ProcessSpec spec)
    {
        // Sync-over-async is safe here: every await below uses ConfigureAwait(false), so no
        // synchronization context is ever needed to complete the task.
        return RunAsync(spec, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Starts <paramref name="spec"/> in the background, detached from this process and from the build that runs it: a
    /// session of its own when <c>setsid</c> exists (a Ctrl-C to the build does not reach it), standard input, output
    /// and error on <c>/dev/null</c> (a build tool that reads its compilers' output until end of file, as Ninja does,
    /// is not held open by it). Returns once the short-lived shell that starts it has exited; false when that failed.
    /// Nothing waits for the started process, and its exit status is nobody's.
    /// </summary>
    public static bool StartDetached(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        const string script = """
            if command -v setsid >/dev/null 2>&1; then setsid "$@" </dev/null >/dev/null 2>&1 &
            else "$@" </dev/null >/dev/null 2>&1 &
            fi
            """;
        var shell = spec with { FileName = "/bin/sh", Arguments = ["-c", script, "sh", ResolveFileName(spec), .. spec.Arguments], Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            return Run(shell).Succeeded;
        }
        catch (Exception e) when (e is ToolNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ct.ThrowIfCancellationRequested();

        TimeSpan? timeout = ValidateTimeout(spec.Timeout);
        ProcessStartInfo startInfo = CreateStartInfo(spec);
        string commandLine = FormatCommandLine(spec.FileName, spec.Arguments);

        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        long cpuStart = PhaseTimings.CpuMicroseconds();
        Start(process, spec.FileName);

        using var abandonPumps = new CancellationTokenSource();
        var stdout = new StreamPump(process.StandardOutput, abandonPumps.Token);
        var stderr = new StreamPump(process.StandardError, abandonPumps.Token);
        Task stdin = spec.StandardInputFeed is { } feed
            ? FeedStandardInputAsync(process.StandardInput, feed)
            : WriteStandardInputAsync(process.StandardInput, spec.StandardInput, abandonPumps.Token);

        using var timeoutCts = timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linkedCts = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);

        bool timedOut = false;
        try
        {
            // Exit alone is not enough: output is only complete at EOF, which can come later than exit.
            await Task.WhenAll(process.WaitForExitAsync(linkedCts.Token), stdout.Completion, stderr.Completion, stdin)
                .WaitAsync(linkedCts.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linkedCts.IsCancellationRequested)
        {
            KillTree(process);
            // Reap before reporting, so callers never observe a "finished" run whose tool is still alive.
            await WaitQuietlyAsync(process.WaitForExitAsync(CancellationToken.None), DrainGrace).ConfigureAwait(false);

            if (ct.IsCancellationRequested)
            {
                abandonPumps.Cancel();
                throw new OperationCanceledException("The process was cancelled and its process tree killed.", ct);
            }

            timedOut = true;
            await WaitQuietlyAsync(Task.WhenAll(stdout.Completion, stderr.Completion, stdin), DrainGrace).ConfigureAwait(false);
            abandonPumps.Cancel();
        }

        stopwatch.Stop();
        PhaseTimings.Add("process." + Path.GetFileName(spec.FileName), stopwatch.Elapsed, cpuStart);
        int exitCode = process.HasExited ? process.ExitCode : -1;
        return new ProcessResult(exitCode, stdout.Snapshot(), stderr.Snapshot(), stopwatch.Elapsed, timedOut)
        {
            CommandLine = commandLine,
        };
    }

    /// <summary>Resolves <paramref name="name"/> the way <c>command -v</c> would; null if absent.</summary>
    public static string? FindOnPath(string name)
    {
        return FindOnPath(name, System.Environment.GetEnvironmentVariable("PATH"));
    }

    internal static string? FindOnPath(string name, string? searchPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        if (name.Contains('/'))
        {
            return IsExecutableFile(name) ? Path.GetFullPath(name) : null;
        }

        if (string.IsNullOrEmpty(searchPath))
        {
            return null;
        }

        foreach (string entry in searchPath.Split(Path.PathSeparator))
        {
            // POSIX: an empty PATH entry means the current directory.
            string directory = entry.Length == 0 ? "." : entry;
            string candidate = Path.Combine(directory, name);
            if (IsExecutableFile(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            if (OperatingSystem.IsWindows())
            {
                return true;
            }

            // Mode bits rather than access(2): close enough for locating tools, and it keeps `command -v`
            // semantics of skipping non-executable files that merely share the name.
            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (File.GetUnixFileMode(path) & anyExecute) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static string FormatCommandLine(string fileName, IEnumerable<string> arguments)
    {
        var builder = new StringBuilder(QuoteForShell(fileName));
        foreach (string argument in arguments)
        {
            builder.Append(' ').Append(QuoteForShell(argument));
        }

        return builder.ToString();
    }

    internal static string QuoteForShell(string value)
    {
        if (value.Length > 0 && value.All(IsShellSafe))
        {
            return value;
        }

        // Inside single quotes nothing is special except the quote itself, which has to be closed,
        // escaped and reopened.
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsShellSafe(char c)
    {
        return char.IsAsciiLetterOrDigit(c) || "_-+=/.,:@%".Contains(c);
    }

    private static TimeSpan? ValidateTimeout(TimeSpan? timeout)
    {
        if (timeout is not { } value || value == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), value, "Timeout must be positive.");
        }

        return value;
    }

    private static ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec.FileName);
        ArgumentNullException.ThrowIfNull(spec.Arguments);

        var startInfo = new ProcessStartInfo
        {
            FileName = ResolveFileName(spec),
            UseShellExecute = false,
            // stdin is always redirected so the child can never block on, or steal, our own stdin.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };

        foreach (string argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (spec.WorkingDirectory is { } workingDirectory)
        {
            // Checked up front because a failed chdir in the child surfaces as the same ENOENT as a
            // missing executable, which would be misreported as ToolNotFoundException.
            if (!Directory.Exists(workingDirectory))
            {
                throw new DirectoryNotFoundException($"Working directory '{workingDirectory}' does not exist.");
            }

            startInfo.WorkingDirectory = workingDirectory;
        }

        if (spec.Environment is { } overrides)
        {
            foreach ((string key, string? value) in overrides)
            {
                if (value is null)
                {
                    startInfo.Environment.Remove(key);
                }
                else
                {
                    startInfo.Environment[key] = value;
                }
            }
        }

        return startInfo;
    }

    private static string ResolveFileName(ProcessSpec spec)
    {
        if (spec.FileName.Contains('/'))
        {
            return spec.FileName;
        }

        // Resolving ourselves gives plain `command -v` semantics: .NET's own lookup also probes the
        // application directory and the current directory, which could silently pick up a stray file
        // named "gcc". The child's PATH is honoured because that is the PATH the caller configured.
        string? searchPath = System.Environment.GetEnvironmentVariable("PATH");
        if (spec.Environment is { } overrides && overrides.TryGetValue("PATH", out string? overriddenPath))
        {
            searchPath = overriddenPath;
        }

        return FindOnPath(spec.FileName, searchPath) ?? throw new ToolNotFoundException(spec.FileName);
    }

    private static void Start(Process process, string toolName)
    {
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            // The file may have vanished or lost its execute bit between lookup and exec.
            throw new ToolNotFoundException(toolName, ex);
        }
    }

    private static async Task WriteStandardInputAsync(StreamWriter writer, string? input, CancellationToken ct)
    {
        try
        {
            if (input is not null)
            {
                await writer.WriteAsync(input.AsMemory(), ct).ConfigureAwait(false);
                await writer.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A tool may legitimately exit without consuming its input (EPIPE); its exit code and
            // output are what matter, not how much of stdin it read.
        }

        try
        {
            writer.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Closing flushes; the same broken-pipe reasoning as above applies.
        }
    }

    private static async Task FeedStandardInputAsync(StreamWriter writer, Func<Stream, Task> feed)
    {
        try
        {
            await feed(writer.BaseStream).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // As for a string: a tool that stops reading is judged by its exit code and output.
        }
        try
        {
            writer.BaseStream.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // The process exited on its own between the timeout firing and the kill.
        }
    }

    private static async Task WaitQuietlyAsync(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: whatever has been captured so far is still returned.
        }
    }

    /// <summary>
    /// Drains one output stream into a buffer that can be read at any time, so that a run cut short
    /// by a timeout still reports the output produced before it.
    /// </summary>
    private sealed class StreamPump
    {
        private readonly StringBuilder _buffer = new();

        public StreamPump(StreamReader reader, CancellationToken abandon)
        {
            // Started eagerly so both streams are drained concurrently from the moment the child
            // runs; a child blocked on a full pipe would otherwise never exit.
            Completion = PumpAsync(reader, abandon);
        }

        public Task Completion { get; }

        public string Snapshot()
        {
            lock (_buffer)
            {
                return _buffer.ToString();
            }
        }

        private async Task PumpAsync(StreamReader reader, CancellationToken abandon)
        {
            char[] chunk = new char[16 * 1024];
            try
            {
                int read;
                while ((read = await reader.ReadAsync(chunk.AsMemory(), abandon).ConfigureAwait(false)) > 0)
                {
                    lock (_buffer)
                    {
                        _buffer.Append(chunk, 0, read);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // Abandoned after a timeout or torn down with the process; the snapshot stays valid.
            }
        }
    }
}
