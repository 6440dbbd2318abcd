using System.Diagnostics;
using CompilerLLM.Lab.Corpus;
using CompilerLLM.Lab.Measurement;
using CompilerLLM.Inference;

namespace CompilerLLM.Training.Episodes;

/// <summary>Everything a training run needs before the first update: the corpus as instances, priced, and the baselines.</summary>
public sealed class TrainingSetup
{
    private TrainingSetup(RewardModel reward, List<FunctionInstance> train, List<FunctionInstance> validation, FeatureScaler scaler,
        IReadOnlyList<PolicyScore> baselines, CorpusOptions corpus)
    {
        Reward = reward;
        Train = train;
        Validation = validation;
        Scaler = scaler;
        Baselines = baselines;
        Corpus = corpus;
    }

    public RewardModel Reward { get; }
    public List<FunctionInstance> Train { get; }
    public List<FunctionInstance> Validation { get; }
    public FeatureScaler Scaler { get; }
    public IReadOnlyList<PolicyScore> Baselines { get; }
    public CorpusOptions Corpus { get; }

    public static TrainingSetup Create(CorpusOptions corpus, string repositoryRoot, string mcpu, Action<string> progress)
    {
        var clock = Stopwatch.StartNew();
        var builder = new CorpusBuilder(Path.Combine(CompilerLLM.Lab.Repository.DefaultCacheDirectory(repositoryRoot), "train"));
        var (train, validation) = TrainingCorpus.Build(corpus, builder, progress);
        progress($"corpus: {train.Count} training and {validation.Count} validation functions with candidates, " +
            $"{train.Sum(f => f.Count) + validation.Sum(f => f.Count)} candidates ({clock.Elapsed.TotalSeconds:F0} s)");

        var estimator = new StaticEstimator(new StaticEstimatorOptions { Mcpu = mcpu, DiskCacheDirectory = Path.Combine(builder.CacheDirectory, "mca") });
        var reward = new RewardModel(estimator);
        // Two llvm-mca processes at a time (the machine's cores); chunks keep each run's input bounded.
        var chunks = train.Concat(validation).Chunk(400).ToList();
        Parallel.ForEach(chunks, new ParallelOptions { MaxDegreeOfParallelism = corpus.Parallelism }, chunk => reward.Prepare(chunk));
        var stats = estimator.Statistics;
        progress($"priced every block and every candidate alone: {stats.BlocksSimulated} blocks simulated in {stats.McaInvocations} llvm-mca runs, cache hit rate {100 * stats.HitRate:F0}% ({clock.Elapsed.TotalSeconds:F0} s)");

        var scaler = FeatureScaler.Fit(train.Select(f => f.Features), FeatureSchema.Width);
        var baselines = new List<PolicyScore>
        {
            reward.Score("none", validation, validation.Select(Episodes.Baselines.None).ToList()),
            reward.Score("apply-all", validation, validation.Select(Episodes.Baselines.ApplyAll).ToList()),
            reward.Score("cost-model greedy", validation, validation.Select(Episodes.Baselines.CostGreedy).ToList()),
            reward.Score("oracle (per-block search)", validation, Episodes.Baselines.Oracle(validation, reward)),
        };
        progress($"baselines on validation priced ({clock.Elapsed.TotalSeconds:F0} s)");
        return new TrainingSetup(reward, train, validation, scaler, baselines, corpus);
    }
}
