using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;

namespace CompilerLLM.Tests.Pipeline;

/// <summary>A function where exactly three rules apply: mov-zero-to-xor, add-one-to-inc, imul-to-lea.</summary>
internal static class OptimizerSamples
{
    public const string ThreeRewrites = """
        	.text
        	.globl	f
        	.type	f, @function
        f:
        	movl	$0, %eax
        	addl	$1, %edi
        	imull	$3, %esi, %esi
        	addl	%esi, %edi
        	addl	%edi, %eax
        	ret
        	.size	f, .-f
        """;
}

public sealed class OptimizerTests
{
    private const string Source = OptimizerSamples.ThreeRewrites;

    private static AsmFile File() => AsmReader.Read("f.s", Source);

    [Fact]
    public void PolicyNoneChangesNothing()
    {
        var r = Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.None });
        Assert.Equal(Source, r.Text);
        Assert.Equal(0, r.Report.Applied);
        Assert.True(r.Report.Candidates >= 3);
    }

    [Fact]
    public void PolicyAllAppliesEveryValidCandidateAndReportsIt()
    {
        var r = Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.All });
        var f = Assert.Single(r.Report.FunctionReports);
        Assert.Equal(["mov-zero-to-xor", "add-one-to-inc", "imul-to-lea"], f.Applied.Select(a => a.Rule).ToArray());
        Assert.Contains("\txorl\t%eax, %eax", r.Text);
        Assert.Contains("\tincl\t%edi", r.Text);
        Assert.Contains("\tleal\t(%rsi,%rsi,2), %esi", r.Text);
        Assert.True(f.SizeDelta > 0);
        Assert.Null(f.FallbackReason);
        // the output is valid assembly that models exactly
        Assert.Equal(0, AsmReader.Read("out.s", r.Text).VerbatimCount);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    public void FuelLimitsTheRewritesInProgramOrder(int fuel, int applied)
    {
        var r = Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.All, Fuel = fuel });
        Assert.Equal(applied, r.Report.Applied);
        if (fuel == 1) Assert.Equal("mov-zero-to-xor", r.Report.FunctionReports[0].Applied[0].Rule);
        Assert.Contains(r.Report.FunctionReports[0].Rejected, x => x.Reason == "out of fuel" || fuel >= 3);
    }

    [Fact]
    public void RulesCanBeSelected()
    {
        var r = Optimizer.Optimize(File(), new OptimizerOptions { Policy = PolicyKind.All, Rules = new HashSet<string> { "imul-to-lea" } });
        Assert.Equal(["imul-to-lea"], r.Report.FunctionReports[0].Applied.Select(a => a.Rule).ToArray());
    }

    [Fact]
    public void SideConditionsComeFromLiveness()
    {
        // The flags of addl are read by the setc: add $1 -> inc must not fire (inc keeps CF).
        const string source = "\t.text\n\t.type g, @function\ng:\n\taddl\t$1, %edi\n\tsetc\t%al\n\tret\n\t.size g, .-g\n";
        var r = Optimizer.Optimize(AsmReader.Read("g.s", source), new OptimizerOptions());
        Assert.Equal(source, r.Text);
        var rejected = Assert.Single(r.Report.FunctionReports[0].Rejected, x => x.Rule == "add-one-to-inc");
        Assert.Contains("CF", rejected.Reason);
    }
}

public sealed class TranslationValidationTests
{
    private const string Source = OptimizerSamples.ThreeRewrites;

    [Fact]
    public void CorrectRewritesAreValidatedByZ3()
    {
        var r = Optimizer.Optimize(AsmReader.Read("f.s", Source), new OptimizerOptions { ValidateWithSmt = true });
        Assert.Equal(3, r.Report.Applied);
        Assert.Null(r.Report.FunctionReports[0].FallbackReason);
    }

    [Fact]
    public void ACorruptedRewriteIsCaughtOnlyByValidation()
    {
        var unchecked_ = Optimizer.Optimize(AsmReader.Read("f.s", Source), new OptimizerOptions { BeforeApply = FaultInjection.For("f") });
        Assert.Contains("\tnotq\t%rax", unchecked_.Text); // the guards alone do not see it

        var validated = Optimizer.Optimize(AsmReader.Read("f.s", Source), new OptimizerOptions { BeforeApply = FaultInjection.For("f"), ValidateWithSmt = true });
        Assert.DoesNotContain("notq", validated.Text);
        var dropped = Assert.Single(validated.Report.FunctionReports[0].Rejected, x => x.Reason.Contains("translation validation"));
        Assert.Equal("mov-zero-to-xor", dropped.Rule);
        Assert.Equal(2, validated.Report.Applied); // the other two rewrites stand
    }
}

