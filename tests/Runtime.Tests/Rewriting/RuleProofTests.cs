using CompilerLLM.Analysis;
using CompilerLLM.Rewriting;
using CompilerLLM.Rewriting.Functions;
using CompilerLLM.Rewriting.Guards;
using CompilerLLM.Verification;
using static Iced.Intel.Mnemonic;

namespace CompilerLLM.Tests.Rewriting;

/// <summary>Every rule of the catalogue is proven by z3 at every width and encoding; a wrong rule is caught.</summary>
public sealed class RuleProofTests
{
    public static TheoryData<string> RuleNames()
    {
        var data = new TheoryData<string>();
        foreach (var r in RuleCatalogue.All) data.Add(r.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void RuleIsProvenAtEveryWidth(string name)
    {
        var result = RuleProver.Prove(RuleCatalogue.Find(name)!);
        var failures = result.Instances.Where(i => i.Status != EquivalenceStatus.Equivalent)
            .Select(i => $"w{i.Width} {i.Instance}: {i.Status} {i.Detail}");
        Assert.True(result.Proven, string.Join("\n", failures));
    }

    [Fact]
    public void CatalogueHasAtLeastThirtyNamedDocumentedRules()
    {
        Assert.True(RuleCatalogue.All.Count >= 30, $"{RuleCatalogue.All.Count} rules");
        Assert.Equal(RuleCatalogue.All.Count, RuleCatalogue.All.Select(r => r.Name).Distinct().Count());
        Assert.All(RuleCatalogue.All, r => Assert.Contains("==", r.Equation));
        Assert.True(RuleCatalogue.All.Select(r => r.Family).Distinct().Count() >= 4);
    }

    [Fact]
    public void AWrongRuleFailsItsProof()
    {
        // add $1 -> inc without requiring CF dead: inc keeps CF, add computes it.
        var wrong = new RewriteRule("wrong-add-to-inc", RuleFamily.Substitution, "add $1, r  ==  inc r (WRONG: CF)", [32],
            [InstructionPattern.Of(Add, OperandPattern.Reg("r"), OperandPattern.Imm(1))],
            [InstructionTemplate.Of("Inc_rm{w}", OperandTemplate.Reg("r"))], RuleConditions.None);
        var result = RuleProver.Prove(wrong);
        Assert.False(result.Proven);
        Assert.Contains(result.Instances, i => i.Status == EquivalenceStatus.Different && i.Detail!.Contains("CF"));
    }

    [Fact]
    public void AWrongWidthFailsItsProof()
    {
        // A 32-bit reload after a store is not a no-op: the load zero-extends.
        var wrong = new RewriteRule("wrong-reload", RuleFamily.Peephole, "movl r, m; movl m, r == movl r, m (WRONG)", [32],
            [InstructionPattern.Of(Mov, OperandPattern.Mem("m"), OperandPattern.Reg("r")), InstructionPattern.Of(Mov, OperandPattern.Reg("r"), OperandPattern.Mem("m"))],
            [InstructionTemplate.Of("Mov_rm{w}_r{w}", OperandTemplate.Mem("m"), OperandTemplate.Reg("r"))], RuleConditions.None);
        Assert.False(RuleProver.Prove(wrong).Proven);
    }

    [Fact]
    public void TheGuardIsAPreconditionOfEveryObligation()
    {
        // Without "d1+d2 fits in 32 bits" the folded displacement can leave its 32-bit field: z3 finds the counterexample.
        var rule = RuleCatalogue.Find("fold-lea-into-load")!;
        var unguarded = rule with { Name = "fold-lea-into-load-unguarded", Conditions = rule.Conditions with { Guard = null } };
        var result = RuleProver.Prove(unguarded);
        Assert.False(result.Proven);
        Assert.Contains(result.Instances, i => i.Status == EquivalenceStatus.Different);
        Assert.All(RuleProver.Prove(rule).Instances, i => Assert.Contains("when d1+d2 fits in 32 bits", i.Instance));
    }

    [Fact]
    public void AGuardThatNeverHoldsProvesNothing()
    {
        // k+2^63 is never a 32-bit number for a 32-bit k: every obligation would hold vacuously.
        var rule = RuleCatalogue.Find("lea-disp-to-add")!;
        var never = new FitsInInt32Guard(new SumFunction(new VariableFunction("k"), new ConstantFunction(long.MinValue)));
        var result = RuleProver.Prove(rule with { Name = "lea-disp-to-add-never", Conditions = rule.Conditions with { Guard = never } });
        Assert.False(result.Proven);
        Assert.All(result.Instances, i => Assert.Contains("holds for no instantiation", i.Detail));
    }

    [Fact]
    public void DeadLocationsAreExcludedFromTheComparisonOnly()
    {
        var rule = RuleCatalogue.Find("cmp-zero-to-test")!;
        var b = new Bindings { Width = 32 };
        b.BindRegister("r", Iced.Intel.Register.RAX);
        Assert.Equal(LocationSet.Of(Location.AF), rule.MayDiffer(b));
    }
}
