using CompilerLLM.Toolchain;

namespace CompilerLLM.Lab.Corpus;

/// <summary>Raised when a corpus tool (csmith, gcc) is missing or fails.</summary>
public sealed class CorpusException(string message) : Exception(message);

/// <summary>
/// Makes corpus programs on disk, cached: csmith programs by seed and GCC assembly per flag set.
/// Outputs are written to a temporary name and renamed, so an interrupted run never leaves a
/// truncated file that a later run would trust.
/// </summary>
public sealed class CorpusBuilder
{
    public const string CsmithIncludeDirectory = "/usr/include/csmith";

    public CorpusBuilder(string cacheDirectory, ToolchainOptions? toolchain = null)
    {
        CacheDirectory = Path.GetFullPath(cacheDirectory);
        Directory.CreateDirectory(CacheDirectory);
        _gcc = new Gcc(toolchain ?? ToolchainOptions.Default);
    }

    private readonly Gcc _gcc;

    public string CacheDirectory { get; }

    /// <summary>The C file csmith generates for <paramref name="seed"/> (generated once).</summary>
    public string Csmith(int seed)
    {
        string path = Path.Combine(CacheDirectory, "csmith", $"csmith-{seed}.c");
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = Outputs.TempFor(path); // unique per call: threads of one process (tests) make the same file at once
        var result = Run("csmith", ["--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", temp]);
        if (!result.Succeeded) throw new CorpusException($"csmith --seed {seed} failed: {result.StandardError.Trim()}");
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>GCC's assembly for <paramref name="cSource"/> under <paramref name="flags"/> (compiled once per source and flag set).</summary>
    public string Assembly(string cSource, GccFlagSet flags)
    {
        string name = Path.GetFileNameWithoutExtension(cSource);
        string path = Path.Combine(CacheDirectory, "asm", flags.Name, name + ".s");
        if (File.Exists(path) && File.GetLastWriteTimeUtc(path) >= File.GetLastWriteTimeUtc(cSource)) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = Outputs.TempFor(path);
        ProcessResult result;
        try
        {
            result = _gcc.CompileToAssembly(cSource, ["-w", "-std=gnu11", "-I" + CsmithIncludeDirectory, .. flags.Arguments], temp);
        }
        catch (ToolNotFoundException)
        {
            throw new CorpusException($"'{_gcc.Options.Compiler}' was not found on PATH; run scripts/setup.sh");
        }
        if (!result.Succeeded) throw new CorpusException($"gcc {flags.Flags} {cSource} failed: {result.StandardError.Trim()}");
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static ProcessResult Run(string tool, IReadOnlyList<string> args)
    {
        try
        {
            return ProcessRunner.Run(new ProcessSpec(tool, args) { Timeout = TimeSpan.FromMinutes(2) });
        }
        catch (ToolNotFoundException)
        {
            throw new CorpusException($"'{tool}' was not found on PATH; run scripts/setup.sh");
        }
    }
}
