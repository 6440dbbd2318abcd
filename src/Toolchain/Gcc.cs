namespace CompilerLLM.Toolchain;

/// <summary>What a link produces.</summary>
public enum NativeOutputKind : byte
{
    /// <summary>An executable (<c>gcc -o</c>).</summary>
    Application,
    /// <summary>A static library (<c>ar rcsD</c>).</summary>
    StaticLibrary,
    /// <summary>A shared library (<c>gcc -shared</c>).</summary>
    SharedLibrary,
}

/// <summary>What <see cref="Gcc.CompileAndAssemble"/> ran: the compile, and the assembler when the compile succeeded and it started.</summary>
public sealed record CompileAndAssembleOutcome(ProcessResult Compiler, ProcessResult? Assembler);

/// <summary>
/// The GCC driver, the archiver and the linker, exactly as every build of ours runs them: the MSBuild tasks, the
/// compiler launcher and evaluation alike, so that what is measured is what users get. No shell is involved.
/// </summary>
public sealed class Gcc(ToolchainOptions options, string? workingDirectory = null)
{
    public ToolchainOptions Options { get; } = options;

    private string? _identity;

    /// <summary>The compiler's and the assembler's <see cref="ToolIdentity"/>: what a cached object depends on besides its inputs.</summary>
    public string Identity => _identity ??= $"{ToolIdentity.Of(Options.Compiler)}|{ToolIdentity.Of(Options.Assembler)}";

    /// <summary>Where the tools run (relative source paths are resolved here, and written so into debug info).</summary>
    public string? WorkingDirectory { get; } = workingDirectory;

    private ProcessResult Run(string tool, IEnumerable<string> args) =>
        ProcessRunner.Run(new ProcessSpec(tool, args.ToList()) { WorkingDirectory = WorkingDirectory, Timeout = Options.ToolTimeout });

    /// <summary>
    /// <c>gcc -S</c>, with a make-style dependency file when <paramref name="dependencyFile"/> is given; the source
    /// path is passed as written so that <c>.file</c> and debug info match a plain gcc build.
    /// </summary>
    public ProcessResult CompileToAssembly(string source, IReadOnlyList<string> args, string assemblyOut,
        string? dependencyFile = null, string? dependencyTarget = null) =>
        Run(Options.Compiler, CompileToAssemblyArguments(source, args, assemblyOut, assemblyOut, dependencyFile, dependencyTarget));

    /// <summary>The driver's arguments for <c>gcc -S</c>: the text to <paramref name="output"/>, the default dependency target <paramref name="assemblyOut"/>.</summary>
    private static List<string> CompileToAssemblyArguments(string source, IReadOnlyList<string> args, string output, string assemblyOut,
        string? dependencyFile, string? dependencyTarget) =>
        dependencyFile is null
            ? ["-S", .. args, source, "-o", output]
            : ["-S", .. args, "-MMD", "-MF", dependencyFile, "-MT", dependencyTarget ?? assemblyOut, source, "-o", output];

