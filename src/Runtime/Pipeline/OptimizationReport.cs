namespace CompilerLLM.Pipeline;

/// <summary>One rewrite as the report shows it (<paramref name="Score"/>: the policy model's score, when a model chose).</summary>
public sealed record RewriteRecord(string Rule, int Line, IReadOnlyList<string> Before, IReadOnlyList<string> After, int SizeDelta, float? Score = null);

/// <summary>A candidate that was not applied, and why: the reason in words and its <paramref name="Kind"/> (null in reports that predate it).</summary>
public sealed record RejectionRecord(string Rule, int Line, string Reason, CompilerLLM.Rewriting.RejectionKind? Kind = null);

/// <summary>Per function: what matched, what was applied, what was rejected and the estimated effect.</summary>
public sealed record FunctionReport(
    string Name,
    IReadOnlyDictionary<string, int> CandidatesPerRule,
    IReadOnlyList<RewriteRecord> Applied,
    IReadOnlyList<RejectionRecord> Rejected,
    int SizeDelta,
    double EstimatedCycleDelta,
    string? FallbackReason);

/// <summary>The optimizer's report for one file (written as JSON with --report).</summary>
public sealed record OptimizationReport(
    string File,
    string Policy,
    int Functions,
    int Candidates,
    int Applied,
    int Fallbacks,
    IReadOnlyList<FunctionReport> FunctionReports,
    IReadOnlyList<string> Passes);
