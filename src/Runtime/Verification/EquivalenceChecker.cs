using System.Text;
using System.Text.RegularExpressions;
using CompilerLLM.Analysis;
using Iced.Intel;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Verification;

public enum EquivalenceStatus
{
    /// <summary>z3 proved that no initial state (satisfying the preconditions) makes the compared outputs differ.</summary>
    Equivalent,
    /// <summary>z3 found an initial state for which they differ; see the counterexample.</summary>
    Different,
    /// <summary>An instruction is not modelled exactly; see the reason.</summary>
    Unsupported,
    Unknown,
    Timeout,
    Error,
}

/// <summary>
/// Inputs of an equivalence query beyond the two sequences. Preconditions are Bool terms over the
/// initial state (<see cref="EquivalenceChecker.Initial"/>, <see cref="EquivalenceChecker.InitialMemory"/>)
/// and over <see cref="Variables"/> (e.g. a symbolic immediate shared by both sides).
/// </summary>
public sealed record EquivalenceOptions
{
    /// <summary>Extra constants to declare, as (name, sort): the symbols used in operand terms and preconditions.</summary>
    public IReadOnlyList<(string Name, string Sort)> Variables { get; init; } = [];

    /// <summary>Bool terms assumed of the initial state and the variables.</summary>
    public IReadOnlyList<string> Preconditions { get; init; } = [];

    /// <summary>Per instruction of the first sequence (same length, null entries allowed), or null.</summary>
    public IReadOnlyList<OperandTerms?>? BeforeTerms { get; init; }

    /// <summary>Per instruction of the second sequence, or null.</summary>
    public IReadOnlyList<OperandTerms?>? AfterTerms { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The z3 executable.</summary>
    public string Solver { get; init; } = ToolchainOptions.Default.Solver;
}

/// <summary>
/// The verdict of <see cref="EquivalenceChecker.Check"/>. For <see cref="EquivalenceStatus.Different"/>,
/// <see cref="Differing"/>/<see cref="MemoryDiffers"/> are the outputs that differ in z3's
/// counterexample (at least one), and <see cref="Counterexample"/> shows the model and both sides' values.
/// </summary>
public sealed record EquivalenceResult(
    EquivalenceStatus Status,
    string? Reason,
    string? Counterexample,
    LocationSet Differing,
    bool MemoryDiffers,
    string Script)
{
    public bool IsEquivalent => Status == EquivalenceStatus.Equivalent;

    public override string ToString() => Status switch
    {
        EquivalenceStatus.Equivalent => "equivalent",
        EquivalenceStatus.Different => $"different on {Differing}{(MemoryDiffers ? " and memory" : "")}\n{Counterexample}",
        _ => $"{Status}: {Reason}",
    };
}

/// <summary>
/// Per-location answer of <see cref="EquivalenceChecker.FindDifferences"/>: which compared outputs
/// some initial state can make differ, and which z3 could not decide.
/// </summary>
public sealed record DifferenceReport(
    EquivalenceStatus Status,
    string? Reason,
    LocationSet CanDiffer,
    LocationSet Undecided,
    bool MemoryCanDiffer,
    string Script);

/// <summary>
/// Equivalence of two straight-line instruction sequences: both run symbolically from one shared
/// initial state, and z3 is asked for an initial state (meeting the preconditions) after which a
/// compared location differs. Unsat means equivalent.
/// <para>
/// Undefined values (flags the manual leaves undefined, bsf of 0...) are fresh on each side, so a
/// location that is undefined on either side is never proven equal: leave such locations (dead
/// flags, typically) out of <c>compare</c>. Locations that are not modelled (mask registers, x87)
/// are skipped: no modelled instruction writes them, so both sides keep the initial value.
/// </para>
/// </summary>
public static partial class EquivalenceChecker
{
    public const string InitialPrefix = "init";

    /// <summary>The SMT constant holding <paramref name="location"/>'s initial value (e.g. <c>init_rax</c>).</summary>
    public static string Initial(int location) => SymbolicState.VariableName(InitialPrefix, location);

    /// <summary>The SMT constant holding the initial memory.</summary>
    public static string InitialMemory => SymbolicState.MemoryVariableName(InitialPrefix);

