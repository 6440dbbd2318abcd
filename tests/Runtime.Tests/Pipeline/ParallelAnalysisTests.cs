using System.Text.Json;
using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Tests.TestSupport;

namespace CompilerLLM.Tests.Pipeline;

/// <summary>
/// Functions are analysed and their candidates found on several threads for a big file. The output and the report
/// must not depend on how many: every rewrite, verdict and number the same with one thread as with many.
/// </summary>
public sealed class ParallelAnalysisTests
{
    public static TheoryData<string> FlagSets() => ["O2", "O3"];

    [Theory]
    [MemberData(nameof(FlagSets))]
    public void The_optimizer_gives_the_same_text_and_report_for_any_number_of_threads(string flagSet)
    {
        int compared = 0;
        foreach (var path in TestCorpus.Assembly(TestCorpus.FlagSet(flagSet)))
        {
            var file = AsmReader.ReadFile(path);
            if (file.Functions.Count < 3) continue;
            var one = Optimizer.Optimize(file, new OptimizerOptions { Policy = PolicyKind.All, Threads = 1 });
            var many = Optimizer.Optimize(file, new OptimizerOptions { Policy = PolicyKind.All, Threads = 4 });
            Assert.Equal(one.Text, many.Text);
            Assert.Equal(JsonSerializer.Serialize(one.Report), JsonSerializer.Serialize(many.Report));
            compared++;
        }
        Assert.True(compared >= 10, $"only {compared} files with three or more functions");
    }
}
