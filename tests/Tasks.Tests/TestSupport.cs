using System.Collections;
using System.Collections.Concurrent;
using CompilerLLM.Toolchain;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks.Tests;

/// <summary>
/// The part of MSBuild a task talks to: it records what the task logs and keeps registered task objects,
/// like a build node does. (Every tool the tasks run is real.)
/// </summary>
public sealed class RecordingBuildEngine : IBuildEngine4
{
    public List<BuildErrorEventArgs> Errors { get; } = [];
    public List<BuildWarningEventArgs> Warnings { get; } = [];
    public List<BuildMessageEventArgs> Messages { get; } = [];
    private readonly ConcurrentDictionary<object, object> _objects = new();

    public IEnumerable<string> WarningCodes => Warnings.Select(w => w.Code);
    public IEnumerable<string> ErrorCodes => Errors.Select(e => e.Code);
    public string AllText => string.Join("\n", Errors.Select(e => $"error {e.Code}: {e.Message}")
        .Concat(Warnings.Select(w => $"warning {w.Code}: {w.Message}")).Concat(Messages.Select(m => $"message {m.Code}: {m.Message}")));

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "test.proj";
    public bool IsRunningMultipleNodes => false;

    public void LogErrorEvent(BuildErrorEventArgs e) { lock (this) Errors.Add(e); }
    public void LogWarningEvent(BuildWarningEventArgs e) { lock (this) Warnings.Add(e); }
    public void LogMessageEvent(BuildMessageEventArgs e) { lock (this) Messages.Add(e); }
    public void LogCustomEvent(CustomBuildEventArgs e) { }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();
    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) => throw new NotSupportedException();
    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) => throw new NotSupportedException();
    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) => throw new NotSupportedException();
    public void Yield() { }
    public void Reacquire() { }

    public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection) => _objects[key] = obj;
    public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _objects.TryGetValue(key, out var o) ? o : null;
    public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _objects.TryRemove(key, out var o) ? o : null;
}

/// <summary>A temporary directory removed at the end of the test.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cllm-tasks-").FullName;
    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public string Write(string relative, string text)
    {
        string full = File(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

public static class Tools
{
    public static ProcessResult Run(string tool, string workingDirectory, params string[] args)
    {
        var r = ProcessRunner.Run(new ProcessSpec(tool, args) { WorkingDirectory = workingDirectory, Timeout = TimeSpan.FromMinutes(2) });
        return r;
    }

    /// <summary>Sets a file's modification time (timestamps decide incrementality; tests must not depend on the clock's resolution).</summary>
    public static void SetTime(string path, DateTime utc) => File.SetLastWriteTimeUtc(path, utc);
}
