namespace CompilerLLM.Rewriting;

/// <summary>The action families the policy chooses from.</summary>
public enum RuleFamily : byte
{
    /// <summary>Windows of 1–4 instructions replaced by fewer or cheaper ones.</summary>
    Peephole,
    /// <summary>One instruction for another with the same effect (size, latency, fusion).</summary>
    Substitution,
    /// <summary>Folding, splitting or re-associating address computations.</summary>
    AddressMode,
    /// <summary>Breaking false output dependencies of partial-register writers.</summary>
    FalseDependency,
    /// <summary>Reordering within a basic block along the dependence graph.</summary>
    Scheduling,
    /// <summary>Code placement: alignment of loop headers.</summary>
    Layout,
}
