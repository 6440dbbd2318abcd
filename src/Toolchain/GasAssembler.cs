namespace CompilerLLM.Toolchain;

/// <summary>Raised when GNU <c>as</c> rejects an input; the message carries its <c>file:line: Error:</c> lines.</summary>
public sealed class AssemblerException(string message) : Exception(message);

/// <summary>
/// Runs GNU <c>as</c> (x86-64) directly, for the assembly model when no build has made its object, and for what the
/// driver cannot give: local labels as symbols (<c>-L</c>) and the <c>-aln</c> listing, when the plain object cannot
/// place every line. Objects that users link come from <see cref="Gcc.Assemble"/>.
/// </summary>
public sealed class GasAssembler(ToolchainOptions options)
{
    /// <summary>The assembler of <see cref="ToolchainOptions.Default"/>.</summary>
    public static GasAssembler Default { get; } = new(ToolchainOptions.Default);

    public ToolchainOptions Options { get; } = options;

    public string Executable => Options.Assembler;

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
        var result = ProcessRunner.Run(new ProcessSpec(Executable, args) { Timeout = Options.ToolTimeout });
        if (!result.Succeeded)
        {
            string why = result.TimedOut ? $"timed out after {Options.ToolTimeout.TotalSeconds:0} s" : $"exit code {result.ExitCode}";
            throw new AssemblerException($"{Executable} failed ({why}) on {sourcePath}:\n{result.StandardError.TrimEnd()}");
        }
    }
}
