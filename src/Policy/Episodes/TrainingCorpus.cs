using CompilerLLM.Assembly;
using CompilerLLM.Lab.Corpus;
using CompilerLLM.Pipeline;

namespace CompilerLLM.Training.Episodes;

public sealed record CorpusOptions
{
    public int Programs { get; init; } = 300;
    public int FirstSeed { get; init; } = 1;
    public IReadOnlyList<GccFlagSet> FlagSets { get; init; } = [new("O2", "-O2"), new("O3", "-O3"), new("O3-v3", "-O3 -march=x86-64-v3")];
    /// <summary>Programs whose seed is a multiple of this are validation (split by program, never by function).</summary>
    public int ValidationEvery { get; init; } = 5;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// The training corpus: csmith programs (deterministic ids: the seed) compiled by GCC at the levels users use,
/// each function with candidates an instance. Generation and compilation are cached on disk by
/// <see cref="CorpusBuilder"/>, so building is resumable: an interrupted build redoes only what is missing.
/// </summary>
public static class TrainingCorpus
{
    public static (List<FunctionInstance> Train, List<FunctionInstance> Validation) Build(CorpusOptions options, CorpusBuilder builder,
        Action<string> progress)
    {
        var perProgram = new List<FunctionInstance>[options.Programs];
        int done = 0;
        Parallel.For(0, options.Programs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, p =>
        {
            int seed = options.FirstSeed + p;
            var list = new List<FunctionInstance>();
            var enumerator = new CandidateEnumerator(); // one per worker: the finder's encoder is not thread-safe
            try
            {
                string c = builder.Csmith(seed);
                foreach (var flags in options.FlagSets)
                {
                    var file = AsmReader.ReadFile(builder.Assembly(c, flags));
                    list.AddRange(FunctionInstance.FromFile(file, $"csmith-{seed}/{flags.Name}", enumerator));
                }
            }
            catch (Exception e) when (e is CorpusException or AsmReadException)
            {
                progress($"seed {seed} skipped: {e.Message.Split('\n')[0]}");
            }
            perProgram[p] = list;
            int n = Interlocked.Increment(ref done);
            if (n % 50 == 0 || n == options.Programs) progress($"corpus {n}/{options.Programs} programs");
        });
        var train = new List<FunctionInstance>();
        var validation = new List<FunctionInstance>();
        for (int p = 0; p < options.Programs; p++)
            ((options.FirstSeed + p) % options.ValidationEvery == 0 ? validation : train).AddRange(perProgram[p]);
        return (train, validation);
    }
}