    /// <summary>
    /// <c>gcc -S</c> (as <see cref="CompileToAssembly"/>, the same arguments) and GCC's object of its text at once:
    /// cc1 writes the assembly into a FIFO, whose text goes both to <paramref name="assemblyOut"/> and to the driver's
    /// own <c>as</c> command (<see cref="AssemblerCommand"/>), which runs beside cc1 as under <c>gcc -pipe</c>. The text
    /// is cc1's, byte for byte, and the object the one <see cref="Assemble"/> makes of it, but the assembler's time
    /// hides behind the compiler's where a core is free. Null when it cannot run so (no direct <c>as</c> command, no
    /// FIFO, the text not written whole); the caller then compiles and assembles one after the other. When the compile
    /// fails, no object is left and the assembler's result is null.
    /// </summary>
    public CompileAndAssembleOutcome? CompileAndAssemble(string source, IReadOnlyList<string> args, string assemblyOut, string objectOut,
        string? dependencyFile = null, string? dependencyTarget = null)
    {
        if (!Options.AssembleDirectly) return null;
        if (AssemblerCommand.For(this, WithoutDependencyOptions(args).ToList(), "--", objectOut, Options.MemoDirectory) is not { } assembler) return null;
        string fifo = assemblyOut + ".fifo";
        File.Delete(fifo);
        if (!NamedPipe.TryCreate(fifo)) return null;
        try
        {
            // Our own writer end, held until cc1 has exited, so that the text is never cut short: cc1 may open the
            // FIFO after the reader starts, and a FIFO without writers reads as ended. Opening it read-write never waits.
            using var keepOpen = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
            using var input = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            using var text = new FileStream(assemblyOut, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            Task<bool>? copy = null;
            var assembling = ProcessRunner.RunAsync(new ProcessSpec(assembler[0], assembler.Skip(1).ToList())
            {
                WorkingDirectory = WorkingDirectory,
                Timeout = Options.ToolTimeout,
                StandardInputFeed = stdin => copy = Task.Factory.StartNew(() => Tee(input, text, stdin), TaskCreationOptions.LongRunning),
            });
            // An assembler that did not start never fed: the text is still read, or cc1 would wait on a full pipe.
            copy ??= Task.Factory.StartNew(() => Tee(input, text, null), TaskCreationOptions.LongRunning);
            ProcessResult? compiled = null;
            Exception? failure = null;
            try
            {
                compiled = Run(Options.Compiler, CompileToAssemblyArguments(source, args, fifo, assemblyOut, dependencyFile, dependencyTarget));
            }
            catch (Exception e)
            {
                failure = e;
            }
            keepOpen.Dispose(); // cc1 has exited: once its text is read, the FIFO ends
            bool whole = copy.GetAwaiter().GetResult();
            ProcessResult? assembled;
            try
            {
                assembled = assembling.GetAwaiter().GetResult();
            }
            catch (ToolNotFoundException)
            {
                assembled = null;
            }
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            if (compiled!.Succeeded && whole) return new CompileAndAssembleOutcome(compiled, assembled);
            File.Delete(objectOut);
            return whole ? new CompileAndAssembleOutcome(compiled, null) : null;
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    /// <summary>
    /// Copies the FIFO's text to the file and, while the assembler reads, to its stdin; reads to the end whatever
    /// fails, so that cc1 never waits on a full pipe. False when the file did not get the whole text.
    /// </summary>
    private static bool Tee(Stream input, Stream text, Stream? assembler)
    {
        byte[] buffer = new byte[1 << 16];
        bool whole = true;
        for (int read; (read = input.Read(buffer)) > 0;)
        {
            if (whole)
            {
                try
                {
                    text.Write(buffer, 0, read);
                }
                catch (IOException)
                {
                    whole = false; // a full disk: the caller compiles again the plain way, and GCC says what it says
                }
            }
            if (assembler is null) continue;
            try
            {
                assembler.Write(buffer, 0, read);
            }
            catch (IOException)
            {
                assembler = null; // it stopped reading (it failed or timed out): its result says why
            }
        }
        try
        {
            text.Flush();
        }
        catch (IOException)
        {
            whole = false;
        }
        return whole;
    }

    /// <summary>
    /// Assembles as the driver does (<c>gcc -c -x assembler x.s</c> with the unit's flags), which runs <c>as</c> with
    /// exactly the options it uses for its own output (--64, --gdwarf-5 for -g, -Wa, …): the object equals
    /// <c>gcc -c x.c</c>'s. With <see cref="ToolchainOptions.AssembleDirectly"/> that <c>as</c> command runs without the
    /// driver (<see cref="AssemblerCommand"/>). Dependency options (<c>-M…</c>, with the values of <c>-MF</c>, <c>-MT</c>, <c>-MQ</c>) are dropped:
    /// they mean nothing for assembly.
    /// </summary>
    public ProcessResult Assemble(string assembly, IReadOnlyList<string> args, string objectOut)
    {
        var kept = WithoutDependencyOptions(args).ToList();
        if (Options.AssembleDirectly && AssemblerCommand.For(this, kept, assembly, objectOut, Options.MemoDirectory) is { } command)
        {
            try
            {
                return Run(command[0], command.Skip(1));
            }
            catch (ToolNotFoundException)
            {
                // The driver says so in its own words (and exit status), as a build without us would.
            }
        }
        return Run(Options.Compiler, ["-c", "-x", "assembler", .. kept, assembly, "-o", objectOut]);
    }

    /// <summary>
    /// Whether the driver, assembling with <paramref name="args"/>, runs <c>as</c> with nothing that changes the bytes of
    /// code or the symbols (only <c>--64</c>, and for <c>-g</c> the debug options): then its object of a text is the one
    /// plain <c>as --64</c> makes, and the assembly model may be read from it instead of assembling once more. False
    /// for options passed to <c>as</c> (<c>-Wa,</c>, <c>-Xassembler</c>), another assembler (<c>-B</c>, spec files), another
    /// mode (<c>-m16</c>, <c>-m32</c>, <c>-mx32</c>) or re-encoding (<c>-msse2avx</c>).
    /// </summary>
    public static bool AssemblesAsPlainAs(IReadOnlyList<string> args)
    {
        foreach (string a in args)
        {
            if (a.StartsWith("-Wa,", StringComparison.Ordinal) || a.StartsWith("-Xassembler", StringComparison.Ordinal)
                || a.StartsWith("-B", StringComparison.Ordinal) || a.StartsWith("-specs", StringComparison.Ordinal)
                || a.StartsWith("--specs", StringComparison.Ordinal) || a.StartsWith('@')
                || a is "-m16" or "-m32" or "-mx32" or "-msse2avx")
                return false;
        }
        return true;
    }

    /// <summary>
    /// The arguments that can change what the driver does with assembly it is given: without the dependency options
    /// and without the preprocessor's (<c>-I</c>, <c>-D</c>, <c>-U</c>, <c>-include</c> …), whose whole effect is already
    /// in the assembly text. Two units differing only there assemble alike, so they may share a cache entry.
    /// </summary>
    public static IEnumerable<string> ArgumentsForAssembly(IReadOnlyList<string> args)
    {
        var kept = WithoutDependencyOptions(args).ToList();
        for (int i = 0; i < kept.Count; i++)
        {
            string a = kept[i];
            if (a is "-I" or "-D" or "-U" or "-include" or "-imacros" or "-isystem" or "-iquote" or "-idirafter") { i++; continue; }
            if (a.Length > 2 && a[0] == '-' && a[1] is 'I' or 'D' or 'U') continue;
            if (a.StartsWith("-isystem", StringComparison.Ordinal) || a.StartsWith("-iquote", StringComparison.Ordinal)
                || a.StartsWith("-idirafter", StringComparison.Ordinal)) continue;
            yield return a;
        }
    }

    /// <summary>The arguments without <c>-M…</c> options, and without the file or target that <c>-MF</c>, <c>-MT</c> and <c>-MQ</c> take.</summary>
    public static IEnumerable<string> WithoutDependencyOptions(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a is "-MF" or "-MT" or "-MQ") { i++; continue; }
            if (a.StartsWith("-M", StringComparison.Ordinal)) continue;
            yield return a;
        }
    }

    /// <summary>Links (or archives) <paramref name="objects"/> into <paramref name="output"/>.</summary>
    public ProcessResult Link(NativeOutputKind kind, IReadOnlyList<string> objects, string output, IReadOnlyList<string> linkFlags)
    {
        switch (kind)
        {
            case NativeOutputKind.StaticLibrary:
                if (File.Exists(output)) File.Delete(output);
                return Run(Options.Archiver, ["rcsD", output, .. objects]);
            case NativeOutputKind.SharedLibrary:
                return Run(Options.Compiler, ["-shared", "-o", output, .. objects, .. linkFlags]);
            default:
                return Run(Options.Compiler, ["-o", output, .. objects, .. linkFlags]);
        }
    }

    /// <summary>Extracts every member of a static library into <paramref name="directory"/> (<c>ar x</c>).</summary>
    public ProcessResult ExtractArchive(string archive, string directory) =>
        ProcessRunner.Run(new ProcessSpec(Options.Archiver, ["x", archive]) { WorkingDirectory = directory, Timeout = Options.ToolTimeout });

    /// <summary>Runs the driver with arguments as given (a user's own compile command), bounded by the tool timeout.</summary>
    public ProcessResult Invoke(IReadOnlyList<string> args) => Run(Options.Compiler, args);

    /// <summary>Runs the driver with a short timeout to ask it something (version, predefined macros, target).</summary>
    public ProcessResult Probe(IReadOnlyList<string> args) =>
        ProcessRunner.Run(new ProcessSpec(Options.Compiler, args) { WorkingDirectory = WorkingDirectory, Timeout = TimeSpan.FromMinutes(1) });
}
