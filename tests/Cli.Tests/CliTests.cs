using System.Text.RegularExpressions;
using CompilerLLM.Assembly;
using CompilerLLM.Toolchain;

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

    [Fact]
    public void BenchOfAUnitRunsTheEntryPointAndReportsItsPhases()
    {
        string s = Compile("prog", Program, "-O2");
        var r = Cli("bench", "--unit", s, "--policy", "all");
        Assert.True(r.ExitCode == 0, r.StandardError);
        var m = Regex.Match(LastLine(r.StandardOutput), @"^bench: unit (\d+) instruction lines, [\d.]+ s wall, ([\d.]+) s CPU, (\d+) MB peak RSS$");
        Assert.True(m.Success, r.StandardOutput);
        Assert.Equal(AsmReader.ReadFile(s).Instructions.Length, int.Parse(m.Groups[1].Value));
        Assert.True(int.Parse(m.Groups[3].Value) > 0);
        // The entry point's phases, the tools it ran among them: GCC's object assembled, the model read from that object
        // and each re-check from ours, which is kept: one assembler run for each object, none of the model's own.
        Assert.Matches(@"phase unit\.assemble-gcc-object +[\d.]+ s wall", r.StandardOutput);
        Assert.Matches(@"phase read\.model +[\d.]+ s wall", r.StandardOutput);
        Assert.DoesNotContain("read.assemble", r.StandardOutput);
        Assert.DoesNotContain("unit.assemble-ours", r.StandardOutput);
        int Runs(string phase) => Regex.Match(r.StandardOutput, $@"phase {Regex.Escape(phase)} +[\d.]+ s wall +[\d.]+ s CPU  x(\d+)") is { Success: true } m
            ? int.Parse(m.Groups[1].Value) : 0;
        Assert.Equal(Runs("recheck.read"), Runs("recheck.assemble-ours"));
        Assert.True(Runs("process.as") <= Runs("unit.assemble-gcc-object") + Runs("recheck.assemble-ours"), r.StandardOutput);
    }
}

public sealed class OptimizeCliTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-cli-opt-");

    public void Dispose() => _temp.Dispose();

    private static ProcessResult Cli(params string[] args) =>
        ProcessRunner.Run(new ProcessSpec("dotnet", [Path.Combine(AppContext.BaseDirectory, "compilerllm.dll"), .. args]) { Timeout = TimeSpan.FromMinutes(3) });

    private string Input()
    {
        string s = _temp.File("in.s");
        File.WriteAllText(s, "\t.text\n\t.globl f\n\t.type f, @function\nf:\n\tmovl\t$0, %eax\n\taddl\t$1, %edi\n\taddl\t%edi, %eax\n\tret\n\t.size f, .-f\n");
        return s;
    }

    [Fact]
    public void OptimizeWritesOutputReportAndSummary()
    {
        string output = _temp.File("out.s"), report = _temp.File("r.json");
        var r = Cli("optimize", Input(), "-o", output, "--report", report, "--policy", "all");
        Assert.True(r.ExitCode == 0, r.StandardError);
        Assert.Matches(@"^optimize: 1 functions, \d+ candidates, 2 applied, 0 fallbacks, \d+ bytes saved, estimated .* cycles$", r.StandardOutput.Trim());
        Assert.Contains("xorl", File.ReadAllText(output));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(2, json.RootElement.GetProperty("Applied").GetInt32());
        Assert.Equal("mov-zero-to-xor", json.RootElement.GetProperty("FunctionReports")[0].GetProperty("Applied")[0].GetProperty("Rule").GetString());
    }

    [Fact]
    public void PolicyNoneAndFuelZeroLeaveTheFileAsItIs()
    {
        string input = Input();
        foreach (var args in new[] { new[] { "--policy", "none" }, new[] { "--policy", "all", "--fuel", "0" } })
        {
            string output = _temp.File("same.s");
            var r = Cli(["optimize", input, "-o", output, .. args]);
            Assert.True(r.ExitCode == 0, r.StandardError);
            Assert.Equal(File.ReadAllText(input), File.ReadAllText(output));
        }
    }

    [Theory]
    [InlineData("--policy", "greedy", "--policy: unknown policy 'greedy'")]
    [InlineData("--threshold", "NaN", "--threshold must be a finite number")]
    [InlineData("--rule", "no-such-rule", "unknown rule(s): no-such-rule")]
    [InlineData("--validate", "magic", "unknown --validate 'magic'")]
    public void MisuseIsACleanError(string option, string value, string message)
    {
        var r = Cli("optimize", Input(), "-o", _temp.File("x.s"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StandardError);
        Assert.DoesNotContain("   at ", r.StandardError);
    }

    [Fact]
    public void SchedulesAndAlignmentCanBeSelectedLikeRules()
    {
        var r = Cli("optimize", Input(), "-o", _temp.File("s.s"), "--policy", "all", "--rule", "schedule-block", "--rule", "align-loop-header");
        Assert.True(r.ExitCode == 0, r.StandardError);
        Assert.StartsWith("optimize: 1 functions", r.StandardOutput.Trim());
    }

    [Fact]
    public void TheDefaultPolicyIsTheShippedModel()
    {
        string output = _temp.File("d.s"), report = _temp.File("d.json");
        var r = Cli("optimize", Input(), "-o", output, "--report", report);
        Assert.True(r.ExitCode == 0, r.StandardError);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report));
        Assert.StartsWith("model policy.onnx sha256:", json.RootElement.GetProperty("Policy").GetString());
        foreach (var f in json.RootElement.GetProperty("FunctionReports").EnumerateArray())
            foreach (var a in f.GetProperty("Applied").EnumerateArray())
                Assert.True(a.GetProperty("Score").GetSingle() > 0, "only candidates scored above the threshold 0 are applied");
        Assert.Equal(0, AsmReader.Read("d.s", File.ReadAllText(output)).VerbatimCount);
    }

    [Theory]
    [InlineData("truncated", "ONNX Runtime cannot load the model")]
    [InlineData("wrong-contract", "not a policy model for this build")]
    [InlineData("missing", "cannot read the policy model")]
    public void ABadModelGivenExplicitlyIsAnErrorNamingTheFile(string kind, string message)
    {
        string model = _temp.File(kind + ".onnx");
        byte[] valid = CompilerLLM.Training.Onnx.MlpOnnxWriter.Write( // a valid ONNX model with two inputs per row: not the policy contract
            [new CompilerLLM.Training.Learning.DenseLayerWeights(2, 1, new float[2], [0f], CompilerLLM.Training.Learning.Activation.None)],
            "features", "scores", new Dictionary<string, string>());
        if (kind == "truncated") File.WriteAllBytes(model, valid[..(valid.Length / 2)]);
        if (kind == "wrong-contract") File.WriteAllBytes(model, valid);
        var r = Cli("optimize", Input(), "-o", _temp.File("x.s"), "--policy", model);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"compilerllm: error: {model}: {message}", r.StandardError);
        Assert.DoesNotContain("   at ", r.StandardError);
        Assert.False(File.Exists(_temp.File("x.s")));
    }

    [Fact]
    public void ProveRulesProvesTheSelectedRules()
    {
        var r = Cli("prove-rules", "--rule", "add-one-to-inc", "--rule", "cmp-zero-to-test");
        Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError);
        Assert.Equal("rules: 2 proven, 0 failed", r.StandardOutput.Trim().Split('\n')[^1]);
    }
}
