using CompilerLLM.Assembly;
using CompilerLLM.Lab.Measurement;
using CompilerLLM.Pipeline;
using CompilerLLM.Inference;
using CompilerLLM.Training.Episodes;
using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Tests.Episodes;

/// <summary>The environment: states from real assembly, actions as the optimizer would apply them, rewards from real llvm-mca.</summary>
public sealed class EpisodeTests
{
    // A loop whose body has a zero-move (xor is cheaper: no immediate, dependency-breaking) and an add of 1.
    private const string Source = """
        	.text
        	.globl	f
        	.type	f, @function
        f:
        	movl	$0, %eax
        .L2:
        	movl	$0, %edx
        	addl	$1, %edi
        	imull	$3, %esi, %esi
        	addl	%esi, %eax
        	addl	%edx, %eax
        	cmpl	$100, %edi
        	jne	.L2
        	ret
        	.size	f, .-f
        """;

    private static FunctionInstance Instance() =>
        Assert.Single(FunctionInstance.FromFile(AsmReader.Read("f.s", Source), "test", new CandidateEnumerator()));

    [Fact]
    public void StatesAreTheOptimizersValidCandidatesWithTheirRows()
    {
        var f = Instance();
        Assert.Equal("f", f.Function);
        Assert.Equal(f.Count * FeatureSchema.Width, f.Features.Length);
        Assert.Contains(f.Actions, a => a.Rule == "mov-zero-to-xor");
        Assert.Contains(f.Actions, a => a.Rule == "add-one-to-inc");
        // the loop block weighs 8 (depth 1), the entry block 1
        var loop = f.Actions.First(a => a.Rule == "add-one-to-inc").Block;
        Assert.Equal(8, f.Blocks[loop].Weight);
    }

    [Fact]
    public void BlockAfterAppliesExactlyTheChosenWindows()
    {
        var f = Instance();
        int inc = Array.FindIndex(f.Actions, a => a.Rule == "add-one-to-inc");
        int block = f.Actions[inc].Block;
        var before = f.BlockBefore(block);
        var after = f.BlockAfter(block, [inc]);
        Assert.Equal(before.Count, after.Count);
        Assert.Contains("addl\t$1, %edi", before);
        Assert.Contains("incl\t%edi", after);
        Assert.Equal(before.Where(l => l != "addl\t$1, %edi"), after.Where(l => l != "incl\t%edi"));
    }

    [Fact]
    public void ResolveTakesThePriorityOrderAndDropsOverlaps()
    {
        var f = Instance();
        int schedule = Array.FindIndex(f.Actions, a => a.Rule == "schedule-block");
        Assert.True(schedule >= 0, "the loop body has independent instructions: a schedule candidate exists");
        var overlapping = Enumerable.Range(0, f.Count).Where(a => a != schedule && f.Actions[a].Overlaps(f.Actions[schedule])).ToList();
        Assert.NotEmpty(overlapping);
        Assert.Equal([schedule], RewriteSelection.Select(f.Actions, [schedule, .. overlapping]));
        Assert.Equal(overlapping.Where((a, i) => !overlapping.Take(i).Any(b => f.Actions[a].Overlaps(f.Actions[b]))), RewriteSelection.Select(f.Actions, [.. overlapping, schedule]));
    }

    [Fact]
    public void TheRewardIsTheWeightedLlvmMcaDifference()
    {
        var estimator = new StaticEstimator(new StaticEstimatorOptions { Mcpu = "skylake" });
        var reward = new RewardModel(estimator);
        var f = Instance();
        reward.Prepare([f]);
        int inc = Array.FindIndex(f.Actions, a => a.Rule == "add-one-to-inc");
        int block = f.Actions[inc].Block;
        double[] cycles = estimator.CyclesPerExecution([f.BlockBefore(block), f.BlockAfter(block, [inc])]);
        var outcome = reward.Evaluate([(f, [inc])])[0];
        Assert.Equal(8 * (cycles[0] - cycles[1]), outcome.Saved, 9);
        Assert.Equal(outcome.Saved, f.SoloSaving[inc], 9);
        Assert.Equal(100 * outcome.Saved / f.BaseCycles, outcome.Relative, 9);
        Assert.Equal(0, reward.Evaluate([(f, [])])[0].Saved);
        Assert.True(f.BaseCycles > 0);
        // the oracle is never worse than the cost-model greedy (it searches a superset) nor than doing nothing
        var oracle = Baselines.Oracle([f], reward)[0];
        var greedy = Baselines.CostGreedy(f);
        Assert.True(reward.Evaluate([(f, oracle)])[0].Saved >= reward.Evaluate([(f, greedy)])[0].Saved - 1e-9);
        Assert.True(reward.Evaluate([(f, oracle)])[0].Saved >= 0);
    }

    [Fact]
    public void FoldingTheScalerKeepsTheNetworksOutputs()
    {
        var rng = new Random(2);
        int width = 6, n = 50;
        float[] raw = [.. Enumerable.Range(0, n * width).Select(i => (float)(rng.NextDouble() * (i % width + 1) * 3 + i % width))];
        for (int r = 0; r < n; r++) raw[r * width + 5] = 4f; // a constant column keeps scale 1
        var scaler = FeatureScaler.Fit([raw], width);
        Assert.Equal(1f, scaler.Scale[5]);
        var mlp = new Mlp(width, [8], Activation.Tanh);
        mlp.Initialize(3, 1f);
        float[] expected = mlp.Forward(scaler.Apply(raw), n);
        float[] folded = Mlp.FromWeights(scaler.Fold(mlp.ExportWeights())).Forward(raw, n);
        for (int i = 0; i < n; i++) Assert.Equal(expected[i], folded[i], 4);
    }
}
