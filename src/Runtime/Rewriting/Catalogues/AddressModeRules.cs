using static Iced.Intel.Mnemonic;
using static CompilerLLM.Rewriting.RuleFamily;
using static CompilerLLM.Rewriting.Catalogues.RuleDsl;

namespace CompilerLLM.Rewriting.Catalogues;

/// <summary>Address computations folded into, or split out of, the instructions that use them. Operands in Intel order.</summary>
public static class AddressModeRules
{
    public static IReadOnlyList<RewriteRule> All { get; } =
    [
        // ;; lea d1(b), t; mov d2(t), r  ==  mov d1+d2(b), r   (t dead after; b != t)
        Rule("fold-lea-into-load", AddressMode, "lea d1(b), t; mov d2(t), r  ==  mov d1+d2(b), r (t dead)", AllWidths,
            [I(Lea, Reg("t", 64), Addr("b", disp: "d1")), I(Mov, Reg("r"), At("t", "d2"))],
            [T("Mov_r{w}_rm{w}", R("r"), A("b", disp: Sum("d1", "d2")))],
            Guarded(Dead(default, "t"), FitsInt32(Sum("d1", "d2")))),
        // ;; lea d1(b), t; mov d2(t), t  ==  mov d1+d2(b), t
        Rule("fold-lea-into-load-same", AddressMode, "lea d1(b), t; mov d2(t), t  ==  mov d1+d2(b), t", Wide,
            [I(Lea, Reg("t", 64), Addr("b", disp: "d1")), I(Mov, Reg("t"), At("t", "d2"))],
            [T("Mov_r{w}_rm{w}", R("t"), A("b", disp: Sum("d1", "d2")))],
            Guarded(Dead(default), FitsInt32(Sum("d1", "d2")))),
        // ;; lea k(b,i,s), r  ==  lea (b,i,s), r; add $k, r   (flags dead; 3-component lea has 3-cycle latency on many cores)
        Rule("split-three-component-lea", AddressMode, "lea k(b,i,s), r  ==  lea (b,i,s), r; add $k, r (flags dead)", Wide,
            [I(Lea, Reg("r"), Addr("b", "i", scale: 0, disp: "k"))],
            [T("Lea_r{w}_m", R("r"), A("b", "i", scale: Var("i.scale"))), T("Add_rm{w}_imm8|Add_rm{w}_imm32", R("r"), Im("k"))],
            Guarded(RuleConditions.AllFlagsDead, All(NonZero("k"), FitsInt32("k"), Distinct("r", "b"), Distinct("r", "i")))),
    ];
}
