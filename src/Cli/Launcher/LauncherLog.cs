using System.Globalization;

namespace CompilerLLM.Launcher;

/// <summary>The launcher's coded messages: a closed table, each code documented in README's launcher section.</summary>
public enum LauncherCode : short
{
    /// <summary>A configuration problem (file and line, or variable); the launcher steps aside.</summary>
    Configuration = 7001,
    /// <summary>The policy model or ONNX Runtime cannot be loaded; the launcher steps aside (GCC's object).</summary>
    PolicyUnavailable = 7002,
    /// <summary>A unit keeps GCC's object (unreadable assembly, optimizer failure, assembler rejected our text).</summary>
    UnitFellBack = 7003,
    /// <summary>The engine ran out of time on a unit; it keeps GCC's object.</summary>
    Timeout = 7004,
    /// <summary>The unit was optimized (or left unchanged); information only.</summary>
    UnitBuilt = 7005,
    /// <summary>The resident server did not run the unit's engine work (another environment, another policy file); the launcher ran it. Information only.</summary>
    ServerDeclined = 7006,
    /// <summary>Test replay: what it found and did.</summary>
    Replay = 7101,
    /// <summary>Test replay: a unit behaves differently when optimized and falls back.</summary>
    ReplayCulprit = 7102,
}

/// <summary>
/// Appends coded lines to the log file (<c>log_file</c>). Never to the compiler's standard error: build systems read
/// it (configure checks compare it with nothing), and the launcher must leave a build's output as GCC's. A log that
/// cannot be written is ignored.
/// </summary>
public sealed class LauncherLog(string? path)
{
    public string? Path { get; } = path;

    public void Write(LauncherCode code, string message)
    {
        if (Path is null) return;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} [{Environment.ProcessId}] CLLM{(int)code:D4}: {message}\n");
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            File.AppendAllText(Path, line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
