namespace CompilerLLM.Lab.Corpus;

/// <summary>A named GCC option mix used to compile corpus programs.</summary>
public sealed record GccFlagSet(string Name, string Flags)
{
    public IReadOnlyList<string> Arguments => Flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The option mixes the round-trip corpus must pass: the levels users use plus the code-generation options that change assembly shape.</summary>
    public static IReadOnlyList<GccFlagSet> RoundTripMatrix { get; } =
    [
        new("O0", "-O0"),
        new("O2", "-O2"),
        new("O3", "-O3"),
        new("O3-v3", "-O3 -march=x86-64-v3"),
        new("O3-v4", "-O3 -march=x86-64-v4"),
        new("O2-fPIC", "-O2 -fPIC"),
        new("O2-g", "-O2 -g"),
        new("O2-cet", "-O2 -fcf-protection"),
    ];
}
