using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting.Guards;

/// <summary>The conjunction of conditions, decided left to right.</summary>
public sealed class AllOfGuard : RuleGuard
{
    private readonly RuleGuard[] _conditions;

    public AllOfGuard(params RuleGuard[] conditions)
    {
        if (conditions.Length == 0) throw new ArgumentException("a conjunction needs at least one condition", nameof(conditions));
        _conditions = [.. conditions]; // a copy: the caller keeps its array
    }

    public IReadOnlyList<RuleGuard> Conditions => _conditions;

    public override bool Holds(Bindings bindings)
    {
        foreach (var c in _conditions)
        {
            if (!c.Holds(bindings)) return false;
        }
        return true;
    }

    /// <summary>The conjunction of the parts' preconditions: literal parts fold away (or make it <c>false</c>).</summary>
    public override string Meaning(Bindings bindings)
    {
        var parts = new List<string>(_conditions.Length);
        foreach (var c in _conditions)
        {
            string p = c.Meaning(bindings);
            if (p == Smt.False) return Smt.False;
            if (p != Smt.True) parts.Add(p);
        }
        return Smt.And([.. parts]);
    }

    public override bool IsSymbolic(Bindings bindings) => _conditions.Any(c => c.IsSymbolic(bindings));

    public override string ToString() => _conditions.Length == 1
        ? _conditions[0].ToString()
        : $"{string.Join(", ", _conditions[..^1].Select(c => c.ToString()))} and {_conditions[^1]}";
}
