using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Rewriting;
using CompilerLLM.Verification;

namespace CompilerLLM.Pipeline;

/// <summary>
/// Optional translation validation (<c>--validate=smt</c>): every applied rewrite is executed
/// symbolically as it stands at its site, before and after, and z3 must prove both leave the same
/// registers, flags and memory except the locations the site guard requires dead. It checks the
/// instance actually applied, independently of the rule's proof (and checks schedules, which have
/// none); a rewrite with an instruction the semantics does not model cannot be validated and is dropped.
/// </summary>
internal static class TranslationValidation
{
    private static readonly LocationSet Modelled =
        LocationSet.Range(Location.GprBase, 16) | LocationSet.StatusFlags | LocationSet.Of(Location.DF)
        | LocationSet.Range(Location.VectorLowBase, 16) | LocationSet.Range(Location.VectorHighBase, 16);

    /// <summary>Null when z3 proves the rewrite at this site; otherwise why it could not.</summary>
    public static Rejection? Check(FunctionAnalysis before, Candidate candidate)
    {
        var file = before.File;
        var cfg = before.Cfg;
        var original = new List<Instruction>(candidate.NodeCount);
        for (int node = candidate.FirstNode; node <= candidate.LastNode; node++)
            original.Add(file.Instructions[file.Lines[cfg.Nodes[node]].Instruction].Instruction);
        var rewritten = candidate.Replacement.Select(r => r.Instruction).ToList();
        var compare = Modelled - candidate.MayDiffer;
        var result = EquivalenceChecker.Check(original, rewritten, compare, compareMemory: true,
            new EquivalenceOptions { Timeout = TimeSpan.FromSeconds(30) });
        return result.IsEquivalent ? null : Rejection.TranslationValidation(result.ToString().Split('\n')[0]);
    }
}
