using System.Collections.Concurrent;
using CompilerLLM.Lab.Corpus;

namespace CompilerLLM.Tests.TestSupport;

/// <summary>
/// The round-trip corpus, built at test time and cached under the repository's <c>.cache/</c>:
/// csmith programs with fixed seeds and the hand-written kernels of <c>tests/corpus/kernels</c>,
/// each compiled by GCC with every option mix of <see cref="GccFlagSet.RoundTripMatrix"/>.
/// </summary>
public static class TestCorpus
{
    /// <summary>Fixed csmith seeds: the same programs on every machine with the same csmith.</summary>
    public static readonly int[] CsmithSeeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    private static readonly Lazy<CorpusBuilder> Builder = new(() =>
        new CorpusBuilder(Path.Combine(CompilerLLM.Lab.Repository.DefaultCacheDirectory(AppContext.BaseDirectory), "test-corpus")));

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<string>>> Cache = new();

    public static string RepositoryRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "CompilerLLM.Build.sln"))) return d.FullName;
            }
            throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
        }
    }

    public static IReadOnlyList<string> KernelSources =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "tests", "corpus", "kernels"), "*.c").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Assembly files for one flag set: every kernel and every csmith seed.</summary>
    public static IReadOnlyList<string> Assembly(GccFlagSet flags) =>
        Cache.GetOrAdd(flags.Name, _ => new Lazy<IReadOnlyList<string>>(() => Build(flags))).Value;

    private static IReadOnlyList<string> Build(GccFlagSet flags)
    {
        var builder = Builder.Value;
        var sources = new List<string>(KernelSources);
        foreach (int seed in CsmithSeeds) sources.Add(builder.Csmith(seed));
        var outputs = new string[sources.Count];
        Parallel.For(0, sources.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => outputs[i] = builder.Assembly(sources[i], flags));
        return outputs;
    }

    public static GccFlagSet FlagSet(string name) => GccFlagSet.RoundTripMatrix.Single(f => f.Name == name);

    public static TheoryData<string> FlagSetNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in GccFlagSet.RoundTripMatrix) data.Add(f.Name);
        return data;
    }
}
