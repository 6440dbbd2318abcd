using CompilerLLM.Timing;
using System.Text.Json;
using CompilerLLM.Lab.Measurement;

namespace CompilerLLM.Tests.Measurement;

/// <summary>The suite format: good manifests read with defaults, bad ones rejected with file, line and column.</summary>
public sealed class EvalSuiteTests : IDisposable
{
    private readonly MeasurementWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    private string Program(string manifest, params string[] files)
    {
        string dir = _work.File("p");
        Directory.CreateDirectory(dir);
        foreach (var f in files) File.WriteAllText(Path.Combine(dir, f), "x\n");
        string path = Path.Combine(dir, "program.json");
        File.WriteAllText(path, manifest);
        return path;
    }

    [Fact]
    public void AFullManifestIsRead()
    {
        string path = Program("""
            {
              "sources": ["a.c", "b.c"],
              "cflags": "-std=gnu11 -DN=3",
              "ldflags": "-lm",
              "args": ["10", "x y"],
              "stdin": "in.txt",
              "expected_stdout": "out.txt",
              "expected_exit": 3,
              "profile_args": ["1"],
              "timeout": 5
            }
            """, "a.c", "b.c", "in.txt", "out.txt");
        var m = EvalSuite.Parse(path);
        Assert.Equal("p", m.Name);
        Assert.Equal(2, m.Sources.Count);
        Assert.True(Path.IsPathRooted(m.Sources[0]));
        Assert.Equal(["10", "x y"], m.Arguments);
        Assert.Equal(3, m.ExpectedExit);
        Assert.EndsWith("in.txt", m.StandardInput);
        Assert.Equal(["1"], m.ProfileArguments!);
        Assert.Equal(5, m.TimeoutSeconds);
    }

    [Fact]
    public void TheIssuesExampleWithNullsIsRead()
    {
        string path = Program("""{"sources": ["a.c"], "cflags": "", "ldflags": "-lm", "args": [], "stdin": null, "expected_stdout": null, "expected_exit": 0}""", "a.c");
        var m = EvalSuite.Parse(path);
        Assert.Null(m.StandardInput);
        Assert.Null(m.ExpectedStdout);
        Assert.Empty(m.Arguments);
    }

    [Theory]
    [InlineData("{\n  \"sources\": [\"a.c\"],\n  \"args\": [1]\n}", 3, "\"args\" must contain only strings")]
    [InlineData("{\n  \"sources\": [\"a.c\"],\n  \"expected_exit\": 300\n}", 3, "\"expected_exit\" must be an integer from 0 to 255")]
    [InlineData("{\n  \"sources\": [\"missing.c\"]\n}", 2, "source \"missing.c\" does not exist")]
    [InlineData("{\n  \"sources\": [\"a.c\"],\n  \"stdin\": \"nope.txt\"\n}", 3, "\"stdin\": file \"nope.txt\" does not exist")]
    [InlineData("{\n  \"cflags\": \"-O2\"\n}", 1, "\"sources\" is required")]
    [InlineData("{\n  \"sources\": [\"a.c\"],\n  \"sorces\": []\n}", 3, "unknown field \"sorces\"")]
    [InlineData("{\n  \"sources\": [\"a.c\"],\n  \"sources\": [\"a.c\"]\n}", 3, "\"sources\" appears twice")]
    [InlineData("{\n  \"sources\": [\"a.c\"]\n  \"args\": []\n}", 3, "not valid JSON")]
    [InlineData("[1, 2]", 1, "expected a JSON object")]
    [InlineData("", 1, "")]
    public void BadManifestsNameTheLine(string manifest, int line, string message)
    {
        string path = Program(manifest, "a.c");
        var e = Assert.Throws<SuiteManifestException>(() => EvalSuite.Parse(path));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
        Assert.StartsWith(path + ":" + line + ":", e.Message);
    }

    [Fact]
    public void EveryProgramOfTheDevelopmentSuiteHasAValidManifest()
    {
        string suite = Path.Combine(TestSupport.TestCorpus.RepositoryRoot, "tests", "eval-suite");
        var entries = EvalSuite.Discover(suite);
        Assert.True(entries.Count >= 12, $"{entries.Count} programs");
        Assert.All(entries, e => Assert.True(e.Manifest is not null, e.Error));
        Assert.Contains(entries, e => e.Manifest!.CsmithSeed is not null);
        Assert.Contains(entries, e => e.Manifest!.StandardInput is not null);
    }

    [Fact]
    public void ReportsCarryTheRequiredFieldsAndWellFormedPlots()
    {
        var results = new List<ProgramEvaluation>
        {
            new("fast") { Compiled = true, Passed = true, Speedup = 1.2, CiLow = 1.1, CiHigh = 1.3, Verdict = TimingVerdict.Faster, EstCyclesBase = 100, EstCyclesOpt = 90 },
            new("slow<&>") { Compiled = true, Passed = true, Speedup = 0.8, CiLow = 0.7, CiHigh = 0.9, Verdict = TimingVerdict.Slower, EstCyclesBase = 100, EstCyclesOpt = 110 },
            new("broken") { Error = "gcc -S failed" },
        };
        string dir = _work.File("report");
        EvalReport.Write(dir, results, new EvalSettings("suite", "-O2", "all", "znver3", 10, 0.02));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "eval.json")));
        Assert.Equal(3, json.RootElement.GetArrayLength());
        var broken = json.RootElement[2];
        Assert.False(broken.GetProperty("compiled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, broken.GetProperty("speedup").ValueKind);
        Assert.Equal(1.2, json.RootElement[0].GetProperty("speedup").GetDouble());
        foreach (var svg in new[] { "speedup-distribution.svg", "speedup-per-program.svg" })
            System.Xml.Linq.XDocument.Parse(File.ReadAllText(Path.Combine(dir, svg)));
        Assert.Contains("slow&lt;&amp;&gt;", File.ReadAllText(Path.Combine(dir, "eval.html")));
        var summary = EvalSummary.Of(results);
        Assert.Equal("eval: compile 2/3, tests 2/3, median speedup 1.00x, geomean 0.98x, slower 1", summary.Line);
    }
}
