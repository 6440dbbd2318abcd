using System.Collections;
using System.Diagnostics;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.EndToEnd.Tests;

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "packed CompilerLLM.Build";
}

/// <summary>
/// Once per test run: packs the package into a folder feed, writes a nuget.config (that feed plus nuget.org
/// for Microsoft.Build.NoTargets) and restores once into an isolated NUGET_PACKAGES shared by every test.
/// Projects live under <see cref="Root"/>/projects; the folder is deleted at the end unless a test failed.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public string RepositoryRoot { get; }
    public string Root { get; }
    public string Feed { get; }
    public string Packages { get; }
    public string Version { get; }
    public TimeSpan PackTime { get; }
    public long PackageSize { get; }
    public bool KeepRoot { get; set; }

    /// <summary>Every build's binlog of the last run, kept beside the test assembly (e2e-binlogs/), whatever the outcome.</summary>
    public string BinlogDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "e2e-binlogs");
    private int _counter;

    public PackageFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        if (Directory.Exists(BinlogDirectory)) Directory.Delete(BinlogDirectory, recursive: true);
        Directory.CreateDirectory(BinlogDirectory);
        Root = Directory.CreateTempSubdirectory("cllm-e2e-").FullName;
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Path.Combine(Root, "projects"));
        // Nothing above the projects may leak into them.
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="compilerllm-e2e" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="compilerllm-e2e"><package pattern="CompilerLLM.Build" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        var clock = Stopwatch.StartNew();
        // Packing uses the machine's package folder (the repository's own restore must not point into our temp dir).
        var pack = Dotnet(RepositoryRoot, isolated: false, "pack", Path.Combine(RepositoryRoot, "src", "Tasks", "CompilerLLM.Build.Tasks.csproj"),
            "-c", "Release", "-o", Feed, "--nologo");
        if (!pack.Succeeded) throw new InvalidOperationException("dotnet pack failed:\n" + pack.StandardOutput + pack.StandardError);
        PackTime = clock.Elapsed;
        var nupkg = Directory.GetFiles(Feed, "CompilerLLM.Build.*.nupkg").Single();
        PackageSize = new FileInfo(nupkg).Length;
        Version = Path.GetFileNameWithoutExtension(nupkg)["CompilerLLM.Build.".Length..];
    }

    /// <summary>A fresh project folder under Root/projects.</summary>
    public string NewProjectDirectory(string name)
    {
        string dir = Path.Combine(Root, "projects", $"{Interlocked.Increment(ref _counter):D2}-{name}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The dotnet CLI with the isolated package folder, without whatever MSBuild state the test host inherited.</summary>
    public ProcessResult Dotnet(string workingDirectory, params string[] args) => Dotnet(workingDirectory, isolated: true, args);

    private ProcessResult Dotnet(string workingDirectory, bool isolated, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
        if (isolated)
        {
            env["NUGET_PACKAGES"] = Packages;
            env["COMPILERLLM_CACHE_DIR"] = Path.Combine(Root, "unit-cache"); // the content cache of these builds, not the user's
        }
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            string key = (string)e.Key;
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) && key != "MSBUILDDISABLENODEREUSE") env[key] = null;
            if (key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || key == "DOTNET_HOST_PATH") env[key] = null;
        }
        return ProcessRunner.Run(new ProcessSpec("dotnet", args) { WorkingDirectory = workingDirectory, Environment = env, Timeout = TimeSpan.FromMinutes(5) });
    }

    public void Dispose()
    {
        if (KeepRoot) return;
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    private static string FindRepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CompilerLLM.Build.sln"))) return d.FullName;
        throw new InvalidOperationException("CompilerLLM.Build.sln not found above " + AppContext.BaseDirectory);
    }
}
