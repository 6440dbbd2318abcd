using System.Diagnostics;
using CompilerLLM.Caching;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher;

/// <summary>
/// One compile-to-object invocation, optimized: GCC compiles the source to assembly (its diagnostics relayed as they
/// are, its failure is the invocation's failure), the engine's per-unit entry point optimizes it with the content
/// cache, and the object the build asked for becomes ours, or GCC's own whenever anything on our side fails. The
/// object is written through a temporary file and a rename, so an interrupted build never leaves half an object.
/// </summary>
internal sealed class CompileAction(LauncherSettings settings, LauncherLog log)
{
    /// <summary>Runs the invocation; returns the exit code, or null when the launcher must step aside (then the original command runs).</summary>
    public int? Run(string compiler, IReadOnlyList<string> arguments, CompileInvocation invocation)
    {
        var clock = Stopwatch.StartNew();
        string cwd = Environment.CurrentDirectory;
        if (!PolicyRequest.TryParse(settings.Policy, cwd, out var request, out string? policyError))
        {
            log.Write(LauncherCode.Configuration, $"policy: {policyError}");
            return null;
        }
        string policyIdentity;
        try
        {
            using var phase = PhaseTimings.Start("launcher.policy-identity");
            policyIdentity = request.Identity();
        }
        catch (Inference.PolicyLoadException e)
        {
            log.Write(LauncherCode.PolicyUnavailable, e.Message);
            return null;
        }
        string? variantModel = VariantModelPath(cwd);
        string variantIdentity;
        using (PhaseTimings.Start("launcher.variant-identity"))
            variantIdentity = variantModel is null ? "none" : Inference.ScoringModel.Sha256Of(variantModel);
        string configuration = UnitCache.ConfigurationOf(policyIdentity, variantIdentity, settings.ValidateWithSmt, settings.FaultInjectionFunction);
        UnitCache? cache = settings.Cache ? new UnitCache(new ContentCache(settings.CacheDirectory, settings.CacheSize), configuration) : null;

        string work = WorkDirectory();
        // The models load (and ONNX Runtime starts) beside gcc -S; they are never disposed: the process ends with the
        // unit, and after a timeout the engine's thread may still use them.
        using var scoring = settings.Server && request.Kind == PolicyKind.Model
            ? Scoring.ScoringClient.For(settings, startServer: true)
            : null;
        var models = ModelPrefetch.Start(request, variantModel, scoring, prefetch: scoring is null || !settings.ServerEngine);
        OptimizerOptions Options() => UnitWork.Options(models.Policy(), settings.ValidateWithSmt, settings.FaultInjectionFunction);
        try
        {
            var gcc = new Gcc(ToolchainOptions.Default with { Compiler = compiler, MemoDirectory = Path.Combine(settings.CacheDirectory, "compilers") }, cwd);
            var builder = new UnitBuilder(gcc);
            var unit = new TranslationUnit(invocation.Source, invocation.AssemblyArguments, UnitFiles.At(UnitFilesRoot(work)));

            // A unit the cache holds is found from its source and included files, without compiling it (ccache's direct mode).
            var shortcut = DirectShortcut.For(cache, gcc, cwd, invocation);
            string ownDependencies = Path.Combine(work, "unit.deps");
            Caching.CacheKey? shortcutKey = null;
            if (shortcut is not null)
            {
                using var phase = PhaseTimings.Start("launcher.shortcut");
                shortcutKey = shortcut.Key();
                if (shortcutKey is { } sk && shortcut.Follow(sk, work) is { } manifest
                    && cache!.TryRestore(new Caching.CacheKey(manifest.UnitKey), unit, unit.Files.Object, out _) is { } restored)
                {
                    shortcut.RestoreDependencies(manifest, ownDependencies);
                    Console.Error.Write(manifest.CompilerOutput);
                    return Finish(clock, invocation, compiler, arguments, cwd, restored, unit.Files.OptimizedObject, unit.Files.Object, null, manifest.UnitKey);
                }
                unit = unit with { Arguments = shortcut.CompileArguments(ownDependencies) };
            }
            // A unit that compiles will want the server: one started now is up while GCC runs (a cache hit above never starts one).
            scoring?.StartIfAbsent();
            var compileStart = DateTime.UtcNow;
            CompileOutcome compiled;
            using (PhaseTimings.Start("launcher.gcc-S")) compiled = builder.Compile(unit, writeDependencies: false, assembleGccObject: true);
            // A failure may be GCC's (a source error) or ours (our temporary folder): the original command, run as it
            // is, tells which and says it in GCC's own words.
            if (!compiled.Compiler.Succeeded) return null;
            // The user's dependency file, when the compile wrote the full list to the launcher's instead (-MMD).
            string? dependencyText = null;
            if (shortcut is not null && !shortcut.FinishUserDependencies(ownDependencies, gcc.Options.MemoDirectory, out dependencyText)) return null;
            Console.Error.Write(compiled.Compiler.StandardError);
            double gccSeconds = clock.Elapsed.TotalSeconds;

            // The cache is keyed on GCC's assembly with the user's flags: a hit gives the final object whatever variant
            // and rewrites made it, without choosing or compiling anything again.
            Caching.CacheKey? key;
            UnitReport? report;
            using (PhaseTimings.Start("launcher.cache-lookup"))
            {
                key = cache?.KeyOfFile(unit, unit.Files.Asm, gcc);
                report = key is { } k ? cache!.TryRestore(k, unit, unit.Files.Object, out _) : null;
            }
            bool entryHeld = report is not null;
            string? fallbackObject = null;
            bool? heldByServer = null;
            if (report is null)
            {
                try
                {
                    var job = scoring is not null && settings.ServerEngine
                        ? new Scoring.UnitJob(cwd, compiler, gcc.Options.MemoDirectory ?? "", unit.Source, unit.Arguments, UnitFilesRoot(work),
                            settings.Policy, policyIdentity, variantModel ?? "", settings.ValidateWithSmt, settings.FaultInjectionFunction ?? "",
                            Scoring.UnitJob.CurrentEnvironment(), key?.Hex ?? "", settings.CacheDirectory, settings.CacheSize, configuration)
                        : null;
                    report = BuildWithin(builder, unit, Options, models, scoring, job, out fallbackObject, out heldByServer);
                }
                catch (Inference.PolicyLoadException e)
                {
                    log.Write(LauncherCode.PolicyUnavailable, e.Message);
                    return null;
                }
                if (report is null) return null; // GCC's own assembly does not assemble: let GCC say so itself
                if (heldByServer is { } held) entryHeld = held; // the server stored it, as below
                else if (key is { } storeKey && fallbackObject is null)
                {
                    using var phase = PhaseTimings.Start("launcher.cache-save");
                    entryHeld = cache!.Save(storeKey, unit, unit.Files.Object, report);
                }
            }
            // The way around the compile next time, to the entry this unit now has (made or found by its assembly).
            if (entryHeld && key is { } unitKey && shortcutKey is { } direct)
                using (PhaseTimings.Start("launcher.shortcut-store"))
                    shortcut!.Store(direct, unitKey, compiled.Compiler.StandardError, shortcut.ListingFile(ownDependencies), dependencyText, compileStart, work);
            return Finish(clock, invocation, compiler, arguments, cwd, report, fallbackObject ?? unit.Files.OptimizedObject,
                fallbackObject ?? unit.Files.Object, gccSeconds, key?.Hex);
        }
        finally
        {
            models.Settle();
            try { Directory.Delete(work, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Puts <paramref name="chosen"/> where the build asked for its object (a temporary file and a rename, so an
    /// interrupted build never leaves half an object), writes the unit's record and its log line.
    /// </summary>
    private int Finish(Stopwatch clock, CompileInvocation invocation, string compiler, IReadOnlyList<string> arguments, string cwd,
        UnitReport report, string chosen, string gccObject, double? gccSeconds, string? key)
    {
        using var phase = PhaseTimings.Start("launcher.finish");
        string target = Path.GetFullPath(invocation.Object);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string temp = Outputs.TempFor(target);
        File.Copy(chosen, temp, overwrite: true);
        File.Move(temp, target, overwrite: true);

        var record = new UnitRecord(target, cwd, compiler, arguments, invocation.Source, report.Status, report.Reason,
            report.Functions, report.Candidates, report.Applied, report.FunctionFallbacks, report.FromCache, clock.Elapsed.TotalSeconds,
            key, UnitRecord.Sha256Of(target), UnitRecord.Sha256Of(gccObject), DateTime.UtcNow);
        new UnitRecordStore(settings.ReportDirectory).Write(record);
        string variant = report.Variant is { IsBase: false } v ? $", variant {v.Variant}" : "";
        string how = gccSeconds is { } s ? $"gcc -S {s:F3} s, engine {report.OptimizerSeconds:F3} s" : "not compiled: its source and included files are unchanged";
        if (report.Status == UnitStatus.FellBack)
            log.Write(report.Fallback == UnitFallback.Timeout ? LauncherCode.Timeout : LauncherCode.UnitFellBack, $"{target}: keeps GCC's object: {report.Reason}");
        else
            log.Write(LauncherCode.UnitBuilt, $"{target}: {report.StatusText}, {report.Applied} rewrite(s){variant}{(report.FromCache ? " (cache)" : "")}, "
                + $"{clock.Elapsed.TotalSeconds:F3} s ({how})");
        return 0;
    }

    /// <summary>The variant model to use, or null (base everywhere): <c>variants</c> = default (when the package ships one), base, or a path.</summary>
    private string? VariantModelPath(string cwd)
    {
        string v = settings.Variants.Trim();
        if (v is "base" or "none") return null;
        string path = v is "" or "default" ? Variants.VariantPolicy.DefaultModelPath : Path.GetFullPath(Path.Combine(cwd, v));
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// GCC's object with the user's flags (replay puts it back; the models are read from it), then the unit's variant
    /// chosen and compiled and the engine's optimization of it, bounded by the timeout. Past the timeout, GCC's object is assembled apart (the
    /// engine's thread may still be writing its own files) and the report says why. Null when GCC's assembly itself does
    /// not assemble.
    /// </summary>
    private UnitReport? BuildWithin(UnitBuilder builder, TranslationUnit unit, Func<OptimizerOptions> options, ModelPrefetch models,
        Scoring.ScoringClient? server, Scoring.UnitJob? job, out string? fallbackObject, out bool? heldByServer)
    {
        fallbackObject = null;
        heldByServer = null;
        var run = Task.Run(() =>
        {
            // The resident server runs the unit when it can (its process has built what every unit needs once); when it
            // declines or fails, this process runs the same work.
            if (server is not null && job is not null && server.TryRun(job, settings.Timeout) is { } served)
            {
                switch (served.Outcome)
                {
                    case Scoring.UnitJobOutcome.Done when served.Report is { } report:
                        return (Report: report, HeldByServer: (bool?)served.EntryHeld);
                    case Scoring.UnitJobOutcome.GccObjectFailed:
                        throw new ServedGccObjectException(served.Message);
                }
            }
            if (server?.Declined is { } declined) log.Write(LauncherCode.ServerDeclined, $"{unit.Source}: the server does not run this unit ({declined}); running it here");
            return (Report: UnitWork.Run(builder, unit, options, models.Variant), HeldByServer: (bool?)null);
        });
        try
        {
            if (run.Wait(settings.Timeout))
            {
                heldByServer = run.Result.HeldByServer;
                return run.Result.Report;
            }
        }
        catch (AggregateException e) when (e.InnerException is GccObjectException or ServedGccObjectException)
        {
            string first = e.InnerException is GccObjectException gccFailed
                ? UnitBuilder.FirstErrorLine(gccFailed.Assembler.StandardError)
                : e.InnerException.Message;
            log.Write(LauncherCode.UnitFellBack, $"{unit.Source}: GCC's own assembly does not assemble ({first}); compiling unchanged");
            return null;
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            // The engine's own exception, not the task's wrapper, so that the caller's step-aside handlers see what failed.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
        fallbackObject = unit.Files.Object + ".timeout.o";
        var assembled = builder.Gcc.Assemble(unit.Files.Asm, unit.Arguments, fallbackObject);
        if (!assembled.Succeeded) return null;
        return UnitReport.FellBackFor(unit.Source, UnitFallback.Timeout, $"the engine did not finish within {settings.Timeout.TotalSeconds:0} s",
            "timeout", settings.Timeout.TotalSeconds);
    }

    /// <summary>The server found that GCC's own assembly does not assemble; the message is the assembler's first error line.</summary>
    private sealed class ServedGccObjectException(string firstErrorLine) : Exception(firstErrorLine);

    private static string UnitFilesRoot(string work) => Path.Combine(work, "unit");

    /// <summary>
    /// A private folder for the unit's intermediate files, in the system's temporary directory (as GCC's own
    /// temporaries are): not the cache, which may be read-only, full, or on a slow shared disk.
    /// </summary>
    private static string WorkDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"compilerllm-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
}