    /// <summary>
    /// Whether <paramref name="before"/> and <paramref name="after"/> leave the same values in every
    /// location of <paramref name="compare"/> (and in all of memory when <paramref name="compareMemory"/>).
    /// </summary>
    public static EquivalenceResult Check(
        IReadOnlyList<Instruction> before,
        IReadOnlyList<Instruction> after,
        LocationSet compare,
        bool compareMemory,
        EquivalenceOptions? options = null)
    {
        options ??= new EquivalenceOptions();
        var query = Build(before, after, compare, compareMemory, options);
        if (query.Reason is not null)
            return new EquivalenceResult(EquivalenceStatus.Unsupported, query.Reason, null, LocationSet.Empty, false, query.Smt.ToScript());
        if (query.Differences.Count == 0)
        {
            return new EquivalenceResult(EquivalenceStatus.Equivalent, "the compared outputs are the same terms", null,
                LocationSet.Empty, false, query.Smt.ToScript(Smt.False));
        }

        string goal = Smt.Or([.. query.Differences.Select(d => d.Diff)]);
        string script = query.Smt.ToScript(goal);
        var result = Z3Solver.Check(script, options.Timeout, options.Solver);
        switch (result.Status)
        {
            case SmtStatus.Unsat:
                return new EquivalenceResult(EquivalenceStatus.Equivalent, null, null, LocationSet.Empty, false, script);
            case SmtStatus.Sat:
                break;
            default:
                return new EquivalenceResult(Map(result.Status), Trim(result.Output), null, LocationSet.Empty, false, script);
        }

        // Ask again for the model: get-value after an unsat answer would be an error, so the
        // first run has none.
        var queries = new List<string>
        {
            "(get-value (" + string.Join(' ', query.Differences.Select(d => d.Diff)) + "))",
        };
        foreach (var d in query.Differences.Where(d => d.Location >= 0))
            queries.Add($"(get-value ({d.Before} {d.After}))");
        queries.Add("(get-model)");
        string modelScript = query.Smt.ToScript(goal, queries);
        var model = Z3Solver.Check(modelScript, options.Timeout, options.Solver);
        var differing = LocationSet.Empty;
        bool memoryDiffers = false;
        if (model.Status == SmtStatus.Sat)
        {
            var values = ParseValues(model.Rest);
            foreach (var d in query.Differences)
            {
                if (!values.TryGetValue(d.Diff, out string? v) || v != "true") continue;
                if (d.Location < 0) memoryDiffers = true;
                else differing = differing.With(d.Location);
            }
        }
        return new EquivalenceResult(EquivalenceStatus.Different, null, DescribeModel(query, model), differing, memoryDiffers, script);
    }

    /// <summary>
    /// For each location of <paramref name="compare"/> separately (and memory), whether some initial
    /// state makes the two sequences disagree on it. One z3 run, one push/pop per location.
    /// </summary>
    public static DifferenceReport FindDifferences(
        IReadOnlyList<Instruction> before,
        IReadOnlyList<Instruction> after,
        LocationSet compare,
        bool compareMemory,
        EquivalenceOptions? options = null)
    {
        options ??= new EquivalenceOptions();
        var query = Build(before, after, compare, compareMemory, options);
        if (query.Reason is not null)
            return new DifferenceReport(EquivalenceStatus.Unsupported, query.Reason, LocationSet.Empty, LocationSet.Empty, false, query.Smt.ToString());
        if (query.Differences.Count == 0)
            return new DifferenceReport(EquivalenceStatus.Equivalent, null, LocationSet.Empty, LocationSet.Empty, false, query.Smt.ToString());

        var sb = new StringBuilder(query.Smt.ToString());
        foreach (var d in query.Differences) sb.Append("(push 1)\n(assert ").Append(d.Diff).Append(")\n(check-sat)\n(pop 1)\n");
        string script = sb.ToString();
        var result = Z3Solver.Check(script, options.Timeout, options.Solver);
        if (result.Status == SmtStatus.Error)
            return new DifferenceReport(EquivalenceStatus.Error, Trim(result.Output), LocationSet.Empty, LocationSet.Empty, false, script);

        var answers = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var canDiffer = LocationSet.Empty;
        var undecided = LocationSet.Empty;
        bool memory = false, anyUndecided = false;
        for (int k = 0; k < query.Differences.Count; k++)
        {
            var d = query.Differences[k];
            string answer = k < answers.Length ? answers[k] : "timeout";
            if (answer == "sat")
            {
                if (d.Location < 0) memory = true;
                else canDiffer = canDiffer.With(d.Location);
            }
            else if (answer != "unsat")
            {
                anyUndecided = true;
                if (d.Location >= 0) undecided = undecided.With(d.Location);
            }
        }
        var status = anyUndecided ? EquivalenceStatus.Unknown
            : canDiffer.IsEmpty && !memory ? EquivalenceStatus.Equivalent : EquivalenceStatus.Different;
        return new DifferenceReport(status, anyUndecided ? Trim(result.Output) : null, canDiffer, undecided, memory, script);
    }

