namespace CompilerLLM.Rewriting;

/// <summary>
/// A rule that cannot be built as written (an Iced code name that does not exist, a code that
/// cannot take the template's operands). Thrown while the catalogue is built, so the test suite
/// fails rather than a user's build.
/// </summary>
public sealed class RuleDefinitionException(string rule, string problem) : Exception($"rule '{rule}': {problem}")
{
    /// <summary>The name of the rule that cannot be built.</summary>
    public string Rule { get; } = rule;
}
