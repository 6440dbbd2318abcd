using System.Globalization;
using System.Text.Json;
using CompilerLLM.Tests.TestSupport;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Cli.Tests;

/// <summary><c>compilerllm size</c> as users run it: the real compilerllm.dll in a child process on a one-program suite, real gcc.</summary>
public sealed class SizeCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-cli-size-");

    public void Dispose() => _temp.Dispose();

    private static ProcessResult Cli(params string[] args) =>
        ProcessRunner.Run(new ProcessSpec("dotnet", [Path.Combine(AppContext.BaseDirectory, "compilerllm.dll"), .. args]) { Timeout = TimeSpan.FromMinutes(5) });

    private const string Main = "#include <stdio.h>\n#include <stdlib.h>\nunsigned kernel(unsigned n);\nint main(int argc, char **argv) { printf(\"%u\\n\", kernel((unsigned)atoi(argv[1]))); return 0; }\n";

    private const string Kernel = "unsigned kernel(unsigned n) { unsigned a[64] = {0}, s = 0; for (unsigned i = 0; i < n; i++) a[i & 63] += i * 2654435761u; for (int i = 0; i < 64; i++) s ^= a[i]; return s; }\n";

    [Fact]
    public void SizeWritesTheResultsAndTheTablesAndSaysHowTheObjectiveCompares()
    {
        string suite = DemoSuite.Write(_temp.Path, Main, Kernel);
        string json = _temp.File("size.json"), md = _temp.File("size.md");
        var r = Cli("size", suite, "--out", json, "--markdown", md, "--cache", _temp.File("cache"));
        Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError);
        string last = r.StandardOutput.TrimEnd().Split('\n')[^1];
        Assert.Matches(@"^size: 1 programs, size objective \.text \d\.\d{4}x of -Os \(geomean\), 0 build\(s\) not built, linked or passing → ", last);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal("compilerllm.size-results/1", root.GetProperty("schema").GetString());
        Assert.StartsWith("onnx:", root.GetProperty("policy").GetString());
        var builds = root.GetProperty("programs")[0].GetProperty("builds");
        long Text(string build) => builds.GetProperty(build).GetProperty("textBytes").GetInt64();
        Assert.True(Text("size") <= Text("Os") && Text("Os") < Text("O3"), builds.ToString());
        double ratio = double.Parse(last.Split(' ')[6][..^1], CultureInfo.InvariantCulture);
        Assert.Equal((double)Text("size") / Text("Os"), ratio, 4);
        Assert.Contains("| build | programs | tests passed | geomean .text vs -Os |", File.ReadAllText(md));
        Assert.Contains("| demo | 2 |", r.StandardOutput);
    }

    [Theory]
    [InlineData("--programs", "nothing-like-it", "--programs: not in the suite: nothing-like-it")]
    [InlineData("--policy", "greedy", "--policy: unknown policy 'greedy'")]
    public void MisuseIsACleanError(string option, string value, string message)
    {
        string suite = DemoSuite.Write(_temp.Path, Main, Kernel, expected: "unused\n");
        var r = Cli("size", suite, "--out", _temp.File("x.json"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StandardError);
        Assert.DoesNotContain("   at ", r.StandardError);
        Assert.False(File.Exists(_temp.File("x.json")));
    }
}
