using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Inference;
using CompilerLLM.Tests.Policy;
using CompilerLLM.Tests.TestSupport;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Pipeline;

/// <summary>The optimizer choosing with a real ONNX model run by ONNX Runtime.</summary>
public sealed class PolicyOptimizerTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-policy-opt-");

    public void Dispose() => _temp.Dispose();

    private static AsmFile File() => AsmReader.Read("f.s", OptimizerSamples.ThreeRewrites);

    /// <summary>A linear model whose score is the sum of the given weights of the candidate's rule one-hot, plus a bias.</summary>
    private RewritePolicy RuleWeights(float bias, params (string Rule, float Weight)[] weights)
    {
        var w = new float[FeatureSchema.Width];
        var names = FeatureSchema.FeatureNames.ToList();
        foreach (var (rule, weight) in weights) w[names.IndexOf("rule." + rule)] = weight;
        string path = _temp.File($"m{Guid.NewGuid():N}.onnx");
        System.IO.File.WriteAllBytes(path, RewritePolicyTests.LinearPolicy(w, bias));
        return RewritePolicy.Load(path);
    }

    [Fact]
    public void OnlyCandidatesScoredAboveTheThresholdAreApplied()
    {
        using var model = RuleWeights(-0.5f, ("add-one-to-inc", 1f));
        var r = Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.Model, Model = model });
        var f = Assert.Single(r.Report.FunctionReports);
        var applied = Assert.Single(f.Applied);
        Assert.Equal("add-one-to-inc", applied.Rule);
        Assert.Equal(0.5f, applied.Score!.Value, 5);
        Assert.Contains("\tincl\t%edi", r.Text);
        Assert.DoesNotContain("xorl", r.Text);
        Assert.Contains(f.Rejected, x => x.Rule == "mov-zero-to-xor" && x.Reason.StartsWith("policy score -0.5 not above the threshold 0", StringComparison.Ordinal));
        Assert.StartsWith("model m", r.Report.Policy);
    }

    [Fact]
    public void AThresholdOverrideKeepsTheBestScoredOnes()
    {
        using var model = RuleWeights(0f, ("mov-zero-to-xor", 3f), ("add-one-to-inc", 2f), ("imul-to-lea", 1f));
        var all = Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.Model, Model = model });
        Assert.Equal(["mov-zero-to-xor", "add-one-to-inc", "imul-to-lea"], all.Report.FunctionReports[0].Applied.Select(a => a.Rule).ToArray());
        var best = Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.Model, Model = model, Threshold = 1.5f });
        Assert.Equal(["mov-zero-to-xor", "add-one-to-inc"], best.Report.FunctionReports[0].Applied.Select(a => a.Rule).ToArray());
        // fuel takes the best-scored first, not the first in program order
        var one = Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.Model, Model = model, Fuel = 1 });
        Assert.Equal("mov-zero-to-xor", Assert.Single(one.Report.FunctionReports[0].Applied).Rule);
        var oneReversed = RuleWeights(0f, ("mov-zero-to-xor", 1f), ("add-one-to-inc", 2f), ("imul-to-lea", 3f));
        using (oneReversed)
        {
            var r = Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.Model, Model = oneReversed, Fuel = 1 });
            Assert.Equal("imul-to-lea", Assert.Single(r.Report.FunctionReports[0].Applied).Rule);
        }
    }

    [Fact]
    public void TheSameInputAndModelGiveTheSameBytesOnCompilerOutput()
    {
        // A real GCC function with many candidates; a model with random weights over every feature.
        var rng = new Random(11);
        var w = Enumerable.Range(0, FeatureSchema.Width).Select(_ => (float)(rng.NextDouble() - 0.4)).ToArray();
        string path = _temp.File("random.onnx");
        System.IO.File.WriteAllBytes(path, RewritePolicyTests.LinearPolicy(w, 0f));
        string source = TestCorpus.Assembly(TestCorpus.FlagSet("O2"))[0];
        var file = AsmReader.ReadFile(source);
        string first, second;
        using (var model = RewritePolicy.Load(path))
            first = Optimizer.Optimize(file, new OptimizerOptions { Policy = PolicyKind.Model, Model = model }).Text;
        using (var model = RewritePolicy.Load(path))
            second = Optimizer.Optimize(AsmReader.ReadFile(source), new OptimizerOptions { Policy = PolicyKind.Model, Model = model }).Text;
        Assert.Equal(first, second);
        Assert.NotEqual(System.IO.File.ReadAllText(source), first);
        Assert.Equal(0, AsmReader.Read("out.s", first).VerbatimCount);
    }

    [Fact]
    public void ModelPolicyWithoutAModelIsMisuse()
    {
        Assert.Throws<ArgumentException>(() => Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.Model }));
    }
}

