namespace CompilerLLM.Training.Variants;

/// <summary>The assignments the learned policy is compared with, each a pure function of the measured data.</summary>
public static class VariantMethods
{
    /// <summary>One variant on every unit that can take it (base elsewhere).</summary>
    public static int[][] Everywhere(IReadOnlyList<VariantProgram> programs, int variant) => [.. programs.Select(p => p.Uniform(variant))];

    /// <summary>
    /// The engine's static cost model: per unit the candidate with the fewest estimated cycles (base on a tie or when
    /// base has no estimate: a missing estimate is never a reason to change).
    /// </summary>
    public static int[][] CostModel(IReadOnlyList<VariantProgram> programs) => [.. programs.Select(p => p.Units.Select(u =>
    {
        if (!double.IsFinite(u.Cycles[0])) return 0;
        int best = 0;
        foreach (int j in u.Candidates)
            if (double.IsFinite(u.Cycles[j]) && u.Cycles[j] < u.Cycles[best]) best = j;
        return best;
    }).ToArray())];

    /// <summary>
    /// The oracle of uniform choices: per program the variant with the best measured speedup (base when none is
    /// faster), on every unit. It looks at the answer, so it is a ceiling, not a method.
    /// </summary>
    public static int[][] Oracle(IReadOnlyList<VariantProgram> programs) => [.. programs.Select(p =>
    {
        int best = 0;
        for (int j = 1; j < p.LogRatio.Length; j++)
            if (double.IsFinite(p.LogRatio[j]) && p.LogRatio[j] > p.LogRatio[best]) best = j;
        return p.Uniform(best);
    })];

    /// <summary>
    /// Tune mode as the package decides (<c>TuneVariants</c>: it starts from the zero-shot choice and takes a measured
    /// alternative only where it clears the noise margin over that choice), at program level from the measurements: the
    /// best measured variant everywhere when its whole interval lies above the zero-shot assignment's (proxy) speedup
    /// times 1 + <paramref name="margin"/>, else the zero-shot assignment (<paramref name="zeroShot"/>; null: base).
    /// Base (the project's flags, exactly the reference) is one of the alternatives, as it is among the package's
    /// candidates: a zero-shot choice measured slower than the project's own flags beyond the margin goes back to them.
    /// A measurement of the program itself (as tune mode times the project's own benchmark), so not cross-validated;
    /// measured again independently by the harness, its ratio carries no winner's curse.
    /// </summary>
    public static int[][] Tune(IReadOnlyList<VariantProgram> programs, double margin, int[][]? zeroShot = null) => [.. programs.Select((p, i) =>
    {
        int[] start = zeroShot?[i] ?? p.Uniform(0);
        double clear = p.Proxy(start) + Math.Log(1 + margin);
        int best = -1;
        for (int j = 0; j < p.LogRatio.Length; j++)
            if (double.IsFinite(p.LogLow[j]) && p.LogLow[j] > clear && (best < 0 || p.LogRatio[j] > p.LogRatio[best])) best = j;
        return best < 0 ? start : p.Uniform(best);
    })];

    /// <summary>
    /// Whether a model is to choose only for units with profile data: unless its cross-validated choices for builds
    /// without a profile are a gain (geomean above 1) that slows no program beyond noise.
    /// </summary>
    public static bool RequiresProfile(MethodScore withoutProfile) => !(withoutProfile.Geomean > 1 && withoutProfile.Slower == 0);
}
