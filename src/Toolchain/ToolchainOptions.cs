namespace CompilerLLM.Toolchain;

/// <summary>
/// Every external tool and its limits, in one record that the tasks, the launcher, the CLI, the lab and the
/// trainer all pass down: change a tool or a timeout here and every caller runs it the same way.
/// </summary>
public sealed record ToolchainOptions
{
    /// <summary>The defaults: tools looked up on PATH.</summary>
    public static ToolchainOptions Default { get; } = new();

    /// <summary>The GCC driver: compiles, assembles (<c>gcc -c -x assembler</c>) and links.</summary>
    public string Compiler { get; init; } = "gcc";

    /// <summary>GNU <c>as</c>, run directly only for the listing the assembly model is built from.</summary>
    public string Assembler { get; init; } = "as";

    /// <summary>The archiver for static libraries.</summary>
    public string Archiver { get; init; } = "ar";

    /// <summary>The SMT solver (z3) used by proofs and translation validation.</summary>
    public string Solver { get; init; } = "z3";

    /// <summary>
    /// Assemble by running the <c>as</c> command the driver would run (<see cref="AssemblerCommand"/>) instead of the
    /// driver: the same object, one process fewer per run. False: always through the driver.
    /// </summary>
    public bool AssembleDirectly { get; init; } = true;

    /// <summary>Where the driver's <c>as</c> commands are remembered between processes (null: within the process only).</summary>
    public string? MemoDirectory { get; init; }

    /// <summary>Bounds one run of the compiler, the assembler, the archiver or the linker.</summary>
    public TimeSpan ToolTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
