namespace CompilerLLM.Toolchain;

/// <summary>Writing outputs only when their bytes change, so that what depends on them stays up to date.</summary>
public static class Outputs
{
    /// <summary>Moves <paramref name="temp"/> over <paramref name="target"/> unless both hold the same bytes (then deletes temp). True if target changed.</summary>
    public static bool ReplaceIfDifferent(string temp, string target)
    {
        if (File.Exists(target) && SameBytes(temp, target))
        {
            File.Delete(temp);
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        File.Move(temp, target, overwrite: true);
        return true;
    }

    /// <summary>Writes text unless the file already holds exactly it. True if written.</summary>
    public static bool WriteTextIfDifferent(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text);
        return true;
    }

    /// <summary>Copies unless the target already holds the same bytes; keeps the source's file mode. True if copied.</summary>
    public static bool CopyIfDifferent(string source, string target)
    {
        if (File.Exists(target) && SameBytes(source, target)) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        string temp = TempFor(target);
        File.Copy(source, temp, overwrite: true);
        File.Move(temp, target, overwrite: true);
        return true;
    }

    public static bool SameBytes(string a, string b)
    {
        var fa = new FileInfo(a);
        var fb = new FileInfo(b);
        if (fa.Length != fb.Length) return false;
        return File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
    }

    /// <summary>
    /// A temporary name beside <paramref name="path"/>, unique to this process and call, so that concurrent builds
    /// writing the same output never share one; renamed over the target when complete.
    /// </summary>
    /// <remarks>
    /// The process id keeps concurrent processes apart, the random part the writes of one process (threads, retries);
    /// nothing here needs a secret, and the cryptographic generator would load OpenSSL (about 5 ms a launcher run).
    /// </remarks>
    public static string TempFor(string path) => $"{path}.{Environment.ProcessId}.{Random.Shared.Next():x8}.cllm-tmp";
}

/// <summary>A temporary directory removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "compilerllm-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
