using System.Globalization;
using CompilerLLM.Caching;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher;

/// <summary>
/// <c>compilerllm-cc --replay --build CMD --test CMD</c>: the project's own tests decide. For the units of a build tree
/// that the launcher optimized, it installs GCC's objects or ours, relinks with the project's build command (the
/// launcher stepping aside) and runs the test command; when the optimized build behaves differently from GCC's, it
/// bisects over units (<see cref="Bisector"/>), puts GCC's objects back for the culprits and checks the result again.
/// The tree is left with the optimized objects of every unit that replayed identically.
/// </summary>
internal static class ReplayCommand
{
    private sealed record Options(string Build, string Test, string Directory, bool CompareOutput, TimeSpan Timeout);

    /// <summary>A unit in play: its record and where its two objects are kept during the replay.</summary>
    private sealed record Unit(UnitRecord Record, string Ours, string Gcc);

    public static int Run(LauncherSettings settings, string[] args)
    {
        if (Parse(args, out string? error) is not { } options)
        {
            Console.Error.WriteLine($"compilerllm-cc: --replay: {error}");
            return 2;
        }
        var log = new LauncherLog(settings.LogFile ?? Path.Combine(settings.CacheDirectory, "compilerllm.log"));
        var store = new UnitRecordStore(settings.ReportDirectory);
        var records = store.Under(options.Directory);
        using var work = new TempDirectory("compilerllm-replay-");
        var units = new List<Unit>();
        foreach (var record in records)
        {
            if (record.Status == UnitStatus.FellBack || record.ObjectSha256 == record.GccObjectSha256 || !File.Exists(record.Object)) continue;
            if (!record.IsCurrent())
            {
                Console.Error.WriteLine($"compilerllm-cc: replay: {record.Object} was rebuilt since it was optimized; leaving it out");
                continue;
            }
            int i = units.Count;
            string ours = work.File($"{i}.ours.o"), gcc = work.File($"{i}.gcc.o");
            File.Copy(record.Object, ours);
            if (!GccObjectOf(record, settings, gcc, out string? why))
            {
                Console.Error.WriteLine($"compilerllm-cc: replay: GCC's object of {record.Object} cannot be made ({why}); leaving it out");
                continue;
            }
            units.Add(new Unit(record, ours, gcc));
        }
        if (units.Count == 0)
        {
            Console.Out.WriteLine($"compilerllm-cc: replay: no optimized unit under {Path.GetFullPath(options.Directory)}; nothing to replay");
            return 0;
        }

        int builds = 0, runs = 0;
        ProgramOutcome? Try(IReadOnlySet<int> optimized)
        {
            foreach (var (unit, i) in units.Select((u, i) => (u, i)))
                Install(optimized.Contains(i) ? unit.Ours : unit.Gcc, unit.Record.Object);
            builds++;
            var build = UserProgram.RunShell(options.Build, options.Directory, options.Timeout, StepAside);
            if (build.ExitCode != 0 || build.TimedOut)
            {
                Console.Error.WriteLine($"compilerllm-cc: replay: the build command failed (exit {build.ExitCode}):\n{Tail(build.StandardOutput + build.StandardError)}");
                return null;
            }
            runs++;
            return UserProgram.RunShell(options.Test, options.Directory, options.Timeout, StepAside);
        }
        bool Same(ProgramOutcome a, ProgramOutcome? b) =>
            b is not null && !a.TimedOut && !b.TimedOut && a.ExitCode == b.ExitCode && (!options.CompareOutput || a.StandardOutput == b.StandardOutput);

        var none = new HashSet<int>();
        var all = Enumerable.Range(0, units.Count).ToHashSet();
        Console.Out.WriteLine($"compilerllm-cc: replay: {units.Count} optimized unit(s); GCC's build first");
        var baseline = Try(none);
        if (baseline is null) return 1;
        if (baseline.TimedOut)
        {
            Console.Error.WriteLine("compilerllm-cc: replay: the test command timed out on GCC's build; keeping GCC's objects");
            return 1;
        }
        var optimizedRun = Try(all);
        if (Same(baseline, optimizedRun))
        {
            string line = $"replay: identical (exit code {baseline.ExitCode}); every optimized unit kept; {builds} builds, {runs} test runs";
            log.Write(LauncherCode.Replay, line);
            Console.Out.WriteLine("compilerllm-cc: " + line);
            return 0;
        }
        if (!Same(baseline, Try(none)))
        {
            Console.Error.WriteLine("compilerllm-cc: replay: the test command does not behave the same twice on GCC's build; keeping GCC's objects");
            return 1;
        }
        Console.Out.WriteLine($"compilerllm-cc: replay: the optimized build behaves differently ({Describe(baseline, optimizedRun)}); bisecting {units.Count} unit(s)");
        var result = Bisector.FindCulprits(units.Count, set => Same(baseline, Try(set)));
        var keep = all.Where(i => !result.Culprits.Contains(i)).ToHashSet();
        var final = Try(keep);
        foreach (int c in result.Culprits)
        {
            var r = units[c].Record;
            log.Write(LauncherCode.ReplayCulprit, $"{r.Object}: behaves differently when optimized; GCC's object is back");
            Console.Out.WriteLine($"compilerllm-cc: replay: culprit {r.Object} ({r.Source}); GCC's object is back");
            store.Write(r with
            {
                Status = UnitStatus.FellBack, Reason = "test replay: behaves differently when optimized", Applied = 0,
                ObjectSha256 = r.GccObjectSha256, Time = DateTime.UtcNow,
            });
        }
        bool good = Same(baseline, final);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"replay: {result.Culprits.Count} culprit(s) of {units.Count} unit(s) fell back; the rebuilt project {(good ? "behaves like GCC's build" : "STILL DIFFERS")}; {builds} builds, {runs} test runs");
        log.Write(LauncherCode.Replay, summary);
        Console.Out.WriteLine("compilerllm-cc: " + summary);
        if (good) return 0;
        Try(none);
        Console.Error.WriteLine("compilerllm-cc: replay: GCC's objects are back for every unit");
        return 1;
    }