    /// <summary>Runs <paramref name="instructions"/> on <paramref name="state"/>; the reason of the first unsupported one, or null.</summary>
    public static string? Execute(IReadOnlyList<Instruction> instructions, SymbolicState state, SmtBuilder smt, IReadOnlyList<OperandTerms?>? terms = null)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        if (terms is not null && terms.Count != instructions.Count)
            throw new ArgumentException($"{terms.Count} operand terms for {instructions.Count} instructions", nameof(terms));
        for (int k = 0; k < instructions.Count; k++)
        {
            var instruction = instructions[k];
            smt.Comment($"[{k}] {instruction}");
            if (!X86Semantics.TryExecute(instruction, state, smt, terms?[k], out string? why))
                return $"instruction {k} ({instruction}): {why}";
        }
        return null;
    }

    // ------------------------------------------------------------------ internals

    /// <summary>One compared output: <see cref="Location"/> is -1 for memory.</summary>
    private sealed record Difference(int Location, string Before, string After, string Diff);

    private sealed record Query(SmtBuilder Smt, string? Reason, List<Difference> Differences, SymbolicState Initial);

    private static Query Build(IReadOnlyList<Instruction> before, IReadOnlyList<Instruction> after, LocationSet compare,
        bool compareMemory, EquivalenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var smt = new SmtBuilder();
        var initial = SymbolicState.Fresh(smt, InitialPrefix);
        foreach (var (name, sort) in options.Variables) smt.Declare(name, sort);
        foreach (var p in options.Preconditions) smt.Assert(p);

        var b = initial.Clone();
        smt.Comment("before");
        string? reason = Execute(before, b, smt, options.BeforeTerms);
        var a = initial.Clone();
        if (reason is null)
        {
            smt.Comment("after");
            reason = Execute(after, a, smt, options.AfterTerms);
            if (reason is not null) reason = "after: " + reason;
        }
        else reason = "before: " + reason;

        var differences = new List<Difference>();
        if (reason is null)
        {
            foreach (int l in compare)
            {
                if (!SymbolicState.IsModelled(l)) continue;
                string tb = b[l], ta = a[l];
                if (tb == ta) continue; // the very same term: equal in every model
                differences.Add(new Difference(l, tb, ta, smt.Define(Smt.Bool, Smt.Distinct(tb, ta), "diff_" + Location.Name(l).Replace('.', '_'))));
            }
            if (compareMemory && b.Memory != a.Memory)
                differences.Add(new Difference(-1, b.Memory, a.Memory, smt.Define(Smt.Bool, Smt.Distinct(b.Memory, a.Memory), "diff_mem")));
        }
        return new Query(smt, reason, differences, initial);
    }

    private static EquivalenceStatus Map(SmtStatus status) => status switch
    {
        SmtStatus.Unknown => EquivalenceStatus.Unknown,
        SmtStatus.Timeout => EquivalenceStatus.Timeout,
        _ => EquivalenceStatus.Error,
    };

    private static string DescribeModel(Query query, SmtResult model)
    {
        if (model.Status != SmtStatus.Sat) return $"(no model: {model.Status})\n{Trim(model.Output)}";
        var values = ParseValues(model.Rest);
        var sb = new StringBuilder();
        foreach (var d in query.Differences)
        {
            if (d.Location < 0)
            {
                if (values.TryGetValue(d.Diff, out string? m) && m == "true") sb.Append("memory differs\n");
                continue;
            }
            values.TryGetValue(d.Before, out string? vb);
            values.TryGetValue(d.After, out string? va);
            bool differs = values.TryGetValue(d.Diff, out string? dv) && dv == "true";
            sb.Append(differs ? "* " : "  ").Append(Location.Name(d.Location)).Append(": before ")
                .Append(vb ?? "?").Append(", after ").Append(va ?? "?").Append('\n');
        }
        sb.Append("initial state:\n");
        foreach (Match m in ModelEntry().Matches(model.Rest))
        {
            string name = m.Groups[1].Value;
            if (name.StartsWith(InitialPrefix + "_", StringComparison.Ordinal) || query.Smt.IsDeclared(name))
                sb.Append("  ").Append(name).Append(" = ").Append(m.Groups[2].Value).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Pairs <c>(term value)</c> from get-value responses, keyed by the term's text.</summary>
    private static Dictionary<string, string> ParseValues(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in ValuePair().Matches(output)) values[m.Groups[1].Value] = m.Groups[2].Value;
        return values;
    }

    private static string Trim(string s) => s.Length <= 2000 ? s.Trim() : s[..2000] + "...";

    [GeneratedRegex(@"\(([^\s()]+) (#x[0-9a-f]+|#b[01]+|true|false)\)")]
    private static partial Regex ValuePair();

    [GeneratedRegex(@"\(define-fun ([^\s()]+) \(\) \(_ BitVec \d+\)\s+(#x[0-9a-f]+|#b[01]+)\)")]
    private static partial Regex ModelEntry();
}
