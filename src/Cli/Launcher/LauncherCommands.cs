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
            case "--server":
                return RunServer(settings, problems, args[1..]);
            case "--server-status":
                return ServerStatus(settings);
            case "--stop-server":
                using (var client = Scoring.ScoringClient.For(settings, startServer: false))
                {
                    bool stopped = client.Stop();
                    Console.Out.WriteLine(stopped ? "compilerllm-cc: the scoring server stops" : "compilerllm-cc: no scoring server is running");
                    return 0;
                }
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
        Console.Out.WriteLine($"server      = {s.Server.ToString().ToLowerInvariant()}");
        Console.Out.WriteLine($"server_idle = {s.ServerIdle.TotalSeconds}");
        Console.Out.WriteLine($"server_dir  = {s.ServerDirectory}");
        var (entries, bytes) = new ContentCache(s.CacheDirectory, s.CacheSize).Measure();
        Console.Out.WriteLine($"cache holds {entries} unit(s), {bytes / 1024.0 / 1024.0:F1} MB of {s.CacheSize / 1024.0 / 1024.0:F0} MB");
        foreach (var p in problems) Console.Error.WriteLine($"{p.Where}: error CLLM{(int)LauncherCode.Configuration}: {p.Message}");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary><c>--server [--idle SECONDS]</c>: the scoring server, in the foreground (the launcher starts it detached).</summary>
    private static int RunServer(LauncherSettings settings, List<SettingProblem> problems, string[] args)
    {
        if (problems.Count > 0)
        {
            foreach (var p in problems) Console.Error.WriteLine($"{p.Where}: error CLLM{(int)LauncherCode.Configuration}: {p.Message}");
            return 1;
        }
        var idle = settings.ServerIdle;
        if (args is ["--idle", var seconds])
        {
            if (!double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double s) || s <= 0)
            {
                Console.Error.WriteLine($"compilerllm-cc: --idle '{seconds}' is not a positive number of seconds");
                return 2;
            }
            idle = TimeSpan.FromSeconds(s);
        }
        else if (args.Length > 0)
        {
            Console.Error.WriteLine("compilerllm-cc: usage: compilerllm-cc --server [--idle SECONDS]");
            return 2;
        }
        return new Scoring.ScoringServer(new Scoring.ServerPaths(settings.ServerDirectory), idle).Run();
    }

    private static int ServerStatus(LauncherSettings settings)
    {
        using var client = Scoring.ScoringClient.For(settings, startServer: false);
        if (client.Status() is not { } status)
        {
            Console.Out.WriteLine($"compilerllm-cc: no scoring server answers at {Path.Combine(settings.ServerDirectory, "scoring.sock")}");
            return 1;
        }
        Console.Out.WriteLine($"scoring server: pid {status.ProcessId}, up {(DateTime.UtcNow - status.Started).TotalSeconds:F0} s, "
            + $"{status.Requests} request(s), {status.Rows} row(s) scored, {status.Units} unit(s) run");
        foreach (var model in status.Models) Console.Out.WriteLine($"  model: {model}");
        return 0;
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
