using System.Text.RegularExpressions;
using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Cost;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Pipeline;

/// <summary>The optimized text, the report, and the model of the output (null when nothing changed).</summary>
public sealed record OptimizationResult(string Text, OptimizationReport Report);

/// <summary>
/// The optimizer's explicit pass list, for one file:
/// <list type="number">
/// <item>analyze each function (CFG, effects, liveness with the file's call summaries);</item>
/// <item>find candidates: every rule of the catalogue at every window of every block;</item>
/// <item>guard each site: dead locations dead, window contiguous, replacement encodable;</item>
/// <item>choose with the policy, then apply the fuel limit;</item>
/// <item>print, re-assemble and re-model the result (GAS must accept it and every new line model exactly);</item>
/// <item>re-check every applied rewrite against the liveness of the rewritten function (with the
/// original call summaries) and drop any whose side condition no longer holds; repeat until stable;</item>
/// <item>optionally re-prove each changed block with z3 (translation validation).</item>
/// </list>
/// A function whose rewrites fail any step is emitted unchanged, and the report says why.
/// </summary>
public static partial class Optimizer
{
    public static IReadOnlyList<string> Passes { get; } =
        ["analyze", "find-candidates", "guard", "choose", "fuel", "reassemble", "recheck-liveness", "validate-smt"];

    public static OptimizationResult Optimize(AsmFile file, OptimizerOptions options)
    {
        var enumerator = new CandidateEnumerator(options.Rules);
        var summaries = CallSummaries.For(file);
        var builder = new EffectsBuilder();
        var work = new List<FunctionWork>();
        int fuel = options.Fuel ?? int.MaxValue;

        // analyze, find-candidates, guard, choose, fuel
        foreach (var function in file.Functions)
        {
            var analysis = FunctionAnalysis.Analyze(file, function, builder);
            var candidates = enumerator.Find(analysis);
            var chosen = options.Policy switch
            {
                PolicyKind.All => ChooseAll(candidates, ref fuel),
                PolicyKind.Model => ChooseByModel(analysis, candidates, options, ref fuel),
                PolicyKind.Custom => ChooseCustom(analysis, candidates, options, ref fuel),
                _ => [],
            };
            if (options.FaultInjectionFunction == function.Name && chosen.FirstOrDefault(c => c.Bindings.Registers.Count > 0) is { } victim)
            {
                // Test only: a corruption no site guard looks for (flip a bound register after the rewrite),
                // so that the later safety nets (translation validation, test replay) can be shown to catch it.
                victim.Replacement = [.. victim.Replacement,
                    new RewrittenInstruction(Instruction.Create(Code.Not_rm64, victim.Bindings.Registers.Values.First()), default)];
            }
            work.Add(new FunctionWork(function, analysis, candidates, chosen));
        }

        string text = file.Source;
        if (work.Any(w => w.Chosen.Count > 0))
        {
            text = ApplyAndRecheck(file, work, summaries, options);
        }
        return new OptimizationResult(text, BuildReport(file, work, options));
    }

    /// <summary>Every valid candidate: rules first (local, proven), then schedules of the segments no rule touched.</summary>
    private static List<Candidate> ChooseAll(List<Candidate> candidates, ref int fuel) =>
        TakeInOrder(candidates, candidates.OrderBy(c => c.Rule.Family == RuleFamily.Scheduling).ThenBy(c => c.FirstNode), ref fuel);

    /// <summary>
    /// The ONNX policy: one batched run scores every valid candidate of the function (invalid ones are masked:
    /// they get no row and can never be chosen); candidates are taken best score first (ties by position, then
    /// rule name, so the order is total and the output deterministic), skipping overlaps, until the scores fall
    /// to the threshold. The re-assembly and liveness re-check after the choice re-validate the set as a whole.
    /// </summary>
    private static List<Candidate> ChooseByModel(FunctionAnalysis analysis, List<Candidate> candidates, OptimizerOptions options, ref int fuel)
    {
        var model = options.Model ?? throw new ArgumentException("PolicyKind.Model needs OptimizerOptions.Model", nameof(options));
        var valid = candidates.Where(c => c.IsValid).ToList();
        if (valid.Count == 0) return [];
        float[] scores = model.Score(CompilerLLM.Inference.FeatureExtractor.Extract(analysis, valid));
        for (int i = 0; i < valid.Count; i++) valid[i].Score = scores[i];
        float threshold = options.Threshold ?? model.Threshold;
        var aboveThreshold = new List<Candidate>(valid.Count);
        foreach (var c in valid.OrderByDescending(c => c.Score).ThenBy(c => c.FirstNode).ThenBy(c => c.Rule.Name, StringComparer.Ordinal))
        {
            if (c.Score > threshold) aboveThreshold.Add(c);
            else c.Rejection = $"policy score {c.Score:0.###} not above the threshold {threshold:0.###}";
        }
        return TakeInOrder(candidates, aboveThreshold, ref fuel, overlapReason: "overlaps a better-scored rewrite");
    }

