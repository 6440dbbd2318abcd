namespace CompilerLLM.Rewriting;

/// <summary>
/// What the one selection (<see cref="Pipeline.RewriteSelection"/>) and the one apply (<see cref="Pipeline.AppliedRewrites"/>)
/// need of a candidate rewrite: its site and the site guard's verdict. The optimizer's <see cref="Candidate"/> and the
/// trainer's actions are both, so the two choose and apply alike.
/// </summary>
public interface IRewriteCandidate
{
    RewriteSite Site { get; }

    /// <summary>True when every check at the site passed: only valid candidates can be chosen.</summary>
    bool IsValid { get; }
}
