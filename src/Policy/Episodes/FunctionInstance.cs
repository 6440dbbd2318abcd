using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Lab.Measurement;
using CompilerLLM.Pipeline;
using CompilerLLM.Inference;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Training.Episodes;

/// <summary>
/// One valid candidate as an action: where it sits and what its window's instructions become (the replacement as text,
/// one instruction a line). The engine's selection and apply take it as they take the optimizer's candidates.
/// </summary>
public sealed record CandidateAction(string Rule, int Block, int FirstNode, int NodeCount, IReadOnlyList<string> Replacement, int SizeDelta)
    : IRewriteCandidate
{
    public int LastNode => FirstNode + NodeCount - 1;

    public RewriteSite Site => new(FirstNode, NodeCount);

    /// <summary>Always: an instance holds only valid candidates (the action mask is "valid").</summary>
    public bool IsValid => true;

    public bool Overlaps(CandidateAction other) => Site.Overlaps(other.Site);
}

/// <summary>The instructions of one basic block that some candidate touches, one entry per CFG node ("" for non-instructions).</summary>
public sealed record BlockText(int Block, int FirstNode, string[] Lines, double Weight, int LoopDepth);

/// <summary>
/// A state of the environment: one function of one compiled program with its valid candidates (the action
/// mask is "valid", so an unverified rewrite is never an action), the feature rows the optimizer would score,
/// and the text of every block a candidate touches, weighted by how often the block runs.
/// </summary>
public sealed class FunctionInstance
{
    public required string Program { get; init; }
    public required string Function { get; init; }
    public required float[] Features { get; init; }
    public required CandidateAction[] Actions { get; init; }
    public required IReadOnlyDictionary<int, BlockText> Blocks { get; init; }
    /// <summary>Weighted cycles of the whole function before any rewrite (the denominator of the relative reward).</summary>
    public double BaseCycles { get; set; }
    /// <summary>Weighted cycles saved by each candidate applied alone (filled by <see cref="RewardModel.Prepare"/>).</summary>
    public double[] SoloSaving { get; set; } = [];
    /// <summary>The program embedding for CG-MN: how this function reacts to rewrites (filled by <see cref="RewardModel.Prepare"/>).</summary>
    public float[] Embedding { get; set; } = [];

    public int Count => Actions.Length;
    public string Id => Program + ":" + Function;

    /// <summary>Every function of <paramref name="file"/> with at least one valid candidate.</summary>
    /// <param name="counts">Block execution counts from a profiling run; null: 8^(loop depth, at most 3) as a static stand-in.</param>
    public static List<FunctionInstance> FromFile(AsmFile file, string program, CandidateEnumerator enumerator, BlockCounts? counts = null)
    {
        var printer = new AsmPrinter();
        var builder = new EffectsBuilder();
        var result = new List<FunctionInstance>();
        foreach (var function in file.Functions)
        {
            var analysis = FunctionAnalysis.Analyze(file, function, builder);
            var valid = enumerator.Find(analysis).Where(c => c.IsValid).ToList();
            if (valid.Count == 0) continue;
            var cfg = analysis.Cfg;
            int[] depth = Loops.Depths(cfg);
            double WeightOf(int block) => counts is null ? Math.Pow(8, Math.Min(depth[block], 3)) : counts.CountOf(cfg, cfg.Blocks[block]);

            var blocks = new Dictionary<int, BlockText>();
            for (int b = 0; b < cfg.Blocks.Length; b++)
            {
                var block = cfg.Blocks[b];
                var lines = new string[block.NodeCount];
                for (int n = 0; n < block.NodeCount; n++)
                {
                    int line = cfg.Nodes[block.FirstNode + n];
                    lines[n] = file.Lines[line].Kind == LineKind.Instruction ? file.TextOf(line).Trim().ToString() : "";
                }
                blocks[b] = new BlockText(b, block.FirstNode, lines, WeightOf(b), depth[b]);
            }
            var actions = valid.Select(c => new CandidateAction(c.Rule.Name, c.Block, c.FirstNode, c.NodeCount,
                c.Replacement.Select(r => printer.Format(file.Source, r.Instruction, r.Symbol, r.Symbol1).Trim()).ToArray(), c.SizeDelta)).ToArray();
            result.Add(new FunctionInstance
            {
                Program = program,
                Function = function.Name,
                Features = FeatureExtractor.Extract(analysis, valid),
                Actions = actions,
                Blocks = blocks,
            });
        }
        return result;
    }

    /// <summary>
    /// The block's instruction lines with the given (non-overlapping) actions of that block applied by the engine's one
    /// apply (<see cref="AppliedRewrites"/>), as the optimizer applies them. An insertion (alignment) changes no
    /// instruction, so not the text llvm-mca prices.
    /// </summary>
    public List<string> BlockAfter(int block, IEnumerable<int> actions)
    {
        var text = Blocks[block];
        var applied = AppliedRewrites.Of(Actions, actions);
        var lines = new List<string>(text.Lines.Length);
        for (int k = 0; k < text.Lines.Length; k++)
        {
            switch (applied.FateOf(text.FirstNode + k, out int action))
            {
                case InstructionFate.Kept:
                    if (text.Lines[k].Length > 0) lines.Add(text.Lines[k]);
                    break;
                case InstructionFate.Replaced:
                    foreach (string line in Actions[action].Replacement)
                        if (line.Length > 0) lines.Add(line);
                    break;
            }
        }
        return lines;
    }

    public List<string> BlockBefore(int block) => [.. Blocks[block].Lines.Where(l => l.Length > 0)];
}
