using CompilerLLM.Analysis;
using static Iced.Intel.Mnemonic;
using static CompilerLLM.Rewriting.RuleFamily;
using static CompilerLLM.Rewriting.Catalogues.RuleDsl;

namespace CompilerLLM.Rewriting.Catalogues;

/// <summary>One instruction for another with the same effect: shorter, lower latency or better fusing. Operands in Intel order.</summary>
public static class SubstitutionRules
{
    private static readonly long[] LeaMultipliers = [3, 5, 9];
    private static readonly long[] PowersOfTwo = [.. Enumerable.Range(1, 30).Select(n => 1L << n)];

    public static IReadOnlyList<RewriteRule> All { get; } =
    [
        // ;; add $1, r  ==  inc r                         (CF dead; 1 byte shorter)
        Rule("add-one-to-inc", Substitution, "add $1, r  ==  inc r (CF dead)", AllWidths,
            [I(Add, Reg("r"), Imm(1))], [T("Inc_rm{w}", R("r"))], RuleConditions.FlagsDead(Flags(Location.CF))),
        // ;; sub $1, r  ==  dec r                         (CF dead)
        Rule("sub-one-to-dec", Substitution, "sub $1, r  ==  dec r (CF dead)", AllWidths,
            [I(Sub, Reg("r"), Imm(1))], [T("Dec_rm{w}", R("r"))], RuleConditions.FlagsDead(Flags(Location.CF))),
        // ;; inc r  ==  add $1, r                         (CF dead; no partial-flags merge)
        Rule("inc-to-add-one", Substitution, "inc r  ==  add $1, r (CF dead)", AllWidths,
            [I(Inc, Reg("r"))], [T("Add_rm{w}_imm8|Add_rm8_imm8", R("r"), Im(1))], RuleConditions.FlagsDead(Flags(Location.CF)))
            with { AppliedByDefault = false },
        // ;; dec r  ==  sub $1, r                         (CF dead)
        Rule("dec-to-sub-one", Substitution, "dec r  ==  sub $1, r (CF dead)", AllWidths,
            [I(Dec, Reg("r"))], [T("Sub_rm{w}_imm8|Sub_rm8_imm8", R("r"), Im(1))], RuleConditions.FlagsDead(Flags(Location.CF)))
            with { AppliedByDefault = false },

        // ;; imul $k, r, r  ==  lea (r,r,k-1), r          (k in {3,5,9}; flags dead)
        Rule("imul-to-lea", Substitution, "imul $k, r, r  ==  lea (r,r,k-1), r (k=3,5,9; flags dead)", Wide,
            [I(Imul, Reg("r"), Reg("r"), Imm("k", LeaMultipliers))],
            [T("Lea_r{w}_m", R("r"), A("r", "r", scale: Minus("k", 1)))],
            RuleConditions.AllFlagsDead),
        // ;; imul $k, s, d  ==  lea (s,s,k-1), d          (k in {3,5,9}; flags dead)
        Rule("imul-to-lea-copy", Substitution, "imul $k, s, d  ==  lea (s,s,k-1), d (k=3,5,9; flags dead)", Wide,
            [I(Imul, Reg("d"), Reg("s"), Imm("k", LeaMultipliers))],
            [T("Lea_r{w}_m", R("d"), A("s", "s", scale: Minus("k", 1)))],
            RuleConditions.AllFlagsDead),
        // ;; imul $2^n, r, r  ==  shl $n, r               (flags dead)
        Rule("imul-pow2-to-shl", Substitution, "imul $2^n, r, r  ==  shl $n, r (flags dead)", Wide,
            [I(Imul, Reg("r"), Reg("r"), Imm("k", PowersOfTwo))],
            [T("Shl_rm{w}_imm8", R("r"), Im(Log2("k")))],
            RuleConditions.AllFlagsDead),

        // ;; and $0xff, r  ==  movzbl r8, r32             (flags dead)
        Rule("and-ff-to-movzx", Substitution, "and $0xff, r  ==  movzbl r8, r32 (flags dead)", Wide,
            [I(And, Reg("r"), Imm(0xff))], [T("Movzx_r32_rm8", R("r", 32), R("r", 8))], RuleConditions.AllFlagsDead),
        // ;; and $0xffff, r  ==  movzwl r16, r32          (flags dead)
        Rule("and-ffff-to-movzx", Substitution, "and $0xffff, r  ==  movzwl r16, r32 (flags dead)", Wide,
            [I(And, Reg("r"), Imm(0xffff))], [T("Movzx_r32_rm16", R("r", 32), R("r", 16))], RuleConditions.AllFlagsDead),

        // ;; shl $1, r  ==  add r, r                      (AF dead)
        Rule("shl-one-to-add", Substitution, "shl $1, r  ==  add r, r (AF dead)", AllWidths,
            [I(Shl, Reg("r"), Imm(1))], [T("Add_rm{w}_r{w}", R("r"), R("r"))], RuleConditions.FlagsDead(Flags(Location.AF))),

        // ;; lea (d,s), d  ==  add s, d                   (flags dead)
        Rule("lea-to-add", Substitution, "lea (d,s), d  ==  add s, d (flags dead)", Wide,
            [I(Lea, Reg("d"), Addr("d", "s", 1, fixedDisp: 0))], [T("Add_rm{w}_r{w}", R("d"), R("s"))], RuleConditions.AllFlagsDead),
        // ;; lea k(r), r  ==  add $k, r                   (flags dead)
        Rule("lea-disp-to-add", Substitution, "lea k(r), r  ==  add $k, r (flags dead)", Wide,
            [I(Lea, Reg("r"), Addr("r", disp: "k"))], [T("Add_rm{w}_imm8|Add_rm{w}_imm32", R("r"), Im("k"))],
            Guarded(RuleConditions.AllFlagsDead, FitsInt32("k"))),
    ];
}
