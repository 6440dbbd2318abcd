namespace CompilerLLM.Training.Variants;

/// <summary>
/// Cross-validation by program: the programs are split into folds, and each program's assignment comes from a model
/// trained on the other folds only (its units, its measurements, its reaction embedding never reach that training).
/// </summary>
public static class VariantCrossValidation
{
    /// <summary>
    /// The held-out programs of each fold (indices into the program list): <paramref name="folds"/> ≥ the program count
    /// (or 0) is leave-one-out; otherwise program i goes to fold i mod K (the dataset's order, deterministic).
    /// </summary>
    public static IReadOnlyList<int[]> Folds(int programs, int folds)
    {
        if (programs < 2) throw new ArgumentException("cross-validation needs at least two programs", nameof(programs));
        int k = folds <= 0 || folds >= programs ? programs : folds;
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(folds), "at least two folds");
        return [.. Enumerable.Range(0, k).Select(f => Enumerable.Range(0, programs).Where(i => i % k == f).ToArray())];
    }

    /// <summary>
    /// Every program's assignment, in the programs' order, from the chooser <paramref name="train"/> builds from the
    /// other folds' programs (e.g. <c>training =&gt; VariantTrainer.Train(training, options).Assign</c>).
    /// </summary>
    public static int[][] Assign(IReadOnlyList<VariantProgram> programs, IReadOnlyList<int[]> folds, Func<IReadOnlyList<VariantProgram>, Func<VariantProgram, int[]>> train)
    {
        ArgumentNullException.ThrowIfNull(programs);
        ArgumentNullException.ThrowIfNull(train);
        var result = new int[programs.Count][];
        foreach (int[] heldOut in folds)
        {
            var training = programs.Where((_, i) => !heldOut.Contains(i)).ToList();
            var choose = train(training);
            foreach (int i in heldOut)
            {
                if (result[i] is not null) throw new ArgumentException($"program {programs[i].Name} is held out by two folds", nameof(folds));
                result[i] = choose(programs[i]);
            }
        }
        for (int i = 0; i < result.Length; i++)
            if (result[i] is null) throw new ArgumentException($"program {programs[i].Name} is held out by no fold", nameof(folds));
        return result;
    }
}
