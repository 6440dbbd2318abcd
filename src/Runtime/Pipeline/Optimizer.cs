using System.Text.RegularExpressions;
using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Cost;
using CompilerLLM.Rewriting;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Pipeline;

/// <summary>The optimized text, the report, and the model of the output (null when nothing changed).</summary>
public sealed record OptimizationResult(string Text, OptimizationReport Report);

/// <summary>
/// The optimizer's explicit pass list, for one file:
/// <list type="number">
/// <item>analyze each function (CFG, effects, liveness with the file's call summaries);</item>
/// <item>find candidates: every rule of the catalogue at every window of every block;</item>
/// <item>guard each site: dead locations dead, window contiguous, replacement encodable;</item>
/// <item>choose with the policy, through the engine's one selection (<see cref="RewriteSelection"/>: priority order,
/// overlaps, the fuel limit); a hook (<see cref="OptimizerOptions.BeforeApply"/>, testing only) may then change what
/// the chosen rewrites write;</item>
/// <item>print, re-assemble and re-model the result (GAS must accept it and every new line model exactly);</item>
/// <item>re-check every applied rewrite against the liveness of the rewritten function (with the
/// original call summaries) and drop any whose side condition no longer holds; repeat until stable;</item>
/// <item>optionally re-prove each changed block with z3 (translation validation).</item>
/// </list>
/// A function whose rewrites fail any step is emitted unchanged, and the report says why. What became of every
/// candidate is recorded in one <see cref="DecisionTable"/> per run (candidates never change), and the report is built from it.
/// </summary>
public static partial class Optimizer
{
    public static IReadOnlyList<string> Passes { get; } =
        ["analyze", "find-candidates", "guard", "choose", "fuel", "reassemble", "recheck-liveness", "validate-smt"];

    public static OptimizationResult Optimize(AsmFile file, OptimizerOptions options)
    {
        CallSummaries summaries;
        using (PhaseTimings.Start("optimize.call-summaries")) summaries = CallSummaries.For(file);
        var (analyses, found) = AnalyzeAndFind(file, options);
        var table = new DecisionTable();
        var work = new List<FunctionWork>(analyses.Length);
        int fuel = options.Fuel ?? int.MaxValue;

        // choose, fuel: in file order (the fuel runs across functions)
        for (int f = 0; f < analyses.Length; f++)
        {
            var (function, analysis) = (file.Functions[f], analyses[f]);
            var decisions = table.Add(function, found[f]);
            using (PhaseTimings.Start("optimize.choose"))
            {
                if (options.NoCodeGrowth) RejectGrowth(decisions);
                switch (options.Policy)
                {
                    case PolicyKind.All: ChooseAll(decisions, ref fuel); break;
                    case PolicyKind.Model: ChooseByModel(analysis, decisions, options, ref fuel); break;
                    case PolicyKind.Custom: ChooseCustom(analysis, decisions, options, ref fuel); break;
                }
            }
            if (options.BeforeApply is { } hook) decisions.ReplaceChosen(hook.Transform(function, decisions.ChosenRewrites()));
            work.Add(new FunctionWork(analysis, decisions));
        }

        string text = file.Source;
        if (table.Chosen > 0)
        {
            text = ApplyAndRecheck(file, work, summaries, options);
        }
        using (PhaseTimings.Start("optimize.report")) return new OptimizationResult(text, BuildReport(file, table, work, options));
    }

