using CompilerLLM.Analysis;
using CompilerLLM.Rewriting;
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
        var failures = result.Instances.Where(i => i.Status != CompilerLLM.Verification.EquivalenceStatus.Equivalent)
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
        Assert.Contains(result.Instances, i => i.Status == CompilerLLM.Verification.EquivalenceStatus.Different && i.Detail!.Contains("CF"));
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
    public void DeadLocationsAreExcludedFromTheComparisonOnly()
    {
        var rule = RuleCatalogue.Find("cmp-zero-to-test")!;
        var b = new Bindings { Width = 32 };
        b.BindRegister("r", Iced.Intel.Register.RAX);
        Assert.Equal(LocationSet.Of(Location.AF), rule.MayDiffer(b));
    }
}
