using CompilerLLM.Analysis;
using static Iced.Intel.Mnemonic;
using static CompilerLLM.Rewriting.RuleFamily;
using static CompilerLLM.Rewriting.Catalogues.RuleDsl;

namespace CompilerLLM.Rewriting.Catalogues;

/// <summary>
/// popcnt/lzcnt/tzcnt have a false dependency on their destination on many Intel cores; zeroing it
/// first breaks the chain. popcnt defines all six status flags, so the xor's are overwritten;
/// lzcnt/tzcnt define only CF and ZF, so the others must be dead. Operands in Intel order.
/// </summary>
public static class FalseDependencyRules
{
    public static IReadOnlyList<RewriteRule> All { get; } =
    [
        // ;; popcnt s, d  ==  xor d32, d32; popcnt s, d       (d != s)
        Rule("break-popcnt-dependency", FalseDependency, "popcnt s, d  ==  xor d, d; popcnt s, d", Wide,
            [I(Popcnt, Reg("d"), Reg("s"))],
            [T("Xor_rm32_r32", R("d", 32), R("d", 32)), T("Popcnt_r{w}_rm{w}", R("d"), R("s"))]),
        // ;; lzcnt s, d  ==  xor d32, d32; lzcnt s, d
        Rule("break-lzcnt-dependency", FalseDependency, "lzcnt s, d  ==  xor d, d; lzcnt s, d (OF SF AF PF dead)", Wide,
            [I(Lzcnt, Reg("d"), Reg("s"))],
            [T("Xor_rm32_r32", R("d", 32), R("d", 32)), T("Lzcnt_r{w}_rm{w}", R("d"), R("s"))],
            RuleConditions.FlagsDead(Flags(Location.OF, Location.SF, Location.AF, Location.PF))),
        // ;; tzcnt s, d  ==  xor d32, d32; tzcnt s, d
        Rule("break-tzcnt-dependency", FalseDependency, "tzcnt s, d  ==  xor d, d; tzcnt s, d (OF SF AF PF dead)", Wide,
            [I(Tzcnt, Reg("d"), Reg("s"))],
            [T("Xor_rm32_r32", R("d", 32), R("d", 32)), T("Tzcnt_r{w}_rm{w}", R("d"), R("s"))],
            RuleConditions.FlagsDead(Flags(Location.OF, Location.SF, Location.AF, Location.PF))),
    ];
}
