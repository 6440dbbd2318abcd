namespace CompilerLLM.Pipeline;

/// <summary>How the optimizer chooses among validated candidates.</summary>
public enum PolicyKind : byte
{
    /// <summary>Apply nothing (the output equals the input).</summary>
    None,
    /// <summary>Apply every validated candidate greedily, in program order, skipping overlaps.</summary>
    All,
    /// <summary>Score every validated candidate with <see cref="OptimizerOptions.Model"/> and apply, best first, those above the threshold.</summary>
    Model,
    /// <summary>Let <see cref="OptimizerOptions.Chooser"/> choose (the trainer's correctness gate replays its rollouts this way).</summary>
    Custom,
}

/// <summary>How the optimizer runs on one file: the policy and its model, the rules, the fuel, the checks after the choice.</summary>
public sealed record OptimizerOptions
{
    public PolicyKind Policy { get; init; } = PolicyKind.All;

    /// <summary>The ONNX policy used when <see cref="Policy"/> is <see cref="PolicyKind.Model"/> (owned by the caller).</summary>
    public CompilerLLM.Inference.RewritePolicy? Model { get; init; }

    /// <summary>
    /// For <see cref="PolicyKind.Custom"/>: given a function and its candidates, the ones to apply. Invalid and
    /// overlapping choices are dropped (first listed wins), so a chooser can never bypass the guards.
    /// </summary>
    public Func<CompilerLLM.Analysis.FunctionAnalysis, IReadOnlyList<CompilerLLM.Rewriting.Candidate>, IEnumerable<CompilerLLM.Rewriting.Candidate>>? Chooser { get; init; }

    /// <summary>Overrides the model's threshold: candidates scoring at or below it are not applied.</summary>
    public float? Threshold { get; init; }

    /// <summary>At most this many rewrites in the whole file (in program order), to bisect a miscompile to one rewrite.</summary>
    public int? Fuel { get; init; }

    /// <summary>Only these rules (by name); null for every rule applied by default.</summary>
    public IReadOnlySet<string>? Rules { get; init; }

    /// <summary>
    /// The size objective: a candidate whose replacement is longer in bytes than its window is never applied (it is
    /// rejected before the policy chooses, <see cref="CompilerLLM.Rewriting.RejectionKind.GrowsCode"/>), so the rewrites
    /// on top of the smallest variant never give back what the variant won. Use <see cref="For"/>.
    /// </summary>
    public bool NoCodeGrowth { get; init; }

    /// <summary>These options for a build with <paramref name="objective"/> (size: <see cref="NoCodeGrowth"/>): one rule for every front.</summary>
    public OptimizerOptions For(CompilerLLM.Variants.VariantObjective objective) =>
        this with { NoCodeGrowth = objective == CompilerLLM.Variants.VariantObjective.Size };

    /// <summary>Re-check each changed block by symbolic execution with z3 (translation validation).</summary>
    public bool ValidateWithSmt { get; init; }

    /// <summary>
    /// Runs on each function's chosen rewrites before they are applied and may give others in their place, at the same
    /// sites (null: none). Only testing sets it, to inject a fault (<see cref="FaultInjection"/>).
    /// </summary>
    public IChosenRewritesHook? BeforeApply { get; init; }

    /// <summary>
    /// How many threads analyse functions and find their candidates; null (the default) for one per processor on a
    /// big file and one on a small one (threads cost about what a small file takes). Only the time changes: each
    /// function's analysis and candidates depend on nothing else, and they are taken in file order.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Assembles the rewritten text as the build will assemble it (our object), so that the re-check models it from
    /// that plain object instead of running the assembler once more; returns null when it does not assemble (the
    /// re-check then asks GAS itself, for its messages). Null: the re-check assembles on its own.
    /// </summary>
    public Func<string, CompilerLLM.Assembly.ElfObject?>? AssembleOutput { get; init; }
}
