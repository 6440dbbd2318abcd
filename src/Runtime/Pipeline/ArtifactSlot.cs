namespace CompilerLLM.Pipeline;

/// <summary>
/// The place where the project's commands expect the artifact (<c>NativeOutputPath</c>), borrowed for candidate
/// programs: the artifact that stood there is moved aside (with its time, so incremental builds see nothing new) and
/// comes back when the slot is disposed.
/// </summary>
public sealed class ArtifactSlot : IDisposable
{
    private readonly string _saved;
    private readonly bool _had;

    public ArtifactSlot(string artifactPath, string workDirectory)
    {
        Path = System.IO.Path.GetFullPath(artifactPath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        Directory.CreateDirectory(workDirectory);
        _saved = System.IO.Path.Combine(workDirectory, "saved-artifact");
        _had = File.Exists(Path);
        if (_had) File.Move(Path, _saved, overwrite: true);
    }

    /// <summary>The artifact's path.</summary>
    public string Path { get; }

    /// <summary>Puts a candidate program (or library) where the commands expect the artifact.</summary>
    public void Place(string candidate)
    {
        // A new file each time: never writing through a hard link or into a program that may still be mapped.
        File.Delete(Path);
        File.Copy(candidate, Path);
    }

    public void Dispose()
    {
        File.Delete(Path);
        if (_had) File.Move(_saved, Path);
    }
}
