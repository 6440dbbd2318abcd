using CompilerLLM.Rewriting;

namespace CompilerLLM.Pipeline;

/// <summary>What became of a candidate in a run.</summary>
internal enum DecisionKind : byte
{
    /// <summary>
    /// Valid, but the policy did not take it: policy none, a custom chooser that did not list it, or (apply-all, a custom
    /// chooser) an overlap with a rewrite taken earlier. Not a rejection: the report does not list it.
    /// </summary>
    NotChosen,
    /// <summary>Chosen, and applied unless a later row says otherwise.</summary>
    Chosen,
    /// <summary>Not applied, for the recorded <see cref="Decision.Rejection"/>.</summary>
    Rejected,
}

/// <summary>One row of the decision table: what became of a candidate, why when it was rejected, and the model's score when a model chose.</summary>
internal readonly record struct Decision(DecisionKind Kind, Rejection? Rejection = null, float? Score = null);
