using System.Diagnostics;
using System.Runtime.Versioning;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Toolchain.Tests;

// These tests drive real POSIX tools (sh, cat, printf) and inspect /proc.
[UnsupportedOSPlatform("windows")]
public sealed class ProcessRunnerTests : IDisposable
{
    // Generous enough never to trip on a loaded machine, small enough that a deadlock fails the test
    // instead of hanging the suite.
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(20);

    private readonly string _tempDir;

    public ProcessRunnerTests()
    {
        _tempDir = Path.Combine(Path.GetTempPath(), "cllm-processrunner-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_tempDir);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_tempDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static ProcessSpec Sh(string script, params string[] extraArgs)
    {
        return new ProcessSpec("sh", ["-c", script, "sh", .. extraArgs]) { Timeout = Safety };
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(255)]
    public void ExitCodeIsReported(int code)
    {
        ProcessResult result = ProcessRunner.Run(Sh($"exit {code}"));

        Assert.Equal(code, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Equal(code == 0, result.Succeeded);
    }

    [Fact]
    public void StdoutAndStderrAreCapturedSeparately()
    {
        ProcessResult result = ProcessRunner.Run(Sh("printf 'to out'; printf 'to err' >&2"));

        Assert.Equal("to out", result.StandardOutput);
        Assert.Equal("to err", result.StandardError);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void StandardInputRoundTripsThroughCatAsUtf8WithoutBom()
    {
        const string input = "line one\nhéllo wörld ✓ 日本語 🙂\n\ttrailing";

        ProcessResult result = ProcessRunner.Run(new ProcessSpec("cat", []) { StandardInput = input, Timeout = Safety });

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal(input, result.StandardOutput);
    }

    [Fact]
    public void Utf8BytesFromChildAreDecodedAsUtf8()
    {
        // Raw octal escapes make the child emit exact bytes, independent of our stdin encoding.
        ProcessResult result = ProcessRunner.Run(Sh(@"printf '\303\251\342\234\223'; printf '\303\274' >&2"));

        Assert.Equal("é✓", result.StandardOutput);
        Assert.Equal("ü", result.StandardError);
    }

    [Fact]
    public void NullStandardInputIsClosedImmediately()
    {
        // If stdin were left open (or inherited from the test host) cat would block until the timeout.
        ProcessResult result = ProcessRunner.Run(new ProcessSpec("cat", []) { Timeout = TimeSpan.FromSeconds(5) });

        Assert.False(result.TimedOut);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void ChildThatIgnoresLargeStdinStillSucceeds()
    {
        // The child exits without reading, so our write hits EPIPE; that must not surface as an error.
        string input = new('x', 4 * 1024 * 1024);

        ProcessResult result = ProcessRunner.Run(Sh("exit 0") with { StandardInput = input });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void LargeOutputOnBothStreamsDoesNotDeadlock()
    {
        const int size = 2 * 1024 * 1024;
        // Each stream gets far more than a pipe buffer, alternating, so reading either stream to the end
        // before the other would deadlock whichever order it picked.
        ProcessResult result = ProcessRunner.Run(Sh(
            $"head -c {size / 2} /dev/zero | tr '\\0' a; head -c {size / 2} /dev/zero | tr '\\0' b >&2; " +
            $"head -c {size / 2} /dev/zero | tr '\\0' a; head -c {size / 2} /dev/zero | tr '\\0' b >&2"));

        Assert.False(result.TimedOut, "deadlocked until the safety timeout");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(size, result.StandardOutput.Length);
        Assert.Equal(size, result.StandardError.Length);
        Assert.True(result.StandardOutput.All(c => c == 'a'));
        Assert.True(result.StandardError.All(c => c == 'b'));
    }

    [Fact]
    public void LargeStdinWithLargeOutputDoesNotDeadlock()
    {
        // Writing all of stdin before reading stdout deadlocks once both exceed the pipe buffers.
        string input = new('q', 3 * 1024 * 1024);

        ProcessResult result = ProcessRunner.Run(Sh("cat; cat /dev/null >&2") with { StandardInput = input });

        Assert.False(result.TimedOut, "deadlocked until the safety timeout");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input.Length, result.StandardOutput.Length);
        Assert.Equal(input, result.StandardOutput);
    }

    [Fact]
    public void TimeoutKillsWholeTreeAndKeepsPartialOutput()
    {
        string pidFile = Path.Combine(_tempDir, "child.pid");
        // The background sleep holds the stdout pipe open, so unless it is killed too the run cannot
        // finish promptly; its pid lets us check it is really gone.
        ProcessSpec spec = Sh("sleep 30 & echo $! > \"$1\"; printf 'partial out'; printf 'partial err' >&2; sleep 30", pidFile)
            with { Timeout = TimeSpan.FromMilliseconds(500) };

        ProcessResult result = ProcessRunner.Run(spec);

        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}");
        Assert.True(result.Elapsed >= TimeSpan.FromMilliseconds(400), $"returned too early: {result.Elapsed}");
        Assert.Equal("partial out", result.StandardOutput);
        Assert.Equal("partial err", result.StandardError);

        int childPid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(WaitUntilDead(childPid, TimeSpan.FromSeconds(2)), $"background child {childPid} survived the timeout");
    }

    [Fact]
    public async Task TimeoutAppliesToAsyncRunsToo()
    {
        var stopwatch = Stopwatch.StartNew();

        ProcessResult result = await ProcessRunner.RunAsync(Sh("sleep 30") with { Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.True(result.TimedOut);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task CancellationKillsTreeAndThrows()
    {
        string pidFile = Path.Combine(_tempDir, "cancel.pid");
        ProcessSpec spec = Sh("sleep 30 & echo $! > \"$1\"; sleep 30", pidFile);
        using var cts = new CancellationTokenSource();
        var stopwatch = Stopwatch.StartNew();

        Task<ProcessResult> run = ProcessRunner.RunAsync(spec, cts.Token);
        Assert.True(WaitForFile(pidFile, TimeSpan.FromSeconds(5)), "child never started");
        cts.Cancel();

        OperationCanceledException ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");

        int childPid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(WaitUntilDead(childPid, TimeSpan.FromSeconds(2)), $"background child {childPid} survived cancellation");
    }

    [Fact]
    public async Task AlreadyCancelledTokenThrowsWithoutStarting()
    {
        string marker = Path.Combine(_tempDir, "started");
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ProcessRunner.RunAsync(Sh("touch \"$1\"", marker), cts.Token));

        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void NonPositiveTimeoutIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessRunner.Run(Sh("exit 0") with { Timeout = TimeSpan.Zero }));
    }

    [Fact]
    public void EnvironmentCanBeOverriddenAndRemoved()
    {
        // A unique name keeps this from disturbing tests running in parallel.
        const string inherited = "CLLM_PROCESSRUNNER_TEST_INHERITED";
        Environment.SetEnvironmentVariable(inherited, "from-parent");
        try
        {
            const string script = "printf '%s|%s' \"${CLLM_PROCESSRUNNER_TEST_SET-unset}\" \"${CLLM_PROCESSRUNNER_TEST_INHERITED-unset}\"";

            ProcessResult baseline = ProcessRunner.Run(Sh(script));
            ProcessResult overridden = ProcessRunner.Run(Sh(script) with
            {
                Environment = new Dictionary<string, string?>
                {
                    ["CLLM_PROCESSRUNNER_TEST_SET"] = "a value with spaces",
                    [inherited] = null,
                    ["CLLM_PROCESSRUNNER_TEST_NEVER_EXISTED"] = null,
                },
            });

            Assert.Equal("unset|from-parent", baseline.StandardOutput);
            Assert.Equal("a value with spaces|unset", overridden.StandardOutput);
            Assert.Equal("from-parent", Environment.GetEnvironmentVariable(inherited));
        }
        finally
        {
            Environment.SetEnvironmentVariable(inherited, null);
        }
    }

    [Fact]
    public void PathOverrideIsUsedToResolveTheTool()
    {
        string toolDir = Path.Combine(_tempDir, "bin");
        Directory.CreateDirectory(toolDir);
        string tool = Path.Combine(toolDir, "cllm-fake-tool");
        File.WriteAllText(tool, "#!/bin/sh\nprintf 'fake tool ran'\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        ProcessResult result = ProcessRunner.Run(new ProcessSpec("cllm-fake-tool", [])
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = toolDir + ":/usr/bin:/bin" },
            Timeout = Safety,
        });

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal("fake tool ran", result.StandardOutput);
        Assert.Throws<ToolNotFoundException>(() => ProcessRunner.Run(new ProcessSpec("cllm-fake-tool", [])));
    }

    [Fact]
    public void WorkingDirectoryIsApplied()
    {
        File.WriteAllText(Path.Combine(_tempDir, "marker.txt"), "found me");

        ProcessResult inDir = ProcessRunner.Run(Sh("cat marker.txt") with { WorkingDirectory = _tempDir });

        Assert.True(inDir.Succeeded, inDir.StandardError);
        Assert.Equal("found me", inDir.StandardOutput);
    }

    [Fact]
    public void MissingWorkingDirectoryIsNotReportedAsMissingTool()
    {
        string missing = Path.Combine(_tempDir, "does-not-exist");

        Assert.Throws<DirectoryNotFoundException>(() => ProcessRunner.Run(Sh("exit 0") with { WorkingDirectory = missing }));
    }

    [Fact]
    public void ArgumentsArePassedVerbatim()
    {
        string[] args =
        [
            "plain", "with space", "it's", "\"double\"", "", "$HOME", "*", @"back\slash", "tab\there",
            "new\nline", "; rm -rf /", "ünïcödé ✓",
        ];

        // printf re-emits each argv entry NUL-terminated, so any splitting, globbing or expansion shows.
        ProcessResult result = ProcessRunner.Run(new ProcessSpec("printf", ["%s\\0", .. args]) { Timeout = Safety });

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal(args, result.StandardOutput.Split('\0')[..^1]);
    }

    [Fact]
    public void CommandLineIsShellQuoted()
    {
        ProcessResult result = ProcessRunner.Run(new ProcessSpec("printf", ["%s", "a b", "it's", "", "-o", "x.s"]) { Timeout = Safety });

        Assert.Equal("printf %s 'a b' 'it'\\''s' '' -o x.s", result.CommandLine);
    }

    [Fact]
    public void CommandLineRoundTripsThroughShell()
    {
        string[] args = ["a b", "it's", "", "$(echo no)", "`x`", "\\", "\"", "ok"];
        string commandLine = ProcessRunner.FormatCommandLine("printf", ["%s\\0", .. args]);

        ProcessResult result = ProcessRunner.Run(Sh(commandLine));

        Assert.Equal(args, result.StandardOutput.Split('\0')[..^1]);
    }

    [Fact]
    public void MissingToolThrowsToolNotFound()
    {
        var ex = Assert.Throws<ToolNotFoundException>(() => ProcessRunner.Run(new ProcessSpec("no-such-tool-xyz", ["--version"])));

        Assert.Equal("no-such-tool-xyz", ex.ToolName);
        Assert.Contains("'no-such-tool-xyz' was not found on PATH", ex.Message);
    }

    [Fact]
    public async Task MissingToolThrowsToolNotFoundAsync()
    {
        await Assert.ThrowsAsync<ToolNotFoundException>(() => ProcessRunner.RunAsync(new ProcessSpec("no-such-tool-xyz", [])));
    }

    [Fact]
    public void MissingToolGivenByPathThrowsToolNotFound()
    {
        string path = Path.Combine(_tempDir, "absent-tool");

        var ex = Assert.Throws<ToolNotFoundException>(() => ProcessRunner.Run(new ProcessSpec(path, [])));

        Assert.Equal(path, ex.ToolName);
    }

    [Fact]
    public void NonExecutableFileThrowsToolNotFound()
    {
        string path = Path.Combine(_tempDir, "not-executable");
        File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Throws<ToolNotFoundException>(() => ProcessRunner.Run(new ProcessSpec(path, [])));
    }

    [Fact]
    public void FindOnPathLocatesShell()
    {
        string? sh = ProcessRunner.FindOnPath("sh");

        Assert.NotNull(sh);
        Assert.True(Path.IsPathRooted(sh));
        Assert.True(File.Exists(sh));
    }

    [Fact]
    public void FindOnPathReturnsNullForMissingTool()
    {
        Assert.Null(ProcessRunner.FindOnPath("no-such-tool-xyz"));
    }

    [Fact]
    public void FindOnPathSkipsNonExecutableFilesAndHonoursOrder()
    {
        string first = Path.Combine(_tempDir, "first");
        string second = Path.Combine(_tempDir, "second");
        string third = Path.Combine(_tempDir, "third");
        Directory.CreateDirectory(first);
        Directory.CreateDirectory(second);
        Directory.CreateDirectory(third);
        CreateFile(Path.Combine(first, "tool"), UnixFileMode.UserRead);
        CreateFile(Path.Combine(second, "tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        CreateFile(Path.Combine(third, "tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(first, "dironly"));

        string searchPath = string.Join(':', Path.Combine(_tempDir, "missing"), first, second, third);

        Assert.Equal(Path.Combine(second, "tool"), ProcessRunner.FindOnPath("tool", searchPath));
        Assert.Null(ProcessRunner.FindOnPath("dironly", searchPath));
        Assert.Null(ProcessRunner.FindOnPath("tool", ""));
    }

    private static void CreateFile(string path, UnixFileMode mode)
    {
        File.WriteAllText(path, "#!/bin/sh\n");
        File.SetUnixFileMode(path, mode);
    }

    private static bool WaitForFile(string path, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit)
        {
            if (File.Exists(path) && File.ReadAllText(path).Trim().Length > 0)
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return false;
    }

    private static bool WaitUntilDead(int pid, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit)
        {
            if (!IsRunning(pid))
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return !IsRunning(pid);
    }

    private static bool IsRunning(int pid)
    {
        // A killed orphan may linger as a zombie when PID 1 does not reap; a zombie is dead, so only
        // a live state counts. Field 3 follows the parenthesised command name.
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string afterName = stat[(stat.LastIndexOf(')') + 1)..].TrimStart();
            return afterName.Length > 0 && afterName[0] is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
