using System.Diagnostics;
using System.Text.Json;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>What test replay did, written as replay.json beside the TUs' reports.</summary>
public sealed record ReplayReport(
    string Final,
    bool Tested,
    string? Command,
    int? BaselineExitCode,
    bool? Identical,
    IReadOnlyList<string> Culprits,
    int Builds,
    int Runs,
    double Seconds,
    string? Reason)
{
    public const string FinalOptimized = "optimized";
    public const string FinalPartial = "partially optimized";
    public const string FinalBaseline = "gcc (fallback)";
    public const string FinalUnoptimized = "gcc (optimizer off)";
}

/// <summary>
/// Produces <c>NativeOutputPath</c>. Optimizer off: links (or archives) GCC's objects. Optimizer on: links the
/// optimized objects; with a test command, also GCC's, replays the command against both (each placed at
/// <c>NativeOutputPath</c> in turn, so the command runs exactly as the user wrote it), and if they behave
/// differently bisects over translation units, falls back for the culprits only, relinks and replays
/// again. The final artifact is always one that replayed identically (or GCC's own build).
/// </summary>
public sealed class LinkNative : CompilerLlmTask
{
    [Required] public ITaskItem[] TranslationUnits { get; set; } = [];
    [Required] public string NativeOutputPath { get; set; } = "";
    public string? NativeOutputType { get; set; }
    [Required] public string Compiler { get; set; } = "gcc";
    public string Archiver { get; set; } = "ar";
    public string? LinkFlags { get; set; }
    public bool Optimize { get; set; }
    public string? TestCommand { get; set; }
    public string? TestTimeout { get; set; }
    [Required] public string ProjectDirectory { get; set; } = ".";
    /// <summary>Where candidate links go (obj/…/compilerllm/link/).</summary>
    [Required] public string WorkDirectory { get; set; } = "";
    [Required] public string ReplayReportFile { get; set; } = "";

    private Gcc _toolchain = null!;
    private UnitItem[] _units = [];
    private string _type = "Application";
    private List<string> _linkFlags = [];
    private int _builds, _runs;