    private static List<Candidate> ChooseCustom(FunctionAnalysis analysis, List<Candidate> candidates, OptimizerOptions options, ref int fuel)
    {
        var chooser = options.Chooser ?? throw new ArgumentException("PolicyKind.Custom needs OptimizerOptions.Chooser", nameof(options));
        return TakeInOrder(candidates, chooser(analysis, candidates).Where(candidates.Contains), ref fuel);
    }

    /// <summary>
    /// The engine's one selection (<see cref="RewriteSelection"/>) for every policy: in priority order, skip invalid
    /// candidates, duplicates and any that overlaps one already taken, spend one unit of fuel per rewrite; the result
    /// is in program order.
    /// </summary>
    private static List<Candidate> TakeInOrder(List<Candidate> candidates, IEnumerable<Candidate> priority, ref int fuel, string? overlapReason = null)
    {
        var indexOf = new Dictionary<Candidate, int>(candidates.Count, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < candidates.Count; i++) indexOf.TryAdd(candidates[i], i);
        var taken = RewriteSelection.Select(candidates, priority.Select(c => indexOf[c]), ref fuel, (i, skip) =>
        {
            if (skip == SelectionSkip.OutOfFuel) candidates[i].Rejection = "out of fuel";
            else if (skip == SelectionSkip.Overlaps && overlapReason is not null) candidates[i].Rejection = overlapReason;
        });
        var chosen = taken.Select(i => candidates[i]).ToList();
        chosen.Sort((a, b) => a.FirstNode.CompareTo(b.FirstNode));
        return chosen;
    }

    private sealed class FunctionWork(AsmFunction function, FunctionAnalysis analysis, List<Candidate> candidates, List<Candidate> chosen)
    {
        public AsmFunction Function { get; } = function;
        public FunctionAnalysis Analysis { get; } = analysis;
        public List<Candidate> Candidates { get; } = candidates;
        public List<Candidate> Chosen { get; } = chosen;
        public string? FallbackReason { get; set; }
    }

    private static string ApplyAndRecheck(AsmFile file, List<FunctionWork> work, CallSummaries summaries, OptimizerOptions options)
    {
        var printer = new AsmPrinter();
        while (true) // each round drops at least one rewrite or returns
        {
            var replacements = Replacements(work);
            var insertions = work.SelectMany(w => w.Chosen).Where(c => c.InsertText is not null)
                .ToDictionary(c => c.InsertBeforeLine, c => c.InsertText!);
            if (replacements.Count == 0 && insertions.Count == 0) return file.Source;
            string text = printer.Print(file, replacements, out int[] newLineOf, insertions);

            // reassemble: GAS must accept the output and every line must model as exactly as before.
            AsmFile output;
            try
            {
                output = AsmReader.Read(file.Path, text);
            }
            catch (AsmReadException e)
            {
                var culprits = FunctionsAtLines(work, newLineOf, GasErrorLines(e.Message));
                if (culprits.Count == 0) culprits = work.Where(w => w.Chosen.Count > 0).ToList();
                foreach (var w in culprits) FallBack(w, $"the rewritten function does not assemble: {FirstLine(e.Message)}");
                continue;
            }
            if (output.VerbatimCount > file.VerbatimCount)
            {
                var culprits = FunctionsAtLines(work, newLineOf, output.Diagnostics.Select(d => d.LineNumber - 1));
                foreach (var w in culprits) FallBack(w, "a rewritten line does not model exactly");
                if (culprits.Count > 0) continue;
            }

            // recheck-liveness: every applied rewrite's dead locations are dead in the rewritten program.
            bool dropped = false;
            var newFunctions = output.Functions.ToDictionary(f => f.Name, StringComparer.Ordinal);
            foreach (var w in work)
            {
                if (w.Chosen.Count == 0) continue;
                if (!newFunctions.TryGetValue(w.Function.Name, out var newFunction))
                {
                    FallBack(w, "the function is missing from the rewritten file");
                    dropped = true;
                    continue;
                }
                var after = FunctionAnalysis.Analyze(output, newFunction, summaries: summaries);
                foreach (var c in w.Chosen.Where(c => c.NodeCount > 0).ToList())
                {
                    int nextOriginal = w.Analysis.Cfg.Nodes[c.LastNode] + 1;
                    var live = LiveAt(after, newLineOf[nextOriginal]);
                    var clash = c.MayDiffer & live;
                    if (clash.IsEmpty) continue;
                    c.Rejection = $"re-check: {clash} live after the rewrite in the rewritten function";
                    w.Chosen.Remove(c);
                    dropped = true;
                }
                if (options.ValidateWithSmt)
                {
                    foreach (var c in w.Chosen.Where(c => c.NodeCount > 0).ToList())
                    {
                        string? why = TranslationValidation.Check(w.Analysis, c);
                        if (why is null) continue;
                        c.Rejection = why;
                        w.Chosen.Remove(c);
                        dropped = true;
                    }
                }
            }
            if (!dropped) return text;
        }
    }

