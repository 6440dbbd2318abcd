using System.Text.Json;
using CompilerLLM.Assembly;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Cli.Tests;

/// <summary>
/// <c>compilerllm eval</c> in a child process on a CI subset of <c>tests/eval-suite</c> (a 0.1 s kernel
/// and a csmith program): real gcc, as, valgrind, llvm-mca and the timing protocol. Caches go to a
/// temporary folder so that every run measures for real.
/// </summary>
[Collection(nameof(EvalCollection))]
public sealed class EvalCommandTests : IDisposable
{
    private static readonly string[] CiSubset = ["kernel_hashing", "csmith_1"];

    private readonly TempDirectory _temp = new("compilerllm-eval-tests-");

    public void Dispose() => _temp.Dispose();

    private ProcessResult Eval(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "compilerllm.dll");
        return ProcessRunner.Run(new ProcessSpec("dotnet", [dll, "eval", .. args])
        {
            Timeout = TimeSpan.FromMinutes(5),
            Environment = new Dictionary<string, string?> { ["COMPILERLLM_CACHE"] = _temp.File("cache") },
        });
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CompilerLLM.Build.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>
    /// A suite holding copies of some programs of the development suite, laid out as in the repository
    /// (<c>tests/eval-suite/NAME</c> beside <c>tests/corpus/kernels</c>, which the kernel programs name by relative path).
    /// </summary>
    private string Subset(params string[] names)
    {
        string suite = _temp.File(Path.Combine("tests", "eval-suite"));
        string repoTests = Path.Combine(RepositoryRoot(), "tests");
        foreach (var name in names)
        {
            string to = Path.Combine(suite, name);
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(Path.Combine(repoTests, "eval-suite", name))) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        string kernels = _temp.File(Path.Combine("tests", "corpus", "kernels"));
        Directory.CreateDirectory(kernels);
        foreach (var c in Directory.GetFiles(Path.Combine(repoTests, "corpus", "kernels"), "*.c")) File.Copy(c, Path.Combine(kernels, Path.GetFileName(c)));
        return suite;
    }

    private static string LastLine(string output) => output.TrimEnd().Split('\n')[^1];

