using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Inference;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Tests.Policy;

public sealed class FeatureSchemaTests
{
    private const string Source = CompilerLLM.Tests.Pipeline.OptimizerSamples.ThreeRewrites;

    private static (FunctionAnalysis, List<Candidate>) Candidates(string source)
    {
        var file = AsmReader.Read("f.s", source);
        var analysis = FunctionAnalysis.Analyze(file, file.Functions[0]);
        var candidates = new CandidateFinder(RuleCatalogue.All).Find(analysis).Where(c => c.IsValid).ToList();
        return (analysis, candidates);
    }

    [Fact]
    public void NamesAreUniqueAndCoverEveryRule()
    {
        Assert.Equal(1, FeatureSchema.Version);
        Assert.Equal(FeatureSchema.Width, FeatureSchema.FeatureNames.Distinct().Count());
        foreach (var rule in RuleCatalogue.AllWithPseudoRules) Assert.Contains("rule." + rule.Name, FeatureSchema.FeatureNames);
    }

    [Fact]
    public void RowsDescribeTheirCandidate()
    {
        var (analysis, candidates) = Candidates(Source);
        Assert.Equal(["mov-zero-to-xor", "add-one-to-inc", "imul-to-lea"], candidates.Select(c => c.Rule.Name).ToArray());
        var rows = FeatureExtractor.Extract(analysis, candidates);
        int width = FeatureSchema.Width;
        Assert.Equal(candidates.Count * width, rows.Length);
        var names = FeatureSchema.FeatureNames.ToList();
        for (int c = 0; c < candidates.Count; c++)
        {
            var row = rows.AsSpan(c * width, width);
            Assert.Equal(1f, row[names.IndexOf("rule." + candidates[c].Rule.Name)]);
            Assert.Equal(1f, row.ToArray().Take(RuleCatalogue.AllWithPseudoRules.Count).Sum()); // one-hot
            Assert.Equal(candidates[c].SizeDelta, row[names.IndexOf("window.bytes.saved")]);
            Assert.Equal(1f, row[names.IndexOf("window.instructions")]);
            Assert.Equal(0f, row[names.IndexOf("block.loop.depth")]);
        }
        // imul → lea: one multiply before, one lea after
        var imul = rows.AsSpan(2 * width, width);
        Assert.Equal(1f, imul[names.IndexOf("before.Multiply")]);
        Assert.Equal(1f, imul[names.IndexOf("after.Lea")]);
        // the function context is the same in every row
        int ctx = names.IndexOf("fn.instructions.log2");
        Assert.Equal(rows.AsSpan(ctx, width - ctx).ToArray(), rows.AsSpan(width + ctx, width - ctx).ToArray());
        // deterministic
        Assert.Equal(rows, FeatureExtractor.Extract(analysis, candidates));
    }

    [Fact]
    public void LoopDepthCountsNestedLoops()
    {
        const string nested = "\t.text\n\t.type g, @function\ng:\n\txorl\t%eax, %eax\n.L2:\n\tmovl\t%esi, %ecx\n.L3:\n\taddl\t$1, %eax\n" +
            "\tsubl\t$1, %ecx\n\tjne\t.L3\n\tsubl\t$1, %edi\n\tjne\t.L2\n\tret\n\t.size g, .-g\n";
        var file = AsmReader.Read("g.s", nested);
        var analysis = FunctionAnalysis.Analyze(file, file.Functions[0]);
        var depth = Loops.Depths(analysis.Cfg);
        int Block(string label) => analysis.Cfg.Blocks.Single(b => b.Labels.Contains(label)).Index;
        Assert.Equal(0, depth[0]);
        Assert.Equal(1, depth[Block(".L2")]);
        Assert.Equal(2, depth[Block(".L3")]);
    }
}
