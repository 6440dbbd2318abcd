using System.Text.RegularExpressions;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.EndToEnd.Tests;

/// <summary>What one `dotnet build` did: exit code, console output (normal verbosity), the detailed file log and the binlog.</summary>
public sealed record BuildResult(int ExitCode, string Output, string DetailedLog, string Binlog, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public IReadOnlyList<string> WarningCodes => Codes("warning");
    public IReadOnlyList<string> ErrorCodes => Codes("error");

    private List<string> Codes(string kind) =>
        Regex.Matches(Output, $@": {kind} (\w+\d+):").Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>Lines of the console output for a diagnostic code.</summary>
    public IEnumerable<string> Lines(string code) => Output.Split('\n')
        .Where(l => l.Contains(code + ":", StringComparison.Ordinal))
        .Select(l => Regex.Replace(l.Trim(), @"^\d+>", "").Trim())
        .Distinct();

    public bool Skipped(string target) =>
        DetailedLog.Contains($"Skipping target \"{target}\" because all output files are up-to-date", StringComparison.Ordinal);

    public bool Ran(string target) =>
        DetailedLog.Contains($"Building target \"{target}\" completely", StringComparison.Ordinal)
        || DetailedLog.Contains($"Building target \"{target}\" partially", StringComparison.Ordinal);
}

/// <summary>A C project consuming the packed package, created under the fixture's root.</summary>
public sealed class TestProject
{
    private readonly PackageFixture _fixture;
    private int _builds;

    public TestProject(PackageFixture fixture, string name)
    {
        _fixture = fixture;
        Directory = fixture.NewProjectDirectory(name);
        Name = Path.GetFileName(Directory);
    }

    public string Directory { get; }
    public string Name { get; }
    public string ProjectFile => Path.Combine(Directory, "project.csproj");
    public string IntermediateDirectory(string configuration = "Release") => Path.Combine(Directory, "obj", configuration, "net10.0", "compilerllm");
    public string NativeOutput(string configuration = "Release", string? name = null) => Path.Combine(Directory, "bin", configuration, "native", name ?? "project");

    public string Write(string relative, string text)
    {
        string full = Path.Combine(Directory, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>The project file: the package reference plus the given properties and ClCompile items.</summary>
    public void WriteProject(string properties, string items) => Write("project.csproj", $"""
        <Project Sdk="Microsoft.Build.NoTargets/3.7.0">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
        {properties}
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="CompilerLLM.Build" Version="{_fixture.Version}" PrivateAssets="all" />
        {items}
          </ItemGroup>
        </Project>
        """);

    /// <summary>`dotnet build` with a binlog (kept in the fixture's binlog folder) and a detailed file log (beside the project).</summary>
    public BuildResult Build(params string[] args)
    {
        int n = ++_builds;
        // The binlog goes beside the test assembly, so it survives the temp folder whether or not the test fails.
        string binlog = Path.Combine(_fixture.BinlogDirectory, $"{Name}-build-{n}.binlog");
        string log = Path.Combine(Directory, $"build-{n}.log");
        var r = _fixture.Dotnet(Directory, ["build", ProjectFile, "-nr:false", "--nologo", "-v:n", $"-bl:{binlog}", $"-flp:v=d;logfile={log}", .. args]);
        var result = new BuildResult(r.ExitCode, r.StandardOutput + r.StandardError, File.Exists(log) ? File.ReadAllText(log) : "", binlog, r.Elapsed);
        return result;
    }

    /// <summary>Fails the test with the output and the kept binlog's path when the build failed.</summary>
    public BuildResult BuildSucceeding(params string[] args)
    {
        var r = Build(args);
        if (!r.Succeeded)
        {
            _fixture.KeepRoot = true;
            Assert.Fail($"dotnet build failed ({r.ExitCode}); binlog at {r.Binlog}, project kept at {Directory}\n{Tail(r.Output, 60)}");
        }
        return r;
    }

    public static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    public ProcessResult Run(string tool, params string[] args) =>
        ProcessRunner.Run(new ProcessSpec(tool, args) { WorkingDirectory = Directory, Timeout = TimeSpan.FromMinutes(2) });

    public ProcessResult RunSucceeding(string tool, params string[] args)
    {
        var r = Run(tool, args);
        Assert.True(r.Succeeded, $"{r.CommandLine} failed ({r.ExitCode}):\n{r.StandardOutput}\n{r.StandardError}");
        return r;
    }
}
