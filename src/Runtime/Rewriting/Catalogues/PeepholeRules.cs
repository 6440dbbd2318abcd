using CompilerLLM.Analysis;
using static Iced.Intel.Mnemonic;
using static CompilerLLM.Rewriting.RuleFamily;
using static CompilerLLM.Rewriting.Catalogues.RuleDsl;

namespace CompilerLLM.Rewriting.Catalogues;

/// <summary>Peephole rules: windows of 1–4 instructions replaced by fewer or cheaper ones. Operands in Intel order.</summary>
public static class PeepholeRules
{
    public static IReadOnlyList<RewriteRule> All { get; } =
    [
        // ;; mov $0, r  ==  xor r32, r32                 (flags dead)
        Rule("mov-zero-to-xor", Peephole, "mov $0, r  ==  xor r32, r32 (flags dead)", Wide,
            [I(Mov, Reg("r"), Imm(0))],
            [T("Xor_rm32_r32", R("r", 32), R("r", 32))],
            RuleConditions.AllFlagsDead),

        // ;; sub r, r  ==  xor r32, r32                  (AF dead)
        Rule("sub-self-to-xor", Peephole, "sub r, r  ==  xor r32, r32 (AF dead)", Wide,
            [I(Sub, Reg("r"), Reg("r"))],
            [T("Xor_rm32_r32", R("r", 32), R("r", 32))],
            RuleConditions.FlagsDead(Flags(Location.AF))),

        // ;; cmp $0, r  ==  test r, r                    (AF dead)
        Rule("cmp-zero-to-test", Peephole, "cmp $0, r  ==  test r, r (AF dead)", AllWidths,
            [I(Cmp, Reg("r"), Imm(0))],
            [T("Test_rm{w}_r{w}", R("r"), R("r"))],
            RuleConditions.FlagsDead(Flags(Location.AF))),

        // ;; cmp a, b  ==  (nothing)                     (flags dead; registers only, so nothing can fault)
        Rule("dead-cmp-reg", Peephole, "cmp r1, r2  ==  nothing (flags dead)", AllWidths,
            [I(Cmp, Reg("a"), Reg("b"))], [], RuleConditions.AllFlagsDead),
        Rule("dead-cmp-imm", Peephole, "cmp $k, r  ==  nothing (flags dead)", AllWidths,
            [I(Cmp, Reg("a"), Imm("k"))], [], RuleConditions.AllFlagsDead),
        Rule("dead-test-reg", Peephole, "test r1, r2  ==  nothing (flags dead)", AllWidths,
            [I(Test, Reg("a"), Reg("b"))], [], RuleConditions.AllFlagsDead),
        Rule("dead-test-self", Peephole, "test r, r  ==  nothing (flags dead)", AllWidths,
            [I(Test, Reg("a"), Reg("a"))], [], RuleConditions.AllFlagsDead),

        // ;; mov r, m; mov m, r  ==  mov r, m             (stack slot; not 32-bit: that reload zero-extends)
        Rule("reload-after-store", Peephole, "mov r, m; mov m, r  ==  mov r, m (stack slot)", [8, 16, 64],
            [I(Mov, Stack("m"), Reg("r")), I(Mov, Reg("r"), Stack("m"))],
            [T("Mov_rm{w}_r{w}", M("m"), R("r"))]),
        // ;; movl r, m; movl m, r  ==  movl r, m; movl r, r  (stack slot; keeps the zero-extension, drops the load)
        Rule("reload-after-store-32", Peephole, "movl r, m; movl m, r  ==  movl r, m; movl r, r (stack slot)", [32],
            [I(Mov, Stack("m"), Reg("r")), I(Mov, Reg("r"), Stack("m"))],
            [T("Mov_rm32_r32", M("m"), R("r")), T("Mov_rm32_r32", R("r"), R("r"))]),

        // ;; mov r, m; mov m, r2  ==  mov r, m; mov r, r2  (stack slot)
        Rule("forward-store-to-load", Peephole, "mov r, m; mov m, r2  ==  mov r, m; mov r, r2 (stack slot)", AllWidths,
            [I(Mov, Stack("m"), Reg("r")), I(Mov, Reg("r2"), Stack("m"))],
            [T("Mov_rm{w}_r{w}", M("m"), R("r")), T("Mov_rm{w}_r{w}", R("r2"), R("r"))]),

        // ;; mov m, r1; mov m, r2  ==  mov m, r1; mov r1, r2  (stack slot, r1 not in the address)
        Rule("reuse-loaded-value", Peephole, "mov m, r1; mov m, r2  ==  mov m, r1; mov r1, r2 (stack slot)", AllWidths,
            [I(Mov, Reg("r1"), Stack("m")), I(Mov, Reg("r2"), Stack("m"))],
            [T("Mov_r{w}_rm{w}", R("r1"), M("m")), T("Mov_rm{w}_r{w}", R("r2"), R("r1"))],
            Guarded(RuleConditions.None, NotInAddress("r1", "m"))),

        // ;; mov m, r; mov m, r  ==  mov m, r             (stack slot, r not in the address)
        Rule("repeated-load", Peephole, "mov m, r; mov m, r  ==  mov m, r (stack slot)", AllWidths,
            [I(Mov, Reg("r"), Stack("m")), I(Mov, Reg("r"), Stack("m"))],
            [T("Mov_r{w}_rm{w}", R("r"), M("m"))],
            Guarded(RuleConditions.None, NotInAddress("r", "m"))),

        // ;; not r; not r  ==  (nothing)                  (not 32-bit: that zero-extends)
        Rule("double-not", Peephole, "not r; not r  ==  nothing", [8, 16, 64],
            [I(Not, Reg("r")), I(Not, Reg("r"))], []),

        // ;; neg r; neg r  ==  (nothing)                  (flags dead; not 32-bit)
        Rule("double-neg", Peephole, "neg r; neg r  ==  nothing (flags dead)", [8, 16, 64],
            [I(Neg, Reg("r")), I(Neg, Reg("r"))], [], RuleConditions.AllFlagsDead),

        // ;; mov r, r  ==  (nothing)                      (64-bit; a 32-bit self-move zero-extends)
        Rule("self-move", Peephole, "mov r64, r64  ==  nothing", [64],
            [I(Mov, Reg("r"), Reg("r"))], []),

        // ;; mov r1, r2; mov r2, r1  ==  mov r1, r2       (not 32-bit)
        Rule("move-back", Peephole, "mov r1, r2; mov r2, r1  ==  mov r1, r2", [8, 16, 64],
            [I(Mov, Reg("b"), Reg("a")), I(Mov, Reg("a"), Reg("b"))],
            [T("Mov_rm{w}_r{w}", R("b"), R("a"))]),

        // ;; add $0, r / sub $0, r  ==  (nothing)         (flags dead; 64-bit)
        Rule("add-zero", Peephole, "add $0, r64  ==  nothing (flags dead)", [64],
            [I(Add, Reg("r"), Imm(0))], [], RuleConditions.AllFlagsDead),
        Rule("sub-zero", Peephole, "sub $0, r64  ==  nothing (flags dead)", [64],
            [I(Sub, Reg("r"), Imm(0))], [], RuleConditions.AllFlagsDead),

        // ;; and $-1, r  ==  (nothing)                    (flags dead; not 32-bit)
        Rule("and-all-ones", Peephole, "and $-1, r  ==  nothing (flags dead)", [8, 16, 64],
            [I(And, Reg("r"), Imm(-1))], [], RuleConditions.AllFlagsDead),
    ];
}
