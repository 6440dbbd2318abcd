using CompilerLLM.Processes;

namespace CompilerLLM.Assembly;

/// <summary>Raised when GNU <c>as</c> rejects an input; the message carries its <c>file:line: Error:</c> lines.</summary>
public sealed class AssemblerException(string message) : Exception(message);

/// <summary>Runs GNU <c>as</c> (x86-64) on a file.</summary>
public sealed class GasAssembler
{
    public GasAssembler(string executable = "as") => Executable = executable;

    public string Executable { get; }

    public static TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Assembles <paramref name="sourcePath"/> into <paramref name="objectPath"/>. With a listing path
    /// it also writes the <c>-aln</c> listing and keeps local labels (<c>-L</c>) so every label can be
    /// found in the symbol table.
    /// </summary>
    public void Assemble(string sourcePath, string objectPath, string? listingPath = null, bool keepLocalLabels = false)
    {
        var args = new List<string> { "--64" };
        if (listingPath is not null || keepLocalLabels) args.Add("-L");
        if (listingPath is not null) args.Add("-aln=" + listingPath);
        args.Add("-o");
        args.Add(objectPath);
        args.Add(sourcePath);
        var result = ProcessRunner.Run(new ProcessSpec(Executable, args) { Timeout = Timeout });
        if (!result.Succeeded)
        {
            string why = result.TimedOut ? $"timed out after {Timeout.TotalSeconds:0} s" : $"exit code {result.ExitCode}";
            throw new AssemblerException($"{Executable} failed ({why}) on {sourcePath}:\n{result.StandardError.TrimEnd()}");
        }
    }
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
