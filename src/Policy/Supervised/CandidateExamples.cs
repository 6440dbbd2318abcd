using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Inference;
using CompilerLLM.Training.Episodes;

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
    /// <summary>Every valid candidate of every function of <paramref name="file"/>, one at a time (from the RL environment's instances).</summary>
    public static List<CandidateExample> FromFile(AsmFile file, string program, CandidateEnumerator? enumerator = null)
    {
        var examples = new List<CandidateExample>();
        foreach (var instance in FunctionInstance.FromFile(file, program, enumerator ?? new CandidateEnumerator()))
        {
            for (int a = 0; a < instance.Count; a++)
            {
                var action = instance.Actions[a];
                examples.Add(new CandidateExample(program, instance.Function, action.Rule,
                    instance.Features.AsSpan(a * FeatureSchema.Width, FeatureSchema.Width).ToArray(),
                    instance.BlockBefore(action.Block), instance.BlockAfter(action.Block, [a]),
                    action.SizeDelta, instance.Blocks[action.Block].LoopDepth));
            }
        }
        return examples;
    }
}