    /// <summary>The launcher steps aside during replay builds: a unit make decides to recompile gets GCC's plain object.</summary>
    private static readonly IReadOnlyDictionary<string, string?> StepAside = new Dictionary<string, string?> { ["COMPILERLLM_OPTIMIZE"] = "false" };

    /// <summary>Puts an object in place through a rename, and makes it newer than what it was built from, so the build command relinks.</summary>
    private static void Install(string source, string target)
    {
        string temp = Outputs.TempFor(target);
        File.Copy(source, temp, overwrite: true);
        File.SetLastWriteTimeUtc(temp, DateTime.UtcNow);
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>GCC's object of a unit: from the cache entry, else made again by the unit's own command with the launcher aside; checked against the record.</summary>
    private static bool GccObjectOf(UnitRecord record, LauncherSettings settings, string destination, out string? why)
    {
        why = null;
        if (record.CacheKey is { } key)
        {
            var cache = new ContentCache(settings.CacheDirectory, settings.CacheSize);
            if (cache.TryGet(new CacheKey(key), new Dictionary<string, string> { ["gcc.o"] = destination }) == CacheLookup.Hit
                && UnitRecord.Sha256Of(destination) == record.GccObjectSha256) return true;
        }
        var args = new List<string>(record.Arguments.Count + 2);
        for (int i = 0; i < record.Arguments.Count; i++)
        {
            string a = record.Arguments[i];
            if (a == "-o") { i++; continue; }
            if (a.StartsWith("-o", StringComparison.Ordinal)) continue;
            args.Add(a);
        }
        args.AddRange(["-o", destination]);
        // Only the object is wanted: the command's dependency file must not be rewritten.
        var gcc = new Gcc(ToolchainOptions.Default with { Compiler = record.Compiler }, record.WorkingDirectory);
        var compiled = gcc.Invoke([.. Gcc.WithoutDependencyOptions(args)]);
        if (!compiled.Succeeded)
        {
            why = UnitBuilder.FirstErrorLine(compiled.StandardError);
            return false;
        }
        if (UnitRecord.Sha256Of(destination) == record.GccObjectSha256) return true;
        why = "the compiler now makes a different object than when the unit was built";
        return false;
    }

    private static Options? Parse(string[] args, out string? error)
    {
        string? build = null, test = null, dir = ".";
        bool compareOutput = false;
        double timeout = 600;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--build": build = Value(); break;
                case "--test": test = Value(); break;
                case "--dir": dir = Value(); break;
                case "--compare":
                    string? mode = Value();
                    if (mode is not ("exit" or "output")) { error = "--compare takes exit or output"; return null; }
                    compareOutput = mode == "output";
                    break;
                case "--timeout":
                    if (!double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out timeout) || timeout <= 0)
                    { error = "--timeout takes a positive number of seconds"; return null; }
                    break;
                default:
                    error = $"unknown option '{args[i]}'";
                    return null;
            }
        }
        if (string.IsNullOrWhiteSpace(build) || string.IsNullOrWhiteSpace(test) || dir is null)
        {
            error = "--build CMD and --test CMD are required (e.g. --build make --test 'make check')";
            return null;
        }
        return new Options(build, test, Path.GetFullPath(dir), compareOutput, TimeSpan.FromSeconds(timeout));
    }

    private static string Describe(ProgramOutcome expected, ProgramOutcome? actual) =>
        actual is null ? "it does not build" : actual.TimedOut ? "the tests time out" : expected.ExitCode != actual.ExitCode
            ? $"test exit code {actual.ExitCode} instead of {expected.ExitCode}" : "the test output differs";

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(15));
}
