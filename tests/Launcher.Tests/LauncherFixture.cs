using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher.Tests;

/// <summary>A scratch folder with its own launcher cache and configuration, and ways to run the launcher and gcc in it.</summary>
public sealed class LauncherSandbox : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-launcher-tests-");

    public LauncherSandbox()
    {
        Directory.CreateDirectory(Work);
        Environment = new Dictionary<string, string?>
        {
            ["COMPILERLLM_CACHE_DIR"] = CacheDirectory,
            ["COMPILERLLM_CONFIG"] = System.IO.Path.Combine(_temp.Path, "no-such.conf"),
            ["COMPILERLLM_POLICY"] = "all",
            ["COMPILERLLM_OPTIMIZE"] = null,
            ["COMPILERLLM_FAULT_INJECTION"] = null,
            ["COMPILERLLM_REPORT_DIR"] = null,
            ["COMPILERLLM_LOG_FILE"] = null,
            // A scoring server a test starts is the sandbox's own, and does not outlive it by long.
            ["COMPILERLLM_SERVER"] = null,
            ["COMPILERLLM_SERVER_ENGINE"] = null,
            ["COMPILERLLM_SERVER_DIR"] = ServerDirectory,
            ["COMPILERLLM_SERVER_IDLE"] = "20",
        };
    }

    public string Path => _temp.Path;
    public string Work => System.IO.Path.Combine(_temp.Path, "work");
    public string CacheDirectory => System.IO.Path.Combine(_temp.Path, "cache");
    public string ServerDirectory => System.IO.Path.Combine(_temp.Path, "server");
    public string LogFile => System.IO.Path.Combine(CacheDirectory, "compilerllm.log");
    public Dictionary<string, string?> Environment { get; }

    /// <summary>The launcher's executable as built beside the tests (the apphost of compilerllm-cc).</summary>
    public static string Launcher => System.IO.Path.Combine(AppContext.BaseDirectory, "compilerllm-cc");

    public string Write(string relative, string text)
    {
        string full = System.IO.Path.Combine(Work, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, text);
        return full;
    }

    public string File(string relative) => System.IO.Path.Combine(Work, relative);

    public byte[] Bytes(string relative) => System.IO.File.ReadAllBytes(File(relative));

    public ProcessResult Run(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? extra = null, string? stdin = null)
    {
        var env = new Dictionary<string, string?>(Environment);
        if (extra is not null) foreach (var (k, v) in extra) env[k] = v;
        return ProcessRunner.Run(new ProcessSpec(program, args) { WorkingDirectory = Work, Environment = env, StandardInput = stdin, Timeout = TimeSpan.FromMinutes(3) });
    }

    /// <summary>Runs <paramref name="program"/> in <paramref name="directory"/> (another directory of the sandbox).</summary>
    public ProcessResult RunIn(string directory, string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>(Environment);
        if (extra is not null) foreach (var (k, v) in extra) env[k] = v;
        return ProcessRunner.Run(new ProcessSpec(program, args) { WorkingDirectory = directory, Environment = env, Timeout = TimeSpan.FromMinutes(3) });
    }

    /// <summary>The launcher in front of <paramref name="compiler"/>.</summary>
    public ProcessResult Cc(string compiler, string commandLine, IReadOnlyDictionary<string, string?>? extra = null, string? stdin = null) =>
        Run(Launcher, [compiler, .. ShellWords.Split(commandLine)], extra, stdin);

    public ProcessResult Gcc(string commandLine, string? stdin = null) => Run("gcc", ShellWords.Split(commandLine), null, stdin);

    public string Log => System.IO.File.Exists(LogFile) ? System.IO.File.ReadAllText(LogFile) : "";

    public void Dispose()
    {
        if (System.IO.File.Exists(System.IO.Path.Combine(ServerDirectory, "scoring.sock"))) Run(Launcher, ["--stop-server"]);
        _temp.Dispose();
    }
}

/// <summary>Small C programs the tests compile.</summary>
public static class Sources
{
    /// <summary>Loops and arithmetic that the rewrite catalogue has something to say about (policy all).</summary>
    public const string Kernel = """
        #include <stdio.h>
        #include <stdint.h>
        uint32_t mix(uint32_t h, const unsigned char *p, int n)
        {
            for (int i = 0; i < n; i++) { h ^= p[i]; h *= 16777619u; h += h >> 7; }
            return h;
        }
        long sum3(const long *a, int n) { long s = 0; for (int i = 0; i < n; i++) s += a[i] * 3; return s; }
        int main(void)
        {
            unsigned char buf[256]; long a[64];
            for (int i = 0; i < 256; i++) buf[i] = (unsigned char)(i * 7);
            for (int i = 0; i < 64; i++) a[i] = i - 20;
            printf("%u %ld\n", mix(2166136261u, buf, 256), sum3(a, 64));
            return 0;
        }
        """;
}
