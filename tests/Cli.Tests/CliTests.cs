using System.Text.RegularExpressions;
using CompilerLLM.Assembly;
using CompilerLLM.Processes;

namespace CompilerLLM.Cli.Tests;

/// <summary>The command line as users run it: the real compilerllm.dll in a child process, real gcc and as.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-cli-tests-");

    public void Dispose() => _temp.Dispose();

    private static ProcessResult Cli(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "compilerllm.dll");
        return ProcessRunner.Run(new ProcessSpec("dotnet", [dll, .. args]) { Timeout = TimeSpan.FromMinutes(3) });
    }

    private string Compile(string name, string c, string flags = "-O2")
    {
        string cFile = _temp.File(name + ".c"), sFile = _temp.File(name + ".s");
        File.WriteAllText(cFile, c);
        var gcc = ProcessRunner.Run(new ProcessSpec("gcc", ["-S", .. flags.Split(' '), "-o", sFile, cFile]));
        Assert.True(gcc.Succeeded, gcc.StandardError);
        return sFile;
    }

    private const string Program = """
        #include <stdio.h>
        int table(int x) { switch (x) { case 0: return 3; case 1: return 9; case 2: return 27; case 3: return 81; case 4: return 5; default: return -1; } }
        int main(void) { int s = 0; for (int i = 0; i < 10; i++) s += table(i); printf("%d\n", s); return 0; }
        """;

    private static string LastLine(string output) => output.TrimEnd().Split('\n')[^1];

    [Fact]
    public void RoundTripPrintsTheSummaryLineWithRealCounts()
    {
        string s = Compile("prog", Program);
        var r = Cli("roundtrip", s);
        Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError);
        int modeled = AsmReader.ReadFile(s).Instructions.Length;
        Assert.Equal($"roundtrip: 1 files, {modeled} instructions modeled, 0 verbatim, 0 mismatches", LastLine(r.StandardOutput));
    }

    [Fact]
    public void RoundTripFailsOnAMissingFileWithoutAStackTrace()
    {
        string good = Compile("prog", Program);
        var r = Cli("roundtrip", good, _temp.File("missing.s"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("missing.s", r.StandardError);
        Assert.DoesNotContain("   at ", r.StandardError);
        Assert.Matches(@"^roundtrip: 2 files, \d+ instructions modeled, 0 verbatim, 1 mismatches$", LastLine(r.StandardOutput));
    }

    [Fact]
    public void AnalyzeShowsBlocksLivenessAndDependences()
    {
        string s = Compile("prog", Program);
        var r = Cli("analyze", s, "--function", "table");
        Assert.True(r.ExitCode == 0, r.StandardError);
        Assert.Contains("function table", r.StandardOutput);
        Assert.Matches(new Regex(@"B0 \[table.*succ: B\d"), r.StandardOutput);
        Assert.Contains("exit: Return", r.StandardOutput);
        Assert.Contains("live-after", r.StandardOutput);
        Assert.Contains(" dep ", r.StandardOutput);
        Assert.Matches(@"^analyze: 1 functions, \d+ instructions modeled, 0 verbatim$", LastLine(r.StandardOutput));
    }

    [Fact]
    public void AnalyzeNamesTheFunctionsWhenOneIsUnknown()
    {
        string s = Compile("prog", Program);
        var r = Cli("analyze", s, "--function", "nope");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no function named 'nope'", r.StandardError);
        Assert.Contains("table", r.StandardError);
    }

    [Fact]
    public void IntelSyntaxIsRejectedWithFileAndLine()
    {
        string s = Compile("intel", Program, "-O2 -masm=intel");
        var r = Cli("analyze", s);
        Assert.Equal(2, r.ExitCode);
        Assert.Matches(@"compilerllm: error: .*intel\.s:\d+: Intel syntax", r.StandardError);
    }

    [Fact]
    public void BenchReportsThroughputAndMemory()
    {
        string s = Compile("prog", Program, "-O0");
        var r = Cli("bench", s, "--iterations", "1");
        Assert.True(r.ExitCode == 0, r.StandardError);
        var m = Regex.Match(LastLine(r.StandardOutput), @"^bench: (\d+) instructions, ([\d.]+) M instructions/s .*, (\d+) bytes/instruction retained$");
        Assert.True(m.Success, r.StandardOutput);
        Assert.Equal(AsmReader.ReadFile(s).Instructions.Length, int.Parse(m.Groups[1].Value));
        Assert.True(double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}
