using System.Text.Json;
using CompilerLLM.Caching;

namespace CompilerLLM.Launcher;

/// <summary>The launcher's own commands (<c>--show-config</c>, <c>--report</c>, <c>--replay</c>, <c>--clear-cache</c>).</summary>
internal static class LauncherCommands
{
    public static int Run(string[] args)
    {
        var settings = LauncherSettings.Load(Environment.GetEnvironmentVariable, out var problems);
        switch (args[0])
        {
            case "--show-config":
                return ShowConfig(settings, problems);
            case "--report":
                return Report(settings, args.Length > 1 ? args[1] : ".", args.Contains("--json"));
            case "--replay":
                return ReplayCommand.Run(settings, args[1..]);
            case "--clear-cache":
                new ContentCache(settings.CacheDirectory, settings.CacheSize).Clear();
                Console.Out.WriteLine($"compilerllm-cc: cleared {settings.CacheDirectory}");
                return 0;
            default:
                Console.Error.WriteLine($"compilerllm-cc: unknown command '{args[0]}' (see --help)");
                return 2;
        }
    }

    private static int ShowConfig(LauncherSettings s, List<SettingProblem> problems)
    {
        Console.Out.WriteLine($"config file: {s.ConfigFile ?? "(none)"}");
        Console.Out.WriteLine($"optimize    = {s.Optimize.ToString().ToLowerInvariant()}");
        Console.Out.WriteLine($"policy      = {s.Policy}");
        Console.Out.WriteLine($"variants    = {s.Variants}");
        Console.Out.WriteLine($"cache       = {s.Cache.ToString().ToLowerInvariant()}");
        Console.Out.WriteLine($"cache_dir   = {s.CacheDirectory}");
        Console.Out.WriteLine($"cache_size  = {s.CacheSize}");
        Console.Out.WriteLine($"report_dir  = {s.ReportDirectory}");
        Console.Out.WriteLine($"log_file    = {s.LogFile ?? Path.Combine(s.CacheDirectory, "compilerllm.log")}");
        Console.Out.WriteLine($"timeout     = {s.Timeout.TotalSeconds}");
        Console.Out.WriteLine($"validate    = {(s.ValidateWithSmt ? "smt" : "none")}");
        var (entries, bytes) = new ContentCache(s.CacheDirectory, s.CacheSize).Measure();
        Console.Out.WriteLine($"cache holds {entries} unit(s), {bytes / 1024.0 / 1024.0:F1} MB of {s.CacheSize / 1024.0 / 1024.0:F0} MB");
        foreach (var p in problems) Console.Error.WriteLine($"{p.Where}: error CLLM{(int)LauncherCode.Configuration}: {p.Message}");
        return problems.Count == 0 ? 0 : 1;
    }

    private static int Report(LauncherSettings s, string directory, bool json)
    {
        var records = new UnitRecordStore(s.ReportDirectory).Under(directory).Where(r => File.Exists(r.Object)).ToList();
        var report = BuildReport.Of(Path.GetFullPath(directory), records);
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(report, LauncherJson.Default.BuildReport));
        else
        {
            foreach (var r in records.Where(r => r.Status == Pipeline.UnitStatus.FellBack))
                Console.Out.WriteLine($"{r.Object}: fallback: {r.Reason}");
            Console.Out.WriteLine(report.Line);
        }
        return 0;
    }
}
