using CompilerLLM.Pipeline;

namespace CompilerLLM.Launcher.Scoring;

/// <summary>
/// Where the scoring server of one user lives: a private directory (mode 0700) holding its socket, its lock (held by
/// the running server for its whole life) and the time of the last start attempt. Not the cache directory: that may
/// be on shared storage, where Unix sockets do not work across machines.
/// </summary>
internal sealed record ServerPaths(string Directory)
{
    public string Socket => Path.Combine(Directory, "scoring.sock");

    public string Lock => Path.Combine(Directory, "server.lock");

    public string StartStamp => Path.Combine(Directory, "started");

    /// <summary>What client and server must agree on: the engine's code and the executable (so the same ONNX Runtime beside it).</summary>
    public static string Engine => $"{EngineIdentity.Value};{Environment.ProcessPath}";

    /// <summary><c>$XDG_RUNTIME_DIR/compilerllm</c> when the session has one (private by definition), else <c>/tmp/compilerllm-USER</c>.</summary>
    public static string DefaultDirectory()
    {
        string? runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return string.IsNullOrEmpty(runtime) || !System.IO.Directory.Exists(runtime)
            ? Path.Combine(Path.GetTempPath(), $"compilerllm-{Environment.UserName}")
            : Path.Combine(runtime, "compilerllm");
    }

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the directory when missing; false (with why) when it cannot be, or when it exists and others may enter
    /// it: a socket there could be anyone's.
    /// </summary>
    public bool TryPrepare(out string? why)
    {
        if (OperatingSystem.IsWindows())
        {
            why = "the scoring server needs a Unix system";
            return false;
        }
        try
        {
            System.IO.Directory.CreateDirectory(Directory, Private);
            var mode = File.GetUnixFileMode(Directory);
            if ((mode & ~Private) != 0)
            {
                why = $"{Directory} is open to other users (mode {Convert.ToString((int)mode, 8)}; it must be 700)";
                return false;
            }
            why = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = $"cannot use {Directory}: {e.Message}";
            return false;
        }
    }
}
