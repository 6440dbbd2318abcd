using System.Text.Json.Nodes;
using CompilerLLM.Lab.Variants;
using CompilerLLM.Tests.TestSupport;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Variants;

/// <summary>
/// The suite's training inputs (scripts/devsuite/training-inputs.sh): the profile is trained on <c>train/</c>, not on the
/// timed <c>work/</c>, when the program has one. A program reading its loop count from standard input, real gcc, a real
/// instrumented build and run.
/// </summary>
public sealed class TrainingInputTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-training-input-");

    public void Dispose() => _temp.Dispose();

    private const string Main = """
        #include <stdio.h>
        unsigned kernel(unsigned n, unsigned seed);
        int main(void) {
            unsigned n = 0;
            if (scanf("%u", &n) != 1) return 2;
            printf("%u\n", kernel(n, 7));
            return 0;
        }
        """;

    private const string Kernel = DemoSuite.Kernel;

    /// <summary>The demo suite with the loop count read from <c>work/n.txt</c> (timed: <paramref name="timed"/>) and, when
    /// <paramref name="training"/> is given, <c>train/n.txt</c> with a <c>training.json</c> saying so.</summary>
    private string ProgramFolder(int timed, int? training, bool distinct = true)
    {
        string suite = DemoSuite.Write(_temp.Path, Main, Kernel, expected: "");
        string program = Path.Combine(suite, "demo");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(program, "suite.json")))!;
        manifest["workload"]!["args"] = new JsonArray();
        manifest["workload"]!["stdin"] = "work/n.txt";
        File.WriteAllText(Path.Combine(program, "suite.json"), manifest.ToJsonString());
        File.WriteAllText(Path.Combine(program, "work", "n.txt"), timed + "\n");
        if (training is { } n)
        {
            Directory.CreateDirectory(Path.Combine(program, "train"));
            File.WriteAllText(Path.Combine(program, "train", "n.txt"), n + "\n");
            File.WriteAllText(Path.Combine(program, TrainingInput.FileName),
                $$"""{"schema": 1, "directory": "train", "distinct": {{(distinct ? "true" : "false")}}, "workload": "echo {{n}} > n.txt", "exit_code": 0}""");
        }
        return program;
    }

    private static string Exe(string folder)
    {
        string exe = Path.Combine(folder, "exe", "demo");
        Directory.CreateDirectory(Path.GetDirectoryName(exe)!);
        var program = SuiteProgram.Load(Path.Combine(folder, SuiteProgram.ManifestName));
        var r = ProcessRunner.Run(new ProcessSpec("gcc", ["-O2", "-o", exe, .. program.Units.Select(u => Path.Combine(u.Directory, u.Source))]));
        Assert.True(r.Succeeded, r.StandardError);
        return exe;
    }

    [Fact]
    public void TheTrainingWorkloadRunsInTheTrainingFolderWithItsOwnStandardInput()
    {
        string folder = ProgramFolder(timed: 5, training: 3);
        var program = SuiteProgram.Load(Path.Combine(folder, SuiteProgram.ManifestName));
        Assert.True(program.TrainsOnDistinctInput);
        var training = program.ForTraining();
        Assert.Equal(Path.Combine(folder, "train"), training.WorkloadDirectory);
        Assert.Equal(Path.Combine(folder, "train", "n.txt"), training.StandardInput);
        Assert.Equal(Path.Combine(folder, "work", "n.txt"), program.StandardInput);

        string exe = Exe(folder);
        string timedOutput = SuiteCheck.RunWorkload(program, exe).StandardOutput, trainingOutput = SuiteCheck.RunWorkload(training, exe).StandardOutput;
        Assert.NotEqual(timedOutput, trainingOutput); // kernel(5) and kernel(3) differ for this generator
        Assert.EndsWith("done\n", trainingOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]  // "distinct": false: the timed input
    [InlineData(true, false)]  // the folder is missing: the timed input
    public void WithoutADistinctTrainingInputTheProfileTrainsOnTheTimedOne(bool distinct, bool keepFolder)
    {
        string folder = ProgramFolder(timed: 5, training: 3, distinct);
        if (!keepFolder) Directory.Delete(Path.Combine(folder, "train"), recursive: true);
        var program = SuiteProgram.Load(Path.Combine(folder, SuiteProgram.ManifestName));
        Assert.False(program.TrainsOnDistinctInput);
        Assert.Same(program, program.ForTraining());
        Assert.Equal("the timed input", TrainingInput.Identity(program.Training));
    }

    [Fact]
    public void AnUnreadableTrainingFileMeansNone()
    {
        string folder = ProgramFolder(timed: 5, training: 3);
        File.WriteAllText(Path.Combine(folder, TrainingInput.FileName), "{ not json");
        Assert.Null(SuiteProgram.Load(Path.Combine(folder, SuiteProgram.ManifestName)).Training);
    }

    [Fact]
    public void TheProfileCountsTheTrainingRunAndIsMadeAgainWhenTheTrainingInputChanges()
    {
        string folder = ProgramFolder(timed: 200000, training: 1000);
        var compiler = new VariantCompiler(ToolchainOptions.Default, _temp.File("cache"), ["-O3"], 2);
        string work = _temp.File("work");
        var program = SuiteProgram.Load(Path.Combine(folder, SuiteProgram.ManifestName));

        var (fromTraining, why) = compiler.Profile(program, work, exe => SuiteCheck.RunWorkload(program.ForTraining(), exe));
        Assert.Null(why);
        long trainingTotal = fromTraining!.ProgramTotal;

        // Without the training input the stamp no longer matches: the profile is made again, from the timed run.
        File.Delete(Path.Combine(folder, TrainingInput.FileName));
        var timedProgram = SuiteProgram.Load(Path.Combine(folder, SuiteProgram.ManifestName));
        var (fromTimed, why2) = compiler.Profile(timedProgram, work, exe => SuiteCheck.RunWorkload(timedProgram.ForTraining(), exe));
        Assert.Null(why2);
        Assert.True(fromTimed!.ProgramTotal > 50 * trainingTotal,
            $"200000 iterations against 1000: the timed profile counts {fromTimed.ProgramTotal}, the training one {trainingTotal}");

        // Same input again: reused, not re-run (the counts would double if the run were repeated into the same files).
        var (again, _) = compiler.Profile(timedProgram, work, exe => throw new InvalidOperationException("must not run"));
        Assert.Equal(fromTimed.ProgramTotal, again!.ProgramTotal);
    }

    [Fact]
    public void TheSameCommandWithAnotherStampIsAnotherTrainingInput()
    {
        string folder = ProgramFolder(timed: 5, training: 3);
        File.WriteAllText(Path.Combine(folder, ".training-hash"), "aaaa\n");
        string first = TrainingInput.Identity(TrainingInput.Read(folder));
        File.WriteAllText(Path.Combine(folder, ".training-hash"), "bbbb\n"); // e.g. the training script changed, its `cp` did not
        string second = TrainingInput.Identity(TrainingInput.Read(folder));
        Assert.NotEqual(first, second);
        Assert.Contains("echo 3 > n.txt", first, StringComparison.Ordinal);
    }
}