public sealed class CustomChooserTests
{
    [Fact]
    public void ACustomChooserCannotBypassTheGuards()
    {
        var file = AsmReader.Read("f.s", OptimizerSamples.ThreeRewrites);
        var r = Optimizer.Optimize(file, new OptimizerOptions
        {
            Policy = PolicyKind.Custom,
            // every candidate, invalid ones included, twice over, in reverse order
            Chooser = (_, candidates) => candidates.Reverse().Concat(candidates),
        });
        var all = Optimizer.Optimize(AsmReader.Read("f.s", OptimizerSamples.ThreeRewrites), new OptimizerOptions { Policy = PolicyKind.All });
        Assert.Equal(0, AsmReader.Read("out.s", r.Text).VerbatimCount);
        Assert.Equal(r.Report.FunctionReports[0].Applied.Count, r.Report.FunctionReports[0].Applied.Select(a => a.Line).Distinct().Count());
        Assert.True(r.Report.Applied >= 1 && r.Report.Applied <= all.Report.Candidates);
        var picked = Optimizer.Optimize(AsmReader.Read("f.s", OptimizerSamples.ThreeRewrites), new OptimizerOptions
        {
            Policy = PolicyKind.Custom,
            Chooser = (_, candidates) => candidates.Where(c => c.Rule.Name == "imul-to-lea"),
        });
        Assert.Equal("imul-to-lea", Assert.Single(picked.Report.FunctionReports[0].Applied).Rule);
    }

    [Fact]
    public void A_model_loaded_on_first_use_is_loaded_only_for_a_unit_with_candidates_and_chooses_like_a_loaded_one()
    {
        using var dir = new TempDirectory();
        // A damaged model: loaded at once it is refused; on first use, a unit with nothing to score never notices it.
        string damaged = dir.File("damaged.onnx");
        System.IO.File.WriteAllBytes(damaged, [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 37 + 11))]);
        Assert.Throws<PolicyLoadException>(() => RewritePolicy.Load(damaged));
        using var deferred = RewritePolicy.LoadOnFirstUse(damaged);
        var nothing = AsmReader.Read("n.s", "\t.text\n\t.globl\tf\n\t.type\tf, @function\nf:\n\tret\n\t.size\tf, .-f\n");
        var none = Optimizer.Optimize(nothing, new OptimizerOptions { Policy = PolicyKind.Model, Model = deferred });
        Assert.Equal(nothing.Source, none.Text);
        Assert.Equal(0, none.Report.Candidates);
        Assert.Throws<PolicyLoadException>(() => Optimizer.Optimize(AsmReader.Read("f.s", OptimizerSamples.ThreeRewrites), new OptimizerOptions { Policy = PolicyKind.Model, Model = deferred }));

        // A good model: the same choice, report and identity either way.
        string good = dir.File("good.onnx");
        System.IO.File.WriteAllBytes(good, RewritePolicyTests.LinearPolicy(Enumerable.Repeat(0.5f, FeatureSchema.Width).ToArray(), 0.1f));
        using var loaded = RewritePolicy.Load(good);
        using var onFirstUse = RewritePolicy.LoadOnFirstUse(good);
        var a = Optimizer.Optimize(AsmReader.Read("f.s", OptimizerSamples.ThreeRewrites), new OptimizerOptions { Policy = PolicyKind.Model, Model = loaded });
        var b = Optimizer.Optimize(AsmReader.Read("f.s", OptimizerSamples.ThreeRewrites), new OptimizerOptions { Policy = PolicyKind.Model, Model = onFirstUse });
        Assert.True(a.Report.Candidates > 0);
        Assert.Equal(a.Text, b.Text);
        Assert.Equal(a.Report.Applied, b.Report.Applied);
        Assert.Equal(a.Report.Policy, b.Report.Policy);
        Assert.Equal(loaded.ModelSha256, onFirstUse.ModelSha256);
    }
}