    [Fact]
    public void EvalOnTheCiSubsetPrintsTheSummaryLineAndWritesTheReports()
    {
        string suite = Subset(CiSubset);
        string report = _temp.File("report");
        var r = Eval(suite, "--report", report, "--pairs", "10");
        Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError);
        Assert.Matches(@"^eval: compile 2/2, tests 2/2, median speedup \d+\.\d\dx, geomean \d+\.\d\dx, slower [0-2]$", LastLine(r.StandardOutput));
        Assert.Contains("[1/2] csmith_1: timing", r.StandardError); // progress while it runs
        Assert.Contains("kernel_hashing", r.StandardOutput); // the per-program table

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "eval.json")));
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        Assert.Equal(2, json.RootElement.GetArrayLength());
        foreach (var record in json.RootElement.EnumerateArray())
        {
            foreach (var field in new[] { "name", "compiled", "passed", "speedup", "ci_low", "ci_high", "est_cycles_base", "est_cycles_opt" })
                Assert.True(record.TryGetProperty(field, out _), $"eval.json lacks {field}");
            Assert.Contains(record.GetProperty("name").GetString(), CiSubset);
            Assert.True(record.GetProperty("compiled").GetBoolean());
            Assert.True(record.GetProperty("passed").GetBoolean());
            double speedup = record.GetProperty("speedup").GetDouble();
            Assert.InRange(speedup, record.GetProperty("ci_low").GetDouble(), record.GetProperty("ci_high").GetDouble());
            Assert.True(record.GetProperty("est_cycles_base").GetDouble() > 0);
            Assert.True(record.GetProperty("est_cycles_opt").GetDouble() > 0);
        }
        string md = File.ReadAllText(Path.Combine(report, "eval.md"));
        Assert.Contains(LastLine(r.StandardOutput), md);
        Assert.Contains("speedup-per-program.svg", md);
        string html = File.ReadAllText(Path.Combine(report, "eval.html"));
        Assert.Equal(2, html.Split("<svg ").Length - 1);
        System.Xml.Linq.XDocument.Parse(File.ReadAllText(Path.Combine(report, "speedup-per-program.svg")));
    }

    [Fact]
    public void PolicyNoneBuildsTheSameProgramTwiceSoTheEstimatesAreEqual()
    {
        string suite = Subset("csmith_1");
        string report = _temp.File("report-none");
        var r = Eval(suite, "--policy", "none", "--report", report);
        Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError);
        Assert.StartsWith("eval: compile 1/1, tests 1/1, median speedup ", LastLine(r.StandardOutput));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "eval.json")));
        var record = json.RootElement[0];
        Assert.Equal(0, record.GetProperty("rewrites").GetInt32());
        Assert.Equal(record.GetProperty("est_cycles_base").GetDouble(), record.GetProperty("est_cycles_opt").GetDouble());
    }

    [Fact]
    public void ABadManifestIsReportedWithItsLineAndCountsAsNotCompiled()
    {
        string suite = _temp.File("bad-suite");
        Directory.CreateDirectory(Path.Combine(suite, "broken"));
        File.WriteAllText(Path.Combine(suite, "broken", "program.json"), "{\n  \"sources\": [\"main.c\"],\n  \"expected_exit\": \"zero\"\n}\n");
        File.WriteAllText(Path.Combine(suite, "broken", "main.c"), "int main(void) { return 0; }\n");
        var r = Eval(suite);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("broken/program.json:3:", r.StandardError);
        Assert.Contains("\"expected_exit\" must be an integer", r.StandardError);
        Assert.DoesNotContain("   at ", r.StandardError);
        Assert.Equal("eval: compile 0/1, tests 0/1, median speedup 0.00x, geomean 0.00x, slower 0", LastLine(r.StandardOutput));
    }

    [Fact]
    public void AProgramFailingItsExpectedOutputIsCompiledButNotPassed()
    {
        string suite = _temp.File("failing-suite");
        string program = Path.Combine(suite, "prints");
        Directory.CreateDirectory(program);
        File.WriteAllText(Path.Combine(program, "main.c"), "#include <stdio.h>\nint main(void) { puts(\"one\"); puts(\"two\"); return 0; }\n");
        File.WriteAllText(Path.Combine(program, "expected.txt"), "one\nthree\n");
        File.WriteAllText(Path.Combine(program, "program.json"), """{"sources": ["main.c"], "expected_stdout": "expected.txt"}""");
        var r = Eval(suite);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("the baseline fails its test: standard output differs from the expected at line 2", r.StandardOutput);
        Assert.Equal("eval: compile 1/1, tests 0/1, median speedup 0.00x, geomean 0.00x, slower 0", LastLine(r.StandardOutput));
    }

    [Theory]
    [InlineData("--pairs", "3", "--pairs must be at least 10")]
    [InlineData("--policy", "bogus", "--policy: unknown policy 'bogus'")]
    public void BadOptionsFailWithOneLine(string option, string value, string message)
    {
        string suite = _temp.File("empty-suite");
        Directory.CreateDirectory(suite);
        var r = Eval(suite, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StandardError);
        Assert.Single(r.StandardError.Trim().Split('\n'));
    }

    [Fact]
    public void AMissingSuiteFailsWithOneLine()
    {
        var r = Eval(_temp.File("no-such-suite"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no-such-suite: the suite folder does not exist", r.StandardError);
    }
}

/// <summary>The evaluation times programs: it runs alone, not beside other tests of this assembly.</summary>
[CollectionDefinition(nameof(EvalCollection), DisableParallelization = true)]
public sealed class EvalCollection;
