using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Rewriting;
using static Iced.Intel.Mnemonic;

namespace CompilerLLM.Tests.Rewriting;

/// <summary>
/// Rules fail when they are built, not at a user's site: every Iced code a template names must exist
/// at every width of its rule and take the template's operands; guards are objects the matcher
/// evaluates and reports describe.
/// </summary>
public sealed class RuleDefinitionTests
{
    private static RewriteRule IncRule(string name, string codes, IReadOnlyList<int> widths, params OperandTemplate[] operands) =>
        new(name, RuleFamily.Substitution, "add $1, r  ==  inc r (CF dead)", widths,
            [InstructionPattern.Of(Add, OperandPattern.Reg("r"), OperandPattern.Imm(1))],
            [InstructionTemplate.Of(codes, operands)], RuleConditions.FlagsDead(LocationSet.Of(Location.CF)));

    [Fact]
    public void AMisspeltCodeCannotBeBuilt()
    {
        var e = Assert.Throws<RuleDefinitionException>(() => IncRule("misspelt-inc", "Inc_rm{w}|Inc_rn{w}", [32, 64], OperandTemplate.Reg("r")));
        Assert.Equal("misspelt-inc", e.Rule);
        Assert.Contains("misspelt-inc", e.Message);
        Assert.Contains("'Inc_rn32'", e.Message);
    }

    [Fact]
    public void ACodeThatDoesNotExistAtOneOfTheRulesWidthsCannotBeBuilt()
    {
        // lea has no 8-bit form: the rule's width 8 is the mistake.
        var e = Assert.Throws<RuleDefinitionException>(() => IncRule("lea-at-8", "Lea_r{w}_m", [8, 32],
            OperandTemplate.Reg("r"), OperandTemplate.Address("r", null)));
        Assert.Contains("'Lea_r8_m'", e.Message);
    }

    [Fact]
    public void ACodeTakingOtherOperandsThanTheTemplateCannotBeBuilt()
    {
        var e = Assert.Throws<RuleDefinitionException>(() => IncRule("inc-two-operands", "Inc_rm{w}", [32], OperandTemplate.Reg("r"), OperandTemplate.Imm(1)));
        Assert.Contains("Inc_rm32 has 1 operand(s)", e.Message);
    }

    [Fact]
    public void EveryCatalogueRuleResolvesACodePerWidth()
    {
        Assert.All(RuleCatalogue.All, rule =>
        {
            foreach (var template in rule.Replacement)
            {
                foreach (int width in rule.Widths)
                    Assert.True(template.CodesAt(width).Count >= 1, $"{rule.Name}: {template.Codes} at width {width}");
            }
        });
    }

    [Fact]
    public void GuardDescriptionsComeFromTheGuardExpression()
    {
        Assert.Equal("d1+d2 fits in 32 bits", RuleCatalogue.Find("fold-lea-into-load")!.Conditions.GuardDescription);
        Assert.Equal("k is not zero, k fits in 32 bits, r is not b and r is not i",
            RuleCatalogue.Find("split-three-component-lea")!.Conditions.GuardDescription);
        Assert.Equal("r1 is not part of the address of m", RuleCatalogue.Find("reuse-loaded-value")!.Conditions.GuardDescription);
        Assert.Null(RuleCatalogue.Find("mov-zero-to-xor")!.Conditions.GuardDescription);
    }

    [Theory]
    [InlineData(-24L, 16L, true)]
    [InlineData(0x7fff_0000L, 0xffffL, true)]
    [InlineData(0x7fff_0000L, 0x10000L, false)] // d1+d2 = 2^31: no 32-bit displacement holds it
    [InlineData(int.MinValue, -1L, false)]
    public void TheMatcherEvaluatesTheGuardAtTheSite(long d1, long d2, bool matches)
    {
        var rule = RuleCatalogue.Find("fold-lea-into-load")!;
        AsmInstruction[] window =
        [
            new(Instruction.Create(Code.Lea_r64_m, Register.RCX, new MemoryOperand(Register.RBX, d1, 4)), -1, default, default),
            new(Instruction.Create(Code.Mov_r32_rm32, Register.EAX, new MemoryOperand(Register.RCX, d2, 4)), -1, default, default),
        ];
        var bindings = rule.Match(window);
        Assert.Equal(matches, bindings is not null);
        if (bindings is null) return;
        var built = Assert.Single(rule.Build(bindings)!);
        Assert.Equal(d1 + d2, (long)built.Instruction.MemoryDisplacement64);
        Assert.Equal(Register.RBX, built.Instruction.MemoryBase);
    }
}
