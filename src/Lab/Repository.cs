namespace CompilerLLM.Lab;

/// <summary>
/// Where the lab keeps its work: the repository it runs from (found by walking up to <c>CompilerLLM.Build.sln</c>)
/// and the cache under it. Lab code only; the engine never looks for the repository.
/// </summary>
public static class Repository
{
    /// <summary>The directory holding <c>CompilerLLM.Build.sln</c> at or above <paramref name="start"/>, or null.</summary>
    public static string? FindRoot(string start)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "CompilerLLM.Build.sln"))) return d.FullName;
        }
        return null;
    }

    /// <summary>The lab's cache: <c>$COMPILERLLM_CACHE</c>, else <c>.cache/</c> at the repository root, else a folder in the temp directory.</summary>
    public static string DefaultCacheDirectory(string startDirectory)
    {
        if (Environment.GetEnvironmentVariable("COMPILERLLM_CACHE") is { Length: > 0 } env) return env;
        return FindRoot(startDirectory) is { } root ? Path.Combine(root, ".cache") : Path.Combine(Path.GetTempPath(), "compilerllm-cache");
    }
}