    public override bool Execute()
    {
        _units = UnitItem.From(TranslationUnits);
        _toolchain = new Gcc(ToolchainOptions.Default with { Compiler = Compiler, Archiver = Archiver }, ProjectDirectory);
        _type = string.IsNullOrWhiteSpace(NativeOutputType) ? "Application" : NativeOutputType.Trim();
        _linkFlags = CommandLine.Split(LinkFlags);
        Directory.CreateDirectory(WorkDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(NativeOutputPath))!);
        var clock = Stopwatch.StartNew();
        try
        {
            var report = Optimize ? LinkOptimized() : LinkPlain();
            if (report is null) return false;
            report = report with { Builds = _builds, Runs = _runs, Seconds = clock.Elapsed.TotalSeconds };
            File.WriteAllText(ReplayReportFile, JsonSerializer.Serialize(report, Reports.Json));
        }
        catch (ToolNotFoundException e)
        {
            Report(Diagnostics.ToolFailedToStart, e.ToolName, e.Message);
        }
        return !Log.HasLoggedErrors;
    }

    private ReplayReport? LinkPlain()
    {
        string? built = Build("gcc", new bool[_units.Length], reportErrors: true);
        if (built is null) return null;
        Outputs.CopyIfDifferent(built, NativeOutputPath);
        return new ReplayReport(ReplayReport.FinalUnoptimized, false, null, null, null, [], 0, 0, 0, null);
    }

    private ReplayReport? LinkOptimized()
    {
        int n = _units.Length;
        var all = Enumerable.Repeat(true, n).ToArray();
        bool replay = !string.IsNullOrWhiteSpace(TestCommand);
        string? optimized = null, baseline = null;
        // Both links at once when both are needed (two linkers, independent outputs).
        Parallel.Invoke(
            () => optimized = Build("optimized", all, reportErrors: false),
            () => { if (replay) baseline = Build("gcc", new bool[n], reportErrors: false); });
        if (!replay)
        {
            Report(new PendingDiagnostic(Diagnostics.NoTestCommand, null, 0, [], MessageImportance.Low));
            if (optimized is not null)
            {
                Outputs.CopyIfDifferent(optimized, NativeOutputPath);
                return new ReplayReport(ReplayReport.FinalOptimized, false, null, null, null, [], 0, 0, 0, null);
            }
            string? plain = Build("gcc", new bool[n], reportErrors: true);
            if (plain is null) return null;
            Report(Diagnostics.OptimizedLinkFailed, _lastLinkError);
            Outputs.CopyIfDifferent(plain, NativeOutputPath);
            return new ReplayReport(ReplayReport.FinalBaseline, false, null, null, null, [], 0, 0, 0, "the optimized objects do not link: " + _lastLinkError);
        }

        if (baseline is null)
        {
            Report(Diagnostics.LinkFailed, _type, NativeOutputPath, _linkErrors.GetValueOrDefault("gcc", "?"));
            return null;
        }
        int timeoutSeconds = int.TryParse(TestTimeout, out int t) && t > 0 ? t : 60;
        var first = RunTest(baseline, timeoutSeconds);
        if (first.TimedOut)
        {
            Report(Diagnostics.BaselineTimedOut, timeoutSeconds);
            return Final(baseline, ReplayReport.FinalBaseline, null, false, [], "the test command timed out on GCC's build");
        }
        if (first.ExitCode != 0) Report(Diagnostics.BaselineTestFails, first.ExitCode);
        bool Good(IReadOnlySet<int> set)
        {
            string? candidate = Build("candidate", Enumerable.Range(0, n).Select(set.Contains).ToArray(), reportErrors: false);
            return candidate is not null && RunTest(candidate, timeoutSeconds).SameBehaviourAs(first);
        }

        // The common case costs one run of each build. Only a difference pays for a second run of GCC's build,
        // which tells a non-deterministic test command (keep GCC's build) from a real difference (bisect).
        ProgramOutcome? outcome = optimized is null ? null : RunTest(optimized, timeoutSeconds);
        if (outcome is not null && outcome.SameBehaviourAs(first))
        {
            Report(new PendingDiagnostic(Diagnostics.ReplayIdentical, null, 0, [Summarize(first)], MessageImportance.Normal));
            return Final(optimized!, ReplayReport.FinalOptimized, first.ExitCode, true, [], null);
        }
        var second = RunTest(baseline, timeoutSeconds);
        if (!first.SameBehaviourAs(second))
        {
            Report(Diagnostics.FlakyTest, Describe(first, second));
            return Final(baseline, ReplayReport.FinalBaseline, first.ExitCode, false, [], "the test command is not deterministic");
        }
        Report(Diagnostics.ReplayDiffers, outcome is null ? "the optimized objects do not link: " + _lastLinkError : Describe(first, outcome), n);

        var result = Bisector.FindCulprits(n, Good);
        var culprits = result.Culprits.Select(i => _units[i].Source).ToList();
        foreach (int i in result.Culprits)
            ReportAt(_units[i].Source, 0, Diagnostics.CulpritFallsBack, _units[i].Source, $"found in {result.Evaluations} bisection builds");
        if (culprits.Count == n)
            return Final(baseline, ReplayReport.FinalBaseline, first.ExitCode, false, culprits, "every translation unit is a culprit");
        var keep = Enumerable.Range(0, n).Select(i => !result.Culprits.Contains(i)).ToArray();
        string? partial = Build("partial", keep, reportErrors: false);
        if (partial is not null && RunTest(partial, timeoutSeconds).SameBehaviourAs(first))
            return Final(partial, ReplayReport.FinalPartial, first.ExitCode, false, culprits, null);
        Report(Diagnostics.ReplayStillDiffers, culprits.Count);
        return Final(baseline, ReplayReport.FinalBaseline, first.ExitCode, false, culprits, "the build still differed after the fallbacks");
    }

    private ReplayReport Final(string artifact, string kind, int? exitCode, bool? identical, IReadOnlyList<string> culprits, string? reason)
    {
        Outputs.CopyIfDifferent(artifact, NativeOutputPath);
        return new ReplayReport(kind, true, TestCommand, exitCode, identical, culprits, 0, 0, 0, reason);
    }

    private string _lastLinkError = "";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _linkErrors = new();

    /// <summary>Links GCC's object or ours per TU (true = optimized) into WorkDirectory/name; null on failure.</summary>
    private string? Build(string name, bool[] optimized, bool reportErrors)
    {
        Interlocked.Increment(ref _builds);
        var objects = _units.Select((u, i) => optimized[i] ? u.Files.OptimizedObject : u.Files.Object).ToList();
        string output = Path.Combine(WorkDirectory, name + Path.GetExtension(NativeOutputPath));
        var r = _toolchain.Link(Enum.Parse<NativeOutputKind>(_type), objects, output, _linkFlags);
        if (r.Succeeded) return output;
        string error = r.StandardError.Trim();
        _linkErrors[name] = error;
        if (reportErrors) Report(Diagnostics.LinkFailed, _type, NativeOutputPath, error);
        else if (name != "gcc") _lastLinkError = error;
        return null;
    }

    /// <summary>Places the candidate at NativeOutputPath and runs the command through /bin/sh in the project directory.</summary>
    private ProgramOutcome RunTest(string candidate, int timeoutSeconds)
    {
        _runs++;
        Outputs.CopyIfDifferent(candidate, NativeOutputPath);
        return UserProgram.RunShell(TestCommand!, ProjectDirectory, TimeSpan.FromSeconds(timeoutSeconds),
            new Dictionary<string, string?> { ["COMPILERLLM_ARTIFACT"] = Path.GetFullPath(NativeOutputPath) });
    }

    private static string Summarize(ProgramOutcome o) =>
        $"exit code {o.ExitCode}, {o.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} line(s) of output";

    /// <summary>How two outcomes differ, briefly: exit codes, timeouts, or the first differing output line.</summary>
    public static string Describe(ProgramOutcome expected, ProgramOutcome actual)
    {
        if (actual.TimedOut) return "the test command timed out";
        if (expected.ExitCode != actual.ExitCode) return $"exit code {actual.ExitCode} instead of {expected.ExitCode}";
        var a = expected.StandardOutput.Split('\n');
        var b = actual.StandardOutput.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string x = i < a.Length ? a[i] : "<end of output>", y = i < b.Length ? b[i] : "<end of output>";
            if (x != y) return $"output line {i + 1} is '{Clip(y)}' instead of '{Clip(x)}'";
        }
        return "same output";
    }

    private static string Clip(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