    /// <summary>
    /// analyze, find-candidates, guard: each function's analysis and guarded candidates, in file order. Functions depend
    /// on nothing but the file and its call summaries, so threads share them out (each thread with its own effects
    /// builder and enumerator, which are not thread-safe); what comes out is the same for any number of threads.
    /// </summary>
    private static (FunctionAnalysis[] Analyses, List<Candidate>[] Found) AnalyzeAndFind(AsmFile file, OptimizerOptions options)
    {
        int count = file.Functions.Count;
        var analyses = new FunctionAnalysis[count];
        var found = new List<Candidate>[count];
        _ = file.AddressTakenCodeLabelOwners; // made once here: the threads only read it
        void One(int f, EffectsBuilder builder, CandidateEnumerator enumerator)
        {
            using (PhaseTimings.Start("optimize.analyze")) analyses[f] = FunctionAnalysis.Analyze(file, file.Functions[f], builder);
            using (PhaseTimings.Start("optimize.find-candidates")) found[f] = enumerator.Find(analyses[f]);
        }
        int threads = Math.Clamp(options.Threads ?? (file.Instructions.Length < ParallelInstructions ? 1 : Environment.ProcessorCount), 1, Math.Max(1, count));
        if (threads <= 1)
        {
            var (builder, enumerator) = (new EffectsBuilder(), new CandidateEnumerator(options.Rules));
            for (int f = 0; f < count; f++) One(f, builder, enumerator);
            return (analyses, found);
        }
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads },
                () => (Builder: new EffectsBuilder(), Enumerator: new CandidateEnumerator(options.Rules)),
                (f, _, local) => { One(f, local.Builder, local.Enumerator); return local; },
                _ => { });
        }
        catch (AggregateException e)
        {
            // A failure as itself, not wrapped (the unit's report names its type).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return (analyses, found);
    }

    /// <summary>Below this many instructions a file is analysed on one thread unless told otherwise (threads would cost more than they save).</summary>
    private const int ParallelInstructions = 20_000;

    /// <summary>The size objective: every open candidate whose replacement is longer than its window is rejected before any choice.</summary>
    private static void RejectGrowth(FunctionDecisions decisions)
    {
        for (int i = 0; i < decisions.Candidates.Count; i++)
            if (decisions.IsOpen(i) && decisions.Candidates[i].SizeDelta < 0) decisions.Reject(i, Rejection.GrowsCode(-decisions.Candidates[i].SizeDelta));
    }

    /// <summary>Every open candidate: rules first (local, proven), then schedules of the segments no rule touched.</summary>
    private static void ChooseAll(FunctionDecisions decisions, ref int fuel)
    {
        var candidates = decisions.Candidates;
        var priority = Enumerable.Range(0, candidates.Count).Where(decisions.IsOpen)
            .OrderBy(i => candidates[i].Rule.Family == RuleFamily.Scheduling).ThenBy(i => candidates[i].FirstNode);
        Take(decisions, priority, ref fuel, overlapIsRejection: false);
    }

    /// <summary>
    /// The ONNX policy: one batched run scores every valid candidate of the function (invalid ones are masked:
    /// they get no row and can never be chosen); candidates are taken best score first (ties by position, then
    /// rule name, so the order is total and the output deterministic), skipping overlaps, until the scores fall
    /// to the threshold. The re-assembly and liveness re-check after the choice re-validate the set as a whole.
    /// </summary>
    private static void ChooseByModel(FunctionAnalysis analysis, FunctionDecisions decisions, OptimizerOptions options, ref int fuel)
    {
        var model = options.Model ?? throw new ArgumentException("PolicyKind.Model needs OptimizerOptions.Model", nameof(options));
        var candidates = decisions.Candidates;
        var valid = Enumerable.Range(0, candidates.Count).Where(decisions.IsOpen).ToList();
        if (valid.Count == 0) return;
        float[] scores = model.Score(CompilerLLM.Inference.FeatureExtractor.Extract(analysis, [.. valid.Select(i => candidates[i])]));
        var scoreOf = new float[candidates.Count];
        for (int k = 0; k < valid.Count; k++)
        {
            scoreOf[valid[k]] = scores[k];
            decisions.Score(valid[k], scores[k]);
        }
        float threshold = options.Threshold ?? model.Threshold;
        var aboveThreshold = new List<int>(valid.Count);
        foreach (int i in valid.OrderByDescending(i => scoreOf[i]).ThenBy(i => candidates[i].FirstNode).ThenBy(i => candidates[i].Rule.Name, StringComparer.Ordinal))
        {
            if (scoreOf[i] > threshold) aboveThreshold.Add(i);
            else decisions.Reject(i, Rejection.BelowThreshold(scoreOf[i], threshold));
        }
        Take(decisions, aboveThreshold, ref fuel, overlapIsRejection: true);
    }

    private static void ChooseCustom(FunctionAnalysis analysis, FunctionDecisions decisions, OptimizerOptions options, ref int fuel)
    {
        var chooser = options.Chooser ?? throw new ArgumentException("PolicyKind.Custom needs OptimizerOptions.Chooser", nameof(options));
        // A chooser answers with candidates; only this function's count (by reference: they are its own objects).
        var indexOf = new Dictionary<Candidate, int>(decisions.Candidates.Count, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < decisions.Candidates.Count; i++) indexOf.TryAdd(decisions.Candidates[i], i);
        var priority = chooser(analysis, decisions.Candidates).Where(indexOf.ContainsKey).Select(c => indexOf[c]).Where(decisions.IsOpen);
        Take(decisions, priority, ref fuel, overlapIsRejection: false);
    }

    /// <summary>
    /// The engine's one selection (<see cref="RewriteSelection"/>) for every policy, its verdicts written to the table:
    /// out of fuel always; an overlap only where the priority is the model's (a better-scored rewrite won).
    /// </summary>
    private static void Take(FunctionDecisions decisions, IEnumerable<int> priority, ref int fuel, bool overlapIsRejection)
    {
        var taken = RewriteSelection.Select(decisions.Candidates, priority, ref fuel, (i, skip) =>
        {
            if (skip == SelectionSkip.OutOfFuel) decisions.Reject(i, Rejection.OutOfFuel);
            else if (skip == SelectionSkip.Overlaps && overlapIsRejection) decisions.Reject(i, Rejection.OverlapsBetterScored);
        });
        decisions.Choose(taken);
    }

    /// <summary>One function as the passes after the choice see it: its analysis (kept for the re-check and the report) and its rows of the table.</summary>
    private sealed class FunctionWork(FunctionAnalysis analysis, FunctionDecisions decisions)
    {
        public FunctionAnalysis Analysis { get; } = analysis;
        public FunctionDecisions Decisions { get; } = decisions;
        public AsmFunction Function => Decisions.Function;
    }

    private static string ApplyAndRecheck(AsmFile file, List<FunctionWork> work, CallSummaries summaries, OptimizerOptions options)
    {
        var printer = new AsmPrinter();
        while (true) // each round drops at least one rewrite or returns
        {
            var (replacements, insertions) = LineEdits(work);
            if (replacements.Count == 0 && insertions.Count == 0) return file.Source;
            string text;
            int[] newLineOf;
            using (PhaseTimings.Start("recheck.print")) text = printer.Print(file, replacements, out newLineOf, insertions);

            // reassemble: GAS must accept the output and every line must model as exactly as before.
            AsmFile output;
            try
            {
                using var phase = PhaseTimings.Start("recheck.read");
                if (options.AssembleOutput is not { } assemble) output = AsmReader.Read(file.Path, text);
                else output = assemble(text) is { } ours ? AsmReader.Read(file.Path, text, ours)
                    : AsmReader.Read(file.Path, text, layout: AsmLayoutSource.Object); // GAS's own words for what it rejects
            }
            catch (AsmReadException e)
            {
                var culprits = FunctionsAtLines(work, newLineOf, GasErrorLines(e.Message));
                if (culprits.Count == 0) culprits = work.Where(w => w.Decisions.Chosen.Count > 0).ToList();
                foreach (var w in culprits) w.Decisions.FallBack($"the rewritten function does not assemble: {FirstLine(e.Message)}");
                continue;
            }
            if (output.VerbatimCount > file.VerbatimCount)
            {
                var culprits = FunctionsAtLines(work, newLineOf, output.Diagnostics.Select(d => d.LineNumber - 1));
                foreach (var w in culprits) w.Decisions.FallBack("a rewritten line does not model exactly");
                if (culprits.Count > 0) continue;
            }

            // recheck-liveness: every applied rewrite's dead locations are dead in the rewritten program.
            using var recheck = PhaseTimings.Start("recheck.liveness");
            bool dropped = false;
            var newFunctions = output.Functions.ToDictionary(f => f.Name, StringComparer.Ordinal);
            foreach (var w in work)
            {
                var decisions = w.Decisions;
                if (decisions.Chosen.Count == 0) continue;
                if (!newFunctions.TryGetValue(w.Function.Name, out var newFunction))
                {
                    decisions.FallBack("the function is missing from the rewritten file");
                    dropped = true;
                    continue;
                }
                var after = FunctionAnalysis.Analyze(output, newFunction, summaries: summaries);
                foreach (int i in decisions.Chosen.Where(i => decisions.Applied(i).NodeCount > 0).ToList())
                {
                    var c = decisions.Applied(i);
                    int nextOriginal = w.Analysis.Cfg.Nodes[c.LastNode] + 1;
                    var live = LiveAt(after, newLineOf[nextOriginal]);
                    var clash = c.MayDiffer & live;
                    if (clash.IsEmpty) continue;
                    decisions.Reject(i, Rejection.LiveAfterRewrite(clash));
                    dropped = true;
                }
                if (options.ValidateWithSmt)
                {
                    foreach (int i in decisions.Chosen.Where(i => decisions.Applied(i).NodeCount > 0).ToList())
                    {
                        if (TranslationValidation.Check(w.Analysis, decisions.Applied(i)) is not { } why) continue;
                        decisions.Reject(i, why);
                        dropped = true;
                    }
                }
            }
            if (!dropped) return text;
        }
    }

    /// <summary>
    /// The printer's input for the rewrites standing: what each original line becomes, by the engine's one apply
    /// (<see cref="AppliedRewrites"/>, per function; its nodes are lines through the CFG), and the layout text inserted before lines.
    /// </summary>
    private static (Dictionary<int, IReadOnlyList<(Instruction, SymbolicOperand, SymbolicOperand)>> Replacements, Dictionary<int, string> Insertions)
        LineEdits(List<FunctionWork> work)
    {
        var replacements = new Dictionary<int, IReadOnlyList<(Instruction, SymbolicOperand, SymbolicOperand)>>();
        var insertions = new Dictionary<int, string>();
        foreach (var w in work)
        {
            var decisions = w.Decisions;
            foreach (var (node, rewrite, fate) in AppliedRewrites.Of(decisions.Candidates, decisions.Chosen).Touched)
            {
                replacements[w.Analysis.Cfg.Nodes[node]] = fate == InstructionFate.Replaced
                    ? [.. decisions.Applied(rewrite).Replacement.Select(r => (r.Instruction, r.Symbol, r.Symbol1))]
                    : [];
            }
            foreach (int i in decisions.Chosen)
                if (decisions.Applied(i).InsertText is { } text) insertions.Add(decisions.Applied(i).InsertBeforeLine, text);
        }
        return (replacements, insertions);
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
                if (w.Decisions.Chosen.Count == 0 || result.Contains(w)) continue;
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

    /// <summary>The report, from the decision table: per function what matched, what was applied (as applied) and what was rejected and why.</summary>
    private static OptimizationReport BuildReport(AsmFile file, DecisionTable table, List<FunctionWork> work, OptimizerOptions options)
    {
        var printer = new AsmPrinter();
        var functions = new List<FunctionReport>(work.Count);
        foreach (var w in work)
        {
            var cfg = w.Analysis.Cfg;
            var decisions = w.Decisions;
            var perRule = decisions.Candidates.GroupBy(c => c.Rule.Name).ToDictionary(g => g.Key, g => g.Count());
            var applied = new List<RewriteRecord>();
            double cycles = 0;
            int size = 0;
            foreach (int i in decisions.Chosen)
            {
                var c = decisions.Applied(i);
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
                applied.Add(new RewriteRecord(c.Rule.Name, line + 1, before, after, c.SizeDelta, decisions[i].Score));
            }
            var rejected = new List<RejectionRecord>();
            for (int i = 0; i < decisions.Candidates.Count; i++)
            {
                if (decisions[i] is not { Kind: DecisionKind.Rejected, Rejection: { } why }) continue;
                rejected.Add(new RejectionRecord(decisions.Candidates[i].Rule.Name, cfg.Nodes[decisions.Candidates[i].FirstNode] + 1, why.Reason, why.Kind));
            }
            functions.Add(new FunctionReport(w.Function.Name, perRule, applied, rejected, size, cycles, decisions.FallbackReason));
        }
        string policy = options.Policy == PolicyKind.Model && options.Model is { } m
            ? $"model {Path.GetFileName(m.ModelPath)} sha256:{m.ModelSha256[..12]}"
            : options.Policy.ToString().ToLowerInvariant();
        return new OptimizationReport(file.Path, policy, table.Functions.Count, table.Candidates, table.Chosen, table.Fallbacks, functions, Passes);
    }
}
