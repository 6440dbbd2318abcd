namespace CompilerLLM.Training.Learning;

/// <summary>
/// Derives independent seeds from a run seed and coordinates (update step, program, rollout…),
/// so a rollout is a pure function of (program, parameters, seed) and a resumed run draws
/// exactly the random numbers the uninterrupted run would have drawn.
/// </summary>
public static class DeterministicSeeds
{
    /// <summary>A non-negative <see cref="int"/> seed for <see cref="Random(int)"/>.</summary>
    public static int Derive(ulong runSeed, params ReadOnlySpan<long> coordinates)
    {
        ulong h = SplitMix64.Mix(runSeed ^ 0x6A09E667F3BCC909UL);
        foreach (long c in coordinates)
            h = SplitMix64.Mix(h ^ SplitMix64.Mix(unchecked((ulong)c) + 0x9E3779B97F4A7C15UL));
        return (int)(h >> 33); // 31 bits: always >= 0
    }

    /// <summary>A seeded <see cref="Random"/> for the given coordinates.</summary>
    public static Random CreateRandom(ulong runSeed, params ReadOnlySpan<long> coordinates)
        => new(Derive(runSeed, coordinates));
}