public sealed class SchedulingAndLayoutTests
{
    [Fact]
    public void SchedulerStartsTheLoadEarlyAndTheResultIsProvenEquivalent()
    {
        const string source = "\t.text\n\t.type f, @function\nf:\n\taddl\t%esi, %edi\n\taddl\t%edi, %edx\n\tmovl\t(%rcx), %eax\n\taddl\t%edx, %eax\n\tret\n\t.size f, .-f\n";
        var r = Optimizer.Optimize(AsmReader.Read("f.s", source),
            new OptimizerOptions { Rules = new HashSet<string> { "schedule-block" }, ValidateWithSmt = true });
        var applied = Assert.Single(r.Report.FunctionReports[0].Applied);
        Assert.Equal("schedule-block", applied.Rule);
        var lines = r.Text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('.') && !l.EndsWith(':')).ToArray();
        Assert.Equal(["movl\t(%rcx), %eax", "addl\t%esi, %edi", "addl\t%edi, %edx", "addl\t%edx, %eax", "ret"], lines);
        Assert.True(r.Report.FunctionReports[0].EstimatedCycleDelta < 0);
    }

    [Fact]
    public void SchedulerLeavesDependentChainsAndCfiAnchorsAlone()
    {
        const string source = "\t.text\n\t.type f, @function\nf:\n\t.cfi_startproc\n\tpushq\t%rbx\n\t.cfi_def_cfa_offset 16\n" +
            "\tmovl\t%edi, %ebx\n\taddl\t%ebx, %ebx\n\timull\t%ebx, %ebx\n\tmovl\t%ebx, %eax\n\tpopq\t%rbx\n\t.cfi_def_cfa_offset 8\n\tret\n\t.cfi_endproc\n\t.size f, .-f\n";
        var r = Optimizer.Optimize(AsmReader.Read("f.s", source), new OptimizerOptions { Rules = new HashSet<string> { "schedule-block" } });
        Assert.Equal(source, r.Text);
    }

    [Fact]
    public void UnalignedLoopHeadersGetGccsAlignment()
    {
        // -O0 shape: jump to the test, loop body first. Nothing falls into the body's label.
        const string loop = "\t.text\n\t.type f, @function\nf:\n\txorl\t%eax, %eax\n\tjmp\t.L3\n.L2:\n\taddl\t%edi, %eax\n\tsubl\t$1, %edi\n.L3:\n\ttestl\t%edi, %edi\n\tjne\t.L2\n\tret\n\t.size f, .-f\n";
        // Not in a default build (a layout effect nothing but timing can judge); only when asked for by name.
        Assert.DoesNotContain(Optimizer.Optimize(AsmReader.Read("f.s", loop), new OptimizerOptions { Policy = PolicyKind.All }).Report.FunctionReports[0].CandidatesPerRule.Keys, k => k == "align-loop-header");
        var r = Optimizer.Optimize(AsmReader.Read("f.s", loop), new OptimizerOptions { Rules = new HashSet<string> { "align-loop-header" } });
        Assert.Contains("\tjmp\t.L3\n\t.p2align 4,,10\n\t.p2align 3\n.L2:\n", r.Text);
        Assert.Equal("align-loop-header", Assert.Single(r.Report.FunctionReports[0].Applied).Rule);

        string aligned = loop.Replace(".L2:\n", "\t.p2align 4\n.L2:\n", StringComparison.Ordinal);
        // Not a loop: a join placed before the block that jumps to it gets nothing.
        const string join = "\t.text\n\t.type h, @function\nh:\n\ttestl\t%edi, %edi\n\tjne\t.L5\n.L4:\n\tmovl\t%esi, %eax\n\tret\n.L5:\n\taddl\t$1, %esi\n\tjmp\t.L4\n\t.size h, .-h\n";
        Assert.Equal(join, Optimizer.Optimize(AsmReader.Read("h.s", join), new OptimizerOptions { Rules = new HashSet<string> { "align-loop-header" } }).Text);
        var again = Optimizer.Optimize(AsmReader.Read("g.s", aligned), new OptimizerOptions { Rules = new HashSet<string> { "align-loop-header" } });
        Assert.Equal(aligned, again.Text);
    }
}
