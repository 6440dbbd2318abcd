using System.Globalization;

namespace CompilerLLM.Launcher;

/// <summary>One setting of the launcher: its name in the configuration file, its environment variable, its default and meaning.</summary>
public sealed record SettingInfo(string Key, string Variable, string Default, string Meaning);

/// <summary>A configuration line the launcher cannot use (file and line, like a compiler's diagnostic).</summary>
public sealed record SettingProblem(string Where, string Message);

/// <summary>
/// How the launcher behaves, ccache-style: built-in defaults, then the configuration file (<c>key = value</c> lines,
/// <c>#</c> comments), then environment variables, each overriding the one before. The table of settings is
/// <see cref="All"/>; README and <c>compilerllm-cc --show-config</c> print from it.
/// </summary>
public sealed record LauncherSettings
{
    public static readonly IReadOnlyList<SettingInfo> All =
    [
        new("optimize", "COMPILERLLM_OPTIMIZE", "true", "Optimize compile-to-object invocations; false: every invocation runs the compiler unchanged (exec)."),
        new("policy", "COMPILERLLM_POLICY", "default", "How rewrites are chosen: default (the shipped ONNX model), all, none, or a path to an .onnx model."),
        new("variants", "COMPILERLLM_VARIANTS", "base", "How each unit is compiled: base (the user's flags), default (the shipped variant model), or a model path. Base by default: the launcher has no profile, and without one the shipped model measured no gain (docs/variants.md)."),
        new("cache", "COMPILERLLM_CACHE", "true", "Use the content cache of optimized units."),
        new("cache_dir", "COMPILERLLM_CACHE_DIR", "$XDG_CACHE_HOME/compilerllm (~/.cache/compilerllm)", "The cache directory; may be on storage shared between machines."),
        new("cache_size", "COMPILERLLM_CACHE_SIZE", "2G", "Size cap of the cache (K, M, G suffixes); least recently used entries go first."),
        new("report_dir", "COMPILERLLM_REPORT_DIR", "<cache_dir>/units", "Where each compiled unit's record goes (what --report and --replay read)."),
        new("log_file", "COMPILERLLM_LOG_FILE", "(none)", "Append one line per unit (and every coded warning) to this file."),
        new("timeout", "COMPILERLLM_TIMEOUT", "120", "Seconds the engine may spend on one unit before GCC's object is used."),
        new("validate", "COMPILERLLM_VALIDATE", "none", "smt: re-prove every applied rewrite with z3 (slow)."),
        new("server", "COMPILERLLM_SERVER", "true", "Score with the resident scoring server (started on first use, one per user), so ONNX Runtime and the models load once per build instead of once per unit; false: every unit loads them itself."),
        new("server_engine", "COMPILERLLM_SERVER_ENGINE", "true", "With the server on, it also runs each unit's engine work (GCC's object, the variant choice, the optimization) in its process, which has built the rule catalogues, Iced's tables and the models once; false: each unit runs it in its own process (and the server only scores)."),
        new("server_idle", "COMPILERLLM_SERVER_IDLE", "600", "Seconds without a request after which the scoring server exits."),
        new("server_dir", "COMPILERLLM_SERVER_DIR", "$XDG_RUNTIME_DIR/compilerllm, else /tmp/compilerllm-$USER", "The scoring server's private directory (mode 700): its socket and lock."),
        new("fault_injection", "COMPILERLLM_FAULT_INJECTION", "(none)", "Tests only: corrupt a rewrite of this function, so that replay can be shown to catch it."),
    ];

    /// <summary>The configuration file: <c>$COMPILERLLM_CONFIG</c>, else <c>$XDG_CONFIG_HOME/compilerllm/compilerllm.conf</c>.</summary>
    public const string ConfigVariable = "COMPILERLLM_CONFIG";

    public bool Optimize { get; init; } = true;
    public string Policy { get; init; } = "default";
    public string Variants { get; init; } = "base";
    public bool Cache { get; init; } = true;
    public string CacheDirectory { get; init; } = DefaultCacheDirectory();
    public long CacheSize { get; init; } = 2L << 30;
    public string? ReportDirectoryOverride { get; init; }
    public string? LogFile { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);
    public bool ValidateWithSmt { get; init; }
    public string? FaultInjectionFunction { get; init; }
    public bool Server { get; init; } = true;
    public bool ServerEngine { get; init; } = true;
    public TimeSpan ServerIdle { get; init; } = TimeSpan.FromSeconds(600);
    public string ServerDirectory { get; init; } = Scoring.ServerPaths.DefaultDirectory();

