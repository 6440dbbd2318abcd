using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Policy;

namespace CompilerLLM.Training.Supervised;

/// <summary>
/// One valid candidate rewrite as the supervised first model sees it: the policy's feature row (exactly as the
/// optimizer builds it), and the candidate's basic block before and after applying it alone, as instruction
/// text, for the cost model to price.
/// </summary>
public sealed record CandidateExample(
    string Program,
    string Function,
    string Rule,
    float[] Features,
    IReadOnlyList<string> BlockBefore,
    IReadOnlyList<string> BlockAfter,
    int SizeDelta,
    int LoopDepth);

public static class CandidateExamples
{
    /// <summary>Every valid candidate of every function of <paramref name="file"/>.</summary>
    public static List<CandidateExample> FromFile(AsmFile file, string program, CandidateEnumerator? enumerator = null)
    {
        enumerator ??= new CandidateEnumerator();
        var printer = new AsmPrinter();
        var builder = new EffectsBuilder();
        var examples = new List<CandidateExample>();
        foreach (var function in file.Functions)
        {
            var analysis = FunctionAnalysis.Analyze(file, function, builder);
            var valid = enumerator.Find(analysis).Where(c => c.IsValid).ToList();
            if (valid.Count == 0) continue;
            // The same rows the optimizer scores: extracted over the valid set of the function at once.
            float[] rows = FeatureExtractor.Extract(analysis, valid);
            int[] depth = FeatureExtractor.LoopDepths(analysis.Cfg);
            var cfg = analysis.Cfg;
            for (int i = 0; i < valid.Count; i++)
            {
                var c = valid[i];
                var block = cfg.Blocks[c.Block];
                var before = new List<string>(block.NodeCount);
                var after = new List<string>(block.NodeCount + 2);
                for (int node = block.FirstNode; node < block.EndNode; node++)
                {
                    string text = InstructionText(file, cfg.Nodes[node]);
                    if (text.Length == 0) continue;
                    before.Add(text);
                    if (c.NodeCount > 0 && node >= c.FirstNode && node <= c.LastNode)
                    {
                        if (node == c.FirstNode)
                            after.AddRange(c.Replacement.Select(r => printer.Format(file.Source, r.Instruction, r.Symbol, r.Symbol1).Trim()));
                        continue;
                    }
                    after.Add(text);
                }
                examples.Add(new CandidateExample(program, function.Name, c.Rule.Name,
                    rows.AsSpan(i * FeatureSchema.Width, FeatureSchema.Width).ToArray(), before, after, c.SizeDelta, depth[c.Block]));
            }
        }
        return examples;
    }

    private static string InstructionText(AsmFile file, int line)
    {
        if (file.Lines[line].Kind != LineKind.Instruction) return "";
        var text = file.TextOf(line);
        int comment = text.IndexOf('#');
        if (comment >= 0) text = text[..comment];
        return text.Trim().ToString();
    }
}