    private static void FallBack(FunctionWork w, string reason)
    {
        foreach (var c in w.Chosen) c.Rejection ??= "function fell back: " + reason;
        w.Chosen.Clear();
        w.FallbackReason = reason;
    }

    /// <summary>What each original line becomes, by the engine's one apply (<see cref="AppliedRewrites"/>; its nodes are lines through the CFG).</summary>
    private static Dictionary<int, IReadOnlyList<(Instruction, SymbolicOperand, SymbolicOperand)>> Replacements(List<FunctionWork> work)
    {
        var replacements = new Dictionary<int, IReadOnlyList<(Instruction, SymbolicOperand, SymbolicOperand)>>();
        foreach (var w in work)
        {
            var applied = AppliedRewrites.Of(w.Chosen, Enumerable.Range(0, w.Chosen.Count));
            foreach (var (node, rewrite, fate) in applied.Touched)
            {
                replacements[w.Analysis.Cfg.Nodes[node]] = fate == InstructionFate.Replaced
                    ? [.. w.Chosen[rewrite].Replacement.Select(r => (r.Instruction, r.Symbol, r.Symbol1))]
                    : [];
            }
        }
        return replacements;
    }

    /// <summary>What is live at a line of the rewritten function: before the first node at or after it.</summary>
    private static LocationSet LiveAt(FunctionAnalysis after, int line)
    {
        var nodes = after.Cfg.Nodes;
        int index = Array.BinarySearch(nodes, line);
        if (index < 0) index = ~index;
        return index < nodes.Length ? after.LiveBefore(index) : LocationSet.All;
    }

    private static List<FunctionWork> FunctionsAtLines(List<FunctionWork> work, int[] newLineOf, IEnumerable<int> newLines)
    {
        var result = new List<FunctionWork>();
        foreach (int line in newLines)
        {
            foreach (var w in work)
            {
                if (w.Chosen.Count == 0 || result.Contains(w)) continue;
                if (line >= newLineOf[w.Function.FirstLine] && line < newLineOf[w.Function.EndLine + 1]) result.Add(w);
            }
        }
        return result;
    }

    [GeneratedRegex(@":(\d+): ")]
    private static partial Regex GasLineNumber();

    private static IEnumerable<int> GasErrorLines(string message) =>
        GasLineNumber().Matches(message).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1);

    private static string FirstLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length > 1 ? lines[^1].Trim() : message.Trim();
    }

    private static OptimizationReport BuildReport(AsmFile file, List<FunctionWork> work, OptimizerOptions options)
    {
        var printer = new AsmPrinter();
        var functions = new List<FunctionReport>(work.Count);
        foreach (var w in work)
        {
            var cfg = w.Analysis.Cfg;
            var perRule = w.Candidates.GroupBy(c => c.Rule.Name).ToDictionary(g => g.Key, g => g.Count());
            var applied = new List<RewriteRecord>();
            double cycles = 0;
            int size = 0;
            foreach (var c in w.Chosen)
            {
                var before = new List<string>();
                double cyclesBefore = 0, cyclesAfter = 0;
                for (int n = c.FirstNode; n <= c.LastNode; n++)
                {
                    var asm = file.Instructions[file.Lines[cfg.Nodes[n]].Instruction];
                    before.Add(file.TextOf(cfg.Nodes[n]).ToString().Trim());
                    cyclesBefore += StaticCost.Cycles(asm.Instruction);
                }
                var after = new List<string>();
                foreach (var r in c.Replacement)
                {
                    after.Add(printer.Format(file.Source, r.Instruction, r.Symbol, r.Symbol1).Trim());
                    cyclesAfter += StaticCost.Cycles(r.Instruction);
                }
                cycles += cyclesAfter - cyclesBefore - c.EstimatedCycleGain;
                size += c.SizeDelta;
                if (c.InsertText is not null) after.AddRange(c.InsertText.Split('\n').Select(l => l.Trim()));
                int line = c.InsertBeforeLine >= 0 ? c.InsertBeforeLine : cfg.Nodes[c.FirstNode];
                applied.Add(new RewriteRecord(c.Rule.Name, line + 1, before, after, c.SizeDelta, c.Score));
            }
            var rejected = w.Candidates.Where(c => !c.IsValid)
                .Select(c => new RejectionRecord(c.Rule.Name, cfg.Nodes[c.FirstNode] + 1, c.Rejection!)).ToList();
            functions.Add(new FunctionReport(w.Function.Name, perRule, applied, rejected, size, cycles, w.FallbackReason));
        }
        string policy = options.Policy == PolicyKind.Model && options.Model is { } m
            ? $"model {Path.GetFileName(m.ModelPath)} sha256:{m.ModelSha256[..12]}"
            : options.Policy.ToString().ToLowerInvariant();
        return new OptimizationReport(file.Path, policy, work.Count,
            work.Sum(w => w.Candidates.Count), work.Sum(w => w.Chosen.Count), work.Count(w => w.FallbackReason is not null),
            functions, Passes);
    }
}
