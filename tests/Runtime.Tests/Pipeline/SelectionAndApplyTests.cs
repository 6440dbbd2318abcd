using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Tests.Pipeline;

/// <summary>The engine's one selection and one apply, which the optimizer and the trainer share.</summary>
public sealed class SelectionAndApplyTests
{
    private readonly record struct Window(RewriteSite Site, bool IsValid = true) : IRewriteCandidate
    {
        public Window(int first, int count, bool valid = true) : this(new RewriteSite(first, count), valid) { }
    }

    [Fact]
    public void SelectionTakesThePriorityOrderAndSaysWhyItPassesOver()
    {
        Window[] candidates = [new(0, 2), new(1, 1), new(3, 1, valid: false), new(4, 1), new(6, 1)];
        var passed = new List<(int, SelectionSkip)>();
        int fuel = 2;
        var taken = RewriteSelection.Select(candidates, [1, 0, 2, 1, 4, 3], ref fuel, (i, why) => passed.Add((i, why)));
        Assert.Equal([1, 4], taken); // in the order taken, not program order
        Assert.Equal(0, fuel);
        Assert.Equal([(0, SelectionSkip.Overlaps), (2, SelectionSkip.Invalid), (1, SelectionSkip.AlreadyTaken), (3, SelectionSkip.OutOfFuel)], passed);
        Assert.Equal([0, 3, 4], RewriteSelection.Select(candidates, [0, 1, 2, 3, 4]));
    }

    [Fact]
    public void TheApplyReplacesTheFirstInstructionOfAWindowAndDeletesTheRest()
    {
        Window[] candidates = [new(2, 3), new(7, 1), new(5, 0)];
        var applied = AppliedRewrites.Of(candidates, [0, 1, 2]);
        Assert.Equal(InstructionFate.Kept, applied.FateOf(1, out int none));
        Assert.Equal(-1, none);
        Assert.Equal(InstructionFate.Replaced, applied.FateOf(2, out int first));
        Assert.Equal(0, first);
        Assert.Equal(InstructionFate.Deleted, applied.FateOf(4, out int rest));
        Assert.Equal(0, rest);
        Assert.Equal(InstructionFate.Kept, applied.FateOf(5, out _)); // an empty (layout) window changes no instruction
        Assert.Equal(InstructionFate.Replaced, applied.FateOf(7, out int second));
        Assert.Equal(1, second);
        Assert.Equal(4, applied.Touched.Count());
        Assert.Throws<ArgumentException>(() => AppliedRewrites.Of([new Window(0, 2), new Window(1, 2)], [0, 1]));
    }

    [Fact]
    public void TheReportCarriesTheKindOfEachRejection()
    {
        const string source = "\t.text\n\t.type g, @function\ng:\n\taddl\t$1, %edi\n\tsetc\t%al\n\tmovl\t$0, %edx\n\tret\n\t.size g, .-g\n";
        var r = Optimizer.Optimize(AsmReader.Read("g.s", source), new OptimizerOptions { Fuel = 0 });
        var rejected = r.Report.FunctionReports[0].Rejected;
        Assert.Equal(RejectionKind.LiveAfterWindow, Assert.Single(rejected, x => x.Rule == "add-one-to-inc").Kind);
        Assert.Equal(RejectionKind.OutOfFuel, Assert.Single(rejected, x => x.Rule == "mov-zero-to-xor").Kind);
    }

    [Fact]
    public void TheSizeObjectiveNeverAppliesARewriteThatMakesCodeLonger()
    {
        // split-three-component-lea grows 4 bytes into 6; add-one-to-inc shrinks 3 into 2 (the flags are dead at ret).
        const string source = "\t.text\n\t.type f, @function\nf:\n\tleal\t7(%rdi,%rsi,4), %eax\n\taddl\t$1, %edi\n\taddl\t%edi, %eax\n\tret\n\t.size f, .-f\n";
        static FunctionReport Run(OptimizerOptions options) => Optimizer.Optimize(AsmReader.Read("f.s", source), options).Report.FunctionReports[0];

        var speed = Run(new OptimizerOptions().For(CompilerLLM.Variants.VariantObjective.Speed));
        Assert.Contains(speed.Applied, a => a.Rule == "split-three-component-lea" && a.SizeDelta < 0);
        Assert.Contains(speed.Applied, a => a.Rule == "add-one-to-inc");

        var options = new OptimizerOptions().For(CompilerLLM.Variants.VariantObjective.Size);
        Assert.True(options.NoCodeGrowth);
        var everything = (Func<CompilerLLM.Analysis.FunctionAnalysis, IReadOnlyList<Candidate>, IEnumerable<Candidate>>)((_, candidates) => candidates);
        foreach (var size in new[] { Run(options), Run(options with { Policy = PolicyKind.Custom, Chooser = everything }) })
        {
            Assert.DoesNotContain(size.Applied, a => a.SizeDelta < 0);
            Assert.Contains(size.Applied, a => a.Rule == "add-one-to-inc" && a.SizeDelta == 1);
            var grows = Assert.Single(size.Rejected, r => r.Rule == "split-three-component-lea");
            Assert.Equal(RejectionKind.GrowsCode, grows.Kind);
            Assert.Contains("adds 2 byte(s)", grows.Reason, StringComparison.Ordinal);
            Assert.True(size.SizeDelta > 0);
        }
    }

    private sealed class Hook(Func<IReadOnlyList<Candidate>, IReadOnlyList<Candidate>> transform) : IChosenRewritesHook
    {
        public IReadOnlyList<Candidate> Transform(AsmFunction function, IReadOnlyList<Candidate> chosen) => transform(chosen);
    }

    [Fact]
    public void AHookBeforeApplyingCanChangeWhatARewriteWritesButNotWhichAreApplied()
    {
        static OptimizationResult Run(IChosenRewritesHook? hook) =>
            Optimizer.Optimize(AsmReader.Read("f.s", OptimizerSamples.ThreeRewrites), new OptimizerOptions { BeforeApply = hook });
        var plain = Run(null);
        Assert.Equal(plain.Text, Run(new Hook(chosen => chosen)).Text);
        Assert.Equal(plain.Text, Run(new Hook(chosen => [.. chosen.Select(c => c.WithReplacement(c.Replacement))])).Text);
        Assert.Throws<InvalidOperationException>(() => Run(new Hook(chosen => chosen.Skip(1).ToList())));
        Assert.Throws<InvalidOperationException>(() => Run(new Hook(chosen => [chosen[1], chosen[0], .. chosen.Skip(2)])));
        Assert.Null(FaultInjection.For(" "));
        Assert.Equal("f", FaultInjection.For(" f ")!.Function);
    }
}
