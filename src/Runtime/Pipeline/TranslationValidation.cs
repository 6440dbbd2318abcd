using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Rewriting;
using CompilerLLM.Verification;

namespace CompilerLLM.Pipeline;

/// <summary>
/// Optional translation validation (<c>--validate=smt</c>): for every block with applied rewrites,
/// the stretch from the first to the last rewritten instruction is executed symbolically before and
/// after, and z3 must prove both leave the same registers, flags and memory wherever the original
/// program has them live afterwards. It checks the instance actually applied, independently of the
/// rule's proof; a stretch with an instruction the semantics does not model cannot be validated and
/// makes the function fall back.
/// </summary>
internal static class TranslationValidation
{
    private static readonly LocationSet Modelled =
        LocationSet.Range(Location.GprBase, 16) | LocationSet.StatusFlags | LocationSet.Of(Location.DF)
        | LocationSet.Range(Location.VectorLowBase, 16) | LocationSet.Range(Location.VectorHighBase, 16);

    /// <summary>Null when every changed stretch is proven equivalent; otherwise why not.</summary>
    public static string? CheckFunction(FunctionAnalysis before, IReadOnlyList<Candidate> applied, FunctionAnalysis after, int[] newLineOf)
    {
        _ = (after, newLineOf);
        var file = before.File;
        var cfg = before.Cfg;
        foreach (var group in applied.GroupBy(c => c.Block))
        {
            var rewrites = group.OrderBy(c => c.FirstNode).ToList();
            int first = rewrites[0].FirstNode, last = rewrites.Max(c => c.LastNode);
            var original = new List<Instruction>();
            var rewritten = new List<Instruction>();
            int next = 0;
            for (int node = first; node <= last; node++)
            {
                var line = file.Lines[cfg.Nodes[node]];
                if (line.Kind != LineKind.Instruction) return $"block {group.Key}: a verbatim line inside the rewritten stretch cannot be validated";
                var instruction = file.Instructions[line.Instruction].Instruction;
                original.Add(instruction);
                if (next < rewrites.Count && rewrites[next].FirstNode == node)
                {
                    rewritten.AddRange(rewrites[next].Replacement.Select(r => r.Instruction));
                    node = rewrites[next].LastNode;
                    for (int n = rewrites[next].FirstNode + 1; n <= rewrites[next].LastNode; n++)
                        original.Add(file.Instructions[file.Lines[cfg.Nodes[n]].Instruction].Instruction);
                    next++;
                }
                else rewritten.Add(instruction);
            }
            var compare = before.Liveness.LiveAfter(last) & Modelled;
            var result = EquivalenceChecker.Check(original, rewritten, compare, compareMemory: true,
                new EquivalenceOptions { Timeout = TimeSpan.FromSeconds(30) });
            if (!result.IsEquivalent)
                return $"block {group.Key} (line {cfg.Nodes[first] + 1}): translation validation: {result.ToString().Split('\n')[0]}";
        }
        return null;
    }
}
