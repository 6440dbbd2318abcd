using CompilerLLM.Assembly;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Pipeline;

/// <summary>
/// A seam between choosing and applying (<see cref="OptimizerOptions.BeforeApply"/>): given one function's chosen rewrites,
/// the rewrites to apply in their place, one for one at the same sites (new candidates, made with
/// <see cref="Candidate.WithReplacement"/>; the chosen ones themselves never change). What a hook returns goes through
/// everything after the choice: printing, re-assembly, the liveness re-check and translation validation. Builds do not
/// use it; tests do, to put a deliberate fault (<see cref="FaultInjection"/>) past the guards and show the later checks catch it.
/// </summary>
public interface IChosenRewritesHook
{
    /// <param name="function">The function the rewrites belong to.</param>
    /// <param name="chosen">Its chosen rewrites, in program order (possibly none).</param>
    /// <returns><paramref name="chosen"/> itself to change nothing; otherwise as many rewrites, in the same order and at the same sites.</returns>
    IReadOnlyList<Candidate> Transform(AsmFunction function, IReadOnlyList<Candidate> chosen);
}