    /// <summary>Where unit records go.</summary>
    public string ReportDirectory => ReportDirectoryOverride ?? Path.Combine(CacheDirectory, "units");

    /// <summary>The file the settings were read from, if any.</summary>
    public string? ConfigFile { get; init; }

    private static string DefaultCacheDirectory() => Pipeline.UnitCache.DefaultDirectory();

    private static string DefaultConfigFile()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        string home = Environment.GetEnvironmentVariable("HOME") ?? Path.GetTempPath();
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".config") : xdg, "compilerllm", "compilerllm.conf");
    }

    /// <summary>The settings of this process: defaults, the configuration file, the environment. Problems are returned, never thrown.</summary>
    public static LauncherSettings Load(Func<string, string?> environment, out List<SettingProblem> problems)
    {
        problems = [];
        var settings = new LauncherSettings();
        string configFile = environment(ConfigVariable) is { Length: > 0 } explicitFile ? explicitFile : DefaultConfigFile();
        if (File.Exists(configFile))
        {
            settings = settings with { ConfigFile = configFile };
            string[] lines;
            try
            {
                lines = File.ReadAllLines(configFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new SettingProblem(configFile, $"cannot read the configuration file: {e.Message}"));
                lines = [];
            }
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0 || line.StartsWith('#')) continue;
                int eq = line.IndexOf('=');
                string where = $"{configFile}:{i + 1}";
                if (eq <= 0)
                {
                    problems.Add(new SettingProblem(where, $"expected 'key = value', found '{line}'"));
                    continue;
                }
                settings = settings.With(line[..eq].Trim(), line[(eq + 1)..].Trim(), where, problems);
            }
        }
        foreach (var info in All)
        {
            if (environment(info.Variable) is { } value) settings = settings.With(info.Key, value.Trim(), info.Variable, problems);
        }
        return settings;
    }

    /// <summary>These settings with one more <paramref name="key"/> = <paramref name="value"/> applied (a bad value is a problem, the old value stays).</summary>
    public LauncherSettings With(string key, string value, string where, List<SettingProblem> problems)
    {
        switch (key)
        {
            case "optimize":
                return Bool(value, where, problems) is { } optimize ? this with { Optimize = optimize } : this;
            case "policy":
                return this with { Policy = value };
            case "variants":
                return this with { Variants = value };
            case "cache":
                return Bool(value, where, problems) is { } cache ? this with { Cache = cache } : this;
            case "cache_dir":
                return value.Length == 0 ? this : this with { CacheDirectory = ExpandHome(value) };
            case "cache_size":
                if (Caching.ContentCache.ParseSize(value) is { } size) return this with { CacheSize = size };
                problems.Add(new SettingProblem(where, $"cache_size '{value}' is not a size (e.g. 500M, 2G)"));
                return this;
            case "report_dir":
                return this with { ReportDirectoryOverride = value.Length == 0 ? null : ExpandHome(value) };
            case "log_file":
                return this with { LogFile = value.Length == 0 ? null : ExpandHome(value) };
            case "timeout":
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0)
                    return this with { Timeout = TimeSpan.FromSeconds(seconds) };
                problems.Add(new SettingProblem(where, $"timeout '{value}' is not a positive number of seconds"));
                return this;
            case "validate":
                if (value is "none" or "smt" or "") return this with { ValidateWithSmt = value == "smt" };
                problems.Add(new SettingProblem(where, $"validate '{value}' is not none or smt"));
                return this;
            case "server":
                return Bool(value, where, problems) is { } server ? this with { Server = server } : this;
            case "server_engine":
                return Bool(value, where, problems) is { } engine ? this with { ServerEngine = engine } : this;
            case "server_idle":
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double idle) && idle > 0)
                    return this with { ServerIdle = TimeSpan.FromSeconds(idle) };
                problems.Add(new SettingProblem(where, $"server_idle '{value}' is not a positive number of seconds"));
                return this;
            case "server_dir":
                return value.Length == 0 ? this : this with { ServerDirectory = ExpandHome(value) };
            case "fault_injection":
                return this with { FaultInjectionFunction = value.Length == 0 ? null : value };
            default:
                problems.Add(new SettingProblem(where, $"unknown setting '{key}' (known: {string.Join(", ", All.Select(s => s.Key))})"));
                return this;
        }
    }

    private static bool? Bool(string value, string where, List<SettingProblem> problems)
    {
        switch (value.ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                return true;
            case "false" or "0" or "no" or "off":
                return false;
            default:
                problems.Add(new SettingProblem(where, $"'{value}' is not true or false"));
                return null;
        }
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "", path[2..]) : path;
}
