using System.Diagnostics;
using CompilerLLM.Assembly;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Pipeline;

/// <summary>How GCC's half of a unit's build went: the compiler's run and, when it succeeded, the assembler's.</summary>
public sealed record CompileOutcome(ProcessResult Compiler, ProcessResult? Assembler)
{
    /// <summary>Both GCC's assembly and GCC's object exist and are current.</summary>
    public bool Succeeded => Compiler.Succeeded && Assembler is not { Succeeded: false };
}

/// <summary>GCC's own assembly of a unit does not assemble: not ours to fall back from, the unit cannot be built at all.</summary>
public sealed class GccObjectException(string source, ProcessResult assembler)
    : Exception($"{source}: GCC's assembly does not assemble: {UnitBuilder.FirstErrorLine(assembler.StandardError)}")
{
    public ProcessResult Assembler { get; } = assembler;
}

/// <summary>
/// The one per-unit entry point of the engine, shared by every front (the MSBuild tasks, the compiler launcher,
/// evaluation): compile a translation unit with GCC (assembly and GCC's own object), then optimize it (our assembly
/// and object), falling back to GCC's object whenever anything fails. Objects are assembled through the GCC driver
/// with the unit's own flags, so GCC's object equals <c>gcc -c</c>'s and ours differs only by the rewrites.
/// Outputs are replaced only when their bytes change, through a temporary file, so a reader never sees half a file.
/// Thread-safe: units are built in parallel.
/// </summary>
public sealed partial class UnitBuilder(Gcc gcc)
{
    public Gcc Gcc { get; } = gcc;

