using CompilerLLM.Analysis;
using CompilerLLM.Assembly;

namespace CompilerLLM.Rewriting;

/// <summary>
/// Layout: align the top of every loop that GCC left unaligned (at -O0/-Os, or after a split), with
/// GCC's own choice for hot loops, <c>.p2align 4,,10</c> then <c>.p2align 3</c>. Padding NOPs change
/// no location: equivalent by construction.
/// </summary>
public static class LoopAlignment
{
    public const string Directives = "\t.p2align 4,,10\n\t.p2align 3";

    public static RewriteRule Rule { get; } = new("align-loop-header", RuleFamily.Layout,
        "L: (loop header)  ==  .p2align 4,,10; .p2align 3; L:  (padding NOPs only)", [64], [], [], RuleConditions.None);

    public static List<Candidate> Find(FunctionAnalysis analysis)
    {
        var result = new List<Candidate>();
        var file = analysis.File;
        var cfg = analysis.Cfg;
        foreach (int top in Loops.Tops(cfg))
        {
            var block = cfg.Blocks[top];
            if (block.Labels.Count == 0 || block.NodeCount == 0) continue;
            int label = block.FirstLine;
            if (file.Lines[label].Kind != LineKind.Label || IsAlignedAlready(file, label)) continue;
            result.Add(new Candidate(Rule, block.Index, block.FirstNode, 0, new Bindings { Width = 64 })
            {
                InsertBeforeLine = label,
                InsertText = Directives,
            });
        }
        return result;
    }

    private static bool IsAlignedAlready(AsmFile file, int label)
    {
        for (int line = label - 1; line >= 0; line--)
        {
            var kind = file.Lines[line].Kind;
            if (kind is LineKind.Blank or LineKind.Comment or LineKind.Label) continue;
            var text = file.TextOf(line).TrimStart();
            return kind == LineKind.Directive && (text.StartsWith(".p2align") || text.StartsWith(".align") || text.StartsWith(".balign"));
        }
        return false;
    }
}