    /// <summary>
    /// <c>gcc -S</c> to the unit's assembly (with a dependency file when <paramref name="writeDependencies"/>), then
    /// GCC's object from it. On failure the dependency file is removed, so that the next build retries the unit.
    /// </summary>
    /// <param name="unit">The unit.</param>
    /// <param name="writeDependencies">Write the make-style dependency file (<see cref="UnitFiles.Dependency"/>).</param>
    /// <param name="assembleGccObject">
    /// Also assemble GCC's object now, while cc1 writes the text where it can. With false, a cache hit brings GCC's
    /// object along, and <see cref="Optimize(TranslationUnit, OptimizerOptions, UnitCache?, VariantDecision?)"/> assembles it on a miss.
    /// </param>
    public CompileOutcome Compile(TranslationUnit unit, bool writeDependencies = true, bool assembleGccObject = true)
    {
        var files = unit.Files;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(files.Asm))!);
        string tempAsm = Outputs.TempFor(files.Asm), tempObj = Outputs.TempFor(files.Object);
        string? dependencyFile = writeDependencies ? files.Dependency : null, dependencyTarget = writeDependencies ? files.Object : null;
        // GCC's object beside cc1 where it can be made so (Gcc.CompileAndAssemble), else compile, then assemble.
        var both = assembleGccObject ? Gcc.CompileAndAssemble(unit.Source, unit.Arguments, tempAsm, tempObj, dependencyFile, dependencyTarget) : null;
        var compiled = both?.Compiler ?? Gcc.CompileToAssembly(unit.Source, unit.Arguments, tempAsm, dependencyFile, dependencyTarget);
        if (!compiled.Succeeded)
        {
            File.Delete(tempAsm);
            File.Delete(files.Dependency);
            return new CompileOutcome(compiled, null);
        }
        bool asmChanged = Outputs.ReplaceIfDifferent(tempAsm, files.Asm);
        if (both?.Assembler is { Succeeded: true } alongside)
        {
            Outputs.ReplaceIfDifferent(tempObj, files.Object);
            return new CompileOutcome(compiled, alongside);
        }
        File.Delete(tempObj);
        if (!assembleGccObject || (both is null && !asmChanged && File.Exists(files.Object))) return new CompileOutcome(compiled, null);
        // An assembler that ran beside cc1 and failed has said why; one that did not start is the driver's to report.
        var assembled = both?.Assembler ?? AssembleGccObject(unit);
        if (!assembled.Succeeded) File.Delete(files.Dependency);
        return new CompileOutcome(compiled, assembled);
    }

    /// <summary>GCC's object from GCC's assembly, through the driver with the unit's flags (equal to <c>gcc -c</c>'s).</summary>
    public ProcessResult AssembleGccObject(TranslationUnit unit)
    {
        string tempObj = Outputs.TempFor(unit.Files.Object);
        var assembled = Gcc.Assemble(unit.Files.Asm, unit.Arguments, tempObj);
        if (assembled.Succeeded) Outputs.ReplaceIfDifferent(tempObj, unit.Files.Object);
        else File.Delete(tempObj);
        return assembled;
    }

    /// <summary>
    /// Optimizes GCC's assembly of a compiled unit into our assembly and object and returns the unit's report.
    /// A function whose rewrites fail a check keeps GCC's code (the optimizer's own fallback); when the file
    /// cannot be read, the optimizer fails or the assembler rejects our text, both our files become copies of
    /// GCC's and the report says why. A missing tool (<see cref="ToolNotFoundException"/>) is not a fallback: it
    /// propagates, since GCC's own build could not run either.
    /// </summary>
    /// <param name="unit">A compiled unit: GCC's assembly exists (and GCC's object, unless a cache is given).</param>
    /// <param name="options">How to optimize.</param>
    /// <param name="cache">
    /// Where optimized units are kept across builds: a hit restores GCC's object, ours and the report without running
    /// the optimizer or the assembler; a miss optimizes and stores the result.
    /// </param>
    public UnitReport Optimize(TranslationUnit unit, OptimizerOptions options, UnitCache? cache = null, VariantDecision? variant = null) =>
        Optimize(unit, () => options, cache, variant);

    /// <summary>
    /// As <see cref="Optimize(TranslationUnit, OptimizerOptions, UnitCache?, VariantDecision?)"/>, with the options made
    /// only when the optimizer runs: a cache hit never loads the policy model (nor starts ONNX Runtime).
    /// </summary>
    public UnitReport Optimize(TranslationUnit unit, Func<OptimizerOptions> options, UnitCache? cache, VariantDecision? variant = null)
    {
        var start = StartOf(unit, variant);
        var clock = Stopwatch.StartNew();
        string text = File.ReadAllText(start.Asm);
        CompilerLLM.Caching.CacheKey? key;
        using (PhaseTimings.Start("unit.cache-lookup"))
        {
            key = cache?.KeyOf(unit, text, Gcc);
            if (key is { } k && cache!.TryRestore(k, unit, start.Object, out _) is { } restored)
                return restored with { OptimizerSeconds = clock.Elapsed.TotalSeconds, Variant = variant };
        }
        if (!File.Exists(start.Object))
        {
            using var phase = PhaseTimings.Start("unit.assemble-gcc-object");
            var assembled = start.Object == unit.Files.Object ? AssembleGccObject(unit) : Gcc.Assemble(start.Asm, unit.Arguments, start.Object);
            if (!assembled.Succeeded) throw new GccObjectException(unit.Source, assembled);
        }
        var report = OptimizeUncached(unit, start, text, options(), clock) with { Variant = variant };
        if (key is { } storeKey)
        {
            using var phase = PhaseTimings.Start("unit.cache-save");
            cache!.Save(storeKey, unit, start.Object, report);
        }
        return report;
    }

    /// <summary>What the optimizer starts from: GCC's assembly and object of the chosen variant (the user's flags for base).</summary>
    private readonly record struct Start(string Asm, string Object);

    private static Start StartOf(TranslationUnit unit, VariantDecision? variant) => variant is { IsBase: false }
        ? new Start(unit.Files.VariantAsm, unit.Files.VariantObject)
        : new Start(unit.Files.Asm, unit.Files.Object);

    private UnitReport OptimizeUncached(TranslationUnit unit, Start start, string text, OptimizerOptions options, Stopwatch clock)
    {
        var files = unit.Files;
        var ours = AssemblesAsPlainAs(unit) ? new RecheckObject(this, unit) : null;
        try
        {
            AsmFile file;
            using (PhaseTimings.Start("unit.read")) file = TakeRead(start.Asm, text) ?? ReadModel(unit, start.Asm, text, start.Object);
            OptimizationResult result;
            using (PhaseTimings.Start("unit.optimize"))
                result = Optimizer.Optimize(file, ours is null ? options : options with { AssembleOutput = ours.Assemble });
            var r = result.Report;
            double seconds = clock.Elapsed.TotalSeconds;
            string tempAsm = Outputs.TempFor(files.OptimizedAsm);
            File.WriteAllText(tempAsm, result.Text);
            bool changed = Outputs.ReplaceIfDifferent(tempAsm, files.OptimizedAsm);
            if (result.Text == file.Source)
            {
                // Nothing rewritten: GCC's object is ours (no need to run the assembler again).
                Outputs.CopyIfDifferent(start.Object, files.OptimizedObject);
            }
            else if (ours?.TakeObjectOf(result.Text) is { } recheckObject)
            {
                // The re-check assembled exactly this text, as the build does: that object is ours.
                Outputs.ReplaceIfDifferent(recheckObject, files.OptimizedObject);
            }
            else if (changed || ours is { Wrote: true } || !File.Exists(files.OptimizedObject))
            {
                using var phase = PhaseTimings.Start("unit.assemble-ours");
                string tempObj = Outputs.TempFor(files.OptimizedObject);
                var assembled = Gcc.Assemble(files.OptimizedAsm, unit.Arguments, tempObj);
                if (!assembled.Succeeded)
                {
                    File.Delete(tempObj);
                    return FallBack(unit, start, UnitFallback.AssemblerRejected, "the optimized assembly does not assemble",
                        FirstErrorLine(assembled.StandardError), clock.Elapsed.TotalSeconds);
                }
                Outputs.ReplaceIfDifferent(tempObj, files.OptimizedObject);
            }
            return new UnitReport(unit.Source, r.Applied > 0 ? UnitStatus.Optimized : UnitStatus.Unchanged, null, seconds,
                r.Functions, r.Candidates, r.Applied, r.Fallbacks,
                r.FunctionReports.Sum(f => f.SizeDelta), r.FunctionReports.Sum(f => f.EstimatedCycleDelta), r);
        }
        catch (AsmReadException e)
        {
            return FallBack(unit, start, UnitFallback.UnreadableAssembly, "unreadable assembly", FirstErrorLine(e.Message), clock.Elapsed.TotalSeconds);
        }
        catch (ToolNotFoundException)
        {
            throw;
        }
        catch (CompilerLLM.Inference.PolicyLoadException)
        {
            throw; // a model loaded on first use: not the unit's failure but the policy's (the caller says so)
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return FallBack(unit, start, UnitFallback.OptimizerFailure, "optimizer failure", $"{e.GetType().Name}: {FirstErrorLine(e.Message)}", clock.Elapsed.TotalSeconds);
        }
        finally
        {
            ours?.Dispose();
        }
    }

    /// <summary>Whether the driver assembles the unit as plain <c>as</c> would, so that its objects may stand for <c>as</c>'s in the model.</summary>
    private static bool AssemblesAsPlainAs(TranslationUnit unit) => Gcc.AssemblesAsPlainAs(unit.Arguments);

    /// <summary>
    /// The model of <paramref name="text"/> (the unit's assembly at <paramref name="asmPath"/>): from the build's own
    /// object of it when there is one and the driver assembles as plain <c>as</c> does, so no assembler runs when the
    /// object places every line; else as <see cref="AsmReader.Read(string, string, GasAssembler?, AsmLayoutSource)"/>.
    /// </summary>
    private static AsmFile ReadModel(TranslationUnit unit, string asmPath, string text, string objectPath) =>
        AssemblesAsPlainAs(unit) && File.Exists(objectPath)
            ? AsmReader.Read(asmPath, text, ElfObject.Load(objectPath))
            : AsmReader.Read(asmPath, text);

    /// <summary>
    /// Our object as the re-check makes it: each text the re-check reads is written to the unit's optimized assembly and
    /// assembled through the driver with the unit's flags, exactly as the build would; the last one that assembled is
    /// kept, so that when it is the final text the build need not assemble it again.
    /// </summary>
    private sealed class RecheckObject(UnitBuilder builder, TranslationUnit unit) : IDisposable
    {
        private readonly string _object = Outputs.TempFor(unit.Files.OptimizedObject);
        private string? _assembledText;

        /// <summary>Whether the optimized assembly was written here (so the final write may find it unchanged).</summary>
        public bool Wrote { get; private set; }

        public ElfObject? Assemble(string text)
        {
            using var phase = PhaseTimings.Start("recheck.assemble-ours");
            _assembledText = null;
            string tempAsm = Outputs.TempFor(unit.Files.OptimizedAsm);
            File.WriteAllText(tempAsm, text);
            Outputs.ReplaceIfDifferent(tempAsm, unit.Files.OptimizedAsm);
            Wrote = true;
            var assembled = builder.Gcc.Assemble(unit.Files.OptimizedAsm, unit.Arguments, _object);
            if (!assembled.Succeeded)
            {
                File.Delete(_object);
                return null;
            }
            _assembledText = text;
            return ElfObject.Load(_object);
        }

        /// <summary>The object of exactly <paramref name="text"/> (the file is the caller's from then on), or null.</summary>
        public string? TakeObjectOf(string text)
        {
            if (_assembledText is null || !string.Equals(_assembledText, text, StringComparison.Ordinal)) return null;
            _assembledText = null;
            return _object;
        }

        public void Dispose() => File.Delete(_object);
    }

    /// <summary>
    /// The model of GCC's assembly that choosing a unit's variant made, kept when the choice is the user's flags so that
    /// the optimizer, which starts from the same file, need not run the assembler on it again. One slot: a unit of
    /// another thread that takes it over only costs that read again.
    /// </summary>
    private KeptRead? _lastRead;

    /// <summary>A model and the exact text it was read from.</summary>
    private sealed record KeptRead(AsmFile File, string Text);

    private void KeepRead(AsmFile file, string text) => Volatile.Write(ref _lastRead, new KeptRead(file, text));

    /// <summary>The kept model when it is of exactly this file and text (the slot is emptied), else null.</summary>
    private AsmFile? TakeRead(string path, string text)
    {
        var kept = Interlocked.Exchange(ref _lastRead, null);
        return kept is not null && kept.File.Path == path && string.Equals(kept.Text, text, StringComparison.Ordinal) ? kept.File : null;
    }

    /// <summary>The unit keeps GCC's code (of its variant): our assembly and object become copies of GCC's.</summary>
    private static UnitReport FallBack(TranslationUnit unit, Start start, UnitFallback why, string what, string detail, double seconds)
    {
        Outputs.CopyIfDifferent(start.Asm, unit.Files.OptimizedAsm);
        Outputs.CopyIfDifferent(start.Object, unit.Files.OptimizedObject);
        return UnitReport.FellBackFor(unit.Source, why, $"{what}: {detail}", detail, seconds);
    }

    /// <summary>The line of a tool's message that says what went wrong (the first naming an error, else the first).</summary>
    public static string FirstErrorLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.Contains("Error", StringComparison.OrdinalIgnoreCase)) ?? lines.FirstOrDefault() ?? message;
    }
}
