using System.Diagnostics;
using System.Text.Json;
using CompilerLLM.Training.Learning;
using CompilerLLM.Pipeline;

namespace CompilerLLM.Training.Episodes;

public sealed record RunOptions
{
    public int Steps { get; init; } = 300;
    /// <summary>Functions (groups) per update; each gets <see cref="TrainingConfig.GroupSize"/> rollouts.</summary>
    public int BatchFunctions { get; init; } = 64;
    public int ValidateEvery { get; init; } = 20;
    /// <summary>Checkpoint here every <see cref="ValidateEvery"/> steps and resume from it when present.</summary>
    public string? CheckpointDirectory { get; init; }
    /// <summary>How a rollout's reward is credited: to the whole function's decisions, or block by block.</summary>
    public CreditAssignment Credit { get; init; } = CreditAssignment.Function;
}

/// <summary>
/// The unit a group normalizes over. <see cref="Function"/>: one group per function, each rollout's reward its
/// whole saving. <see cref="Block"/>: the same rollouts split into one group per basic block with candidates,
/// each credited with its block's saving only; valid because the reward is a sum of independent per-block
/// terms, and it keeps a decision from being credited with the luck of unrelated blocks (a function can have
/// hundreds of neutral candidates and a few that matter).
/// </summary>
public enum CreditAssignment : byte { Function, Block }

/// <summary>One point of the training curve.</summary>
public sealed record CurvePoint(int Step, double MeanReward, double MeanKl, double ClipFraction,
    double? ValidationSaved, double? ValidationRelative, double EpisodesPerSecond);

/// <summary>
/// The training loop. Each step draws <see cref="RunOptions.BatchFunctions"/> training functions, scores their
/// candidates with the current policy, samples G subsets per function (a rollout is a pure function of
/// (function, parameters, seed): the seed is derived from (run seed, step, function, rollout)), resolves
/// overlaps best-logit first as the optimizer does, prices every rollout in one llvm-mca batch, and hands
/// the groups to the group-normalized update. Validation uses the greedy decision (logit above 0).
/// </summary>
public sealed class GroupTrainingRun
{
    private readonly RunOptions _options;
    private readonly RewardModel _reward;
    private readonly IReadOnlyList<FunctionInstance> _train, _validation;
    private readonly FeatureScaler _scaler;
    private readonly Dictionary<FunctionInstance, float[]> _scaled = [];
    private readonly List<CurvePoint> _curve = [];

    public GroupTrainingRun(TrainingConfig config, RunOptions options, RewardModel reward,
        IReadOnlyList<FunctionInstance> train, IReadOnlyList<FunctionInstance> validation, FeatureScaler scaler)
    {
        if (train.Count == 0) throw new ArgumentException("no training functions", nameof(train));
        _options = options;
        _reward = reward;
        _train = train;
        _validation = validation;
        _scaler = scaler;
        Trainer = new GroupPolicyTrainer(config, scaler.Mean.Length);
        foreach (var f in train.Concat(validation)) _scaled[f] = scaler.Apply(f.Features);
    }

    public GroupPolicyTrainer Trainer { get; }
    public IReadOnlyList<CurvePoint> Curve => _curve;
    public int CompletedSteps { get; private set; }

    public void Run(Action<string> progress)
    {
        var config = Trainer.Config;
        TryResume(progress);
        var clock = Stopwatch.StartNew();
        long episodes = 0;
        for (int step = CompletedSteps; step < _options.Steps; step++)
        {
            var rng = DeterministicSeeds.CreateRandom(config.Seed, step);
            var batch = Enumerable.Range(0, _train.Count).OrderBy(_ => rng.Next()).Take(Math.Min(_options.BatchFunctions, _train.Count)).Select(i => _train[i]).ToList();
            var logits = batch.Select(f => Trainer.Model.Forward(_scaled[f], f.Count)).ToList();
            var episodesToPrice = new List<(FunctionInstance, IReadOnlyList<int>)>();
            var chosenSets = new List<bool[]>();
            for (int b = 0; b < batch.Count; b++)
            {
                var f = batch[b];
                var mask = Enumerable.Repeat(true, f.Count).ToArray();
                for (int g = 0; g < config.GroupSize; g++)
                {
                    var chosen = new bool[f.Count];
                    BernoulliPolicy.Sample(logits[b], mask, DeterministicSeeds.CreateRandom(config.Seed, step, b, g), chosen);
                    var l = logits[b];
                    episodesToPrice.Add((f, RewriteSelection.Select(f.Actions, Enumerable.Range(0, f.Count).Where(a => chosen[a]).OrderByDescending(a => l[a]).ThenBy(a => a))));
                    chosenSets.Add(chosen);
                }
            }
            var byBlock = _reward.EvaluateByBlock(episodesToPrice);
            var groups = new List<RolloutGroup>(batch.Count);
            for (int b = 0; b < batch.Count; b++)
            {
                var f = batch[b];
                double scale = f.BaseCycles > 0 ? 100 / f.BaseCycles : 0;
                if (_options.Credit == CreditAssignment.Function)
                {
                    var state = new DecisionSet(_scaled[f], f.Count, _scaler.Mean.Length, Enumerable.Repeat(true, f.Count).ToArray(), logits[b]);
                    groups.Add(new RolloutGroup([.. Enumerable.Range(0, config.GroupSize).Select(g =>
                        new Rollout(state, chosenSets[b * config.GroupSize + g], scale * byBlock[b * config.GroupSize + g].Values.Sum()))], f.Embedding));
                    continue;
                }
                foreach (var block in Enumerable.Range(0, f.Count).GroupBy(a => f.Actions[a].Block))
                {
                    int[] rows = [.. block];
                    int width = _scaler.Mean.Length;
                    var features = new float[rows.Length * width];
                    for (int r = 0; r < rows.Length; r++) _scaled[f].AsSpan(rows[r] * width, width).CopyTo(features.AsSpan(r * width));
                    var state = new DecisionSet(features, rows.Length, width, Enumerable.Repeat(true, rows.Length).ToArray(), [.. rows.Select(r => logits[b][r])]);
                    groups.Add(new RolloutGroup([.. Enumerable.Range(0, config.GroupSize).Select(g =>
                    {
                        int e = b * config.GroupSize + g;
                        return new Rollout(state, [.. rows.Select(r => chosenSets[e][r])], scale * byBlock[e].GetValueOrDefault(block.Key));
                    })], f.Embedding));
                }
            }
            var stats = Trainer.Update(groups);
            episodes += episodesToPrice.Count;
            CompletedSteps = step + 1;

            double? saved = null, relative = null;
            if (CompletedSteps % _options.ValidateEvery == 0 || CompletedSteps == _options.Steps)
            {
                (saved, relative) = Validate();
                Checkpoint();
            }
            var point = new CurvePoint(CompletedSteps, stats.MeanReward, stats.MeanKl, stats.ClipFraction, saved, relative, episodes / clock.Elapsed.TotalSeconds);
            _curve.Add(point);
            if (saved is not null || CompletedSteps % 5 == 0)
                progress($"step {CompletedSteps}/{_options.Steps}: reward {stats.MeanReward:F4}%, KL {stats.MeanKl:F4}, clip {stats.ClipFraction:F2}, {point.EpisodesPerSecond:F0} episodes/s" +
                    (saved is null ? "" : $", validation saved {saved:F1} weighted cycles ({relative:F4}% mean)"));
        }
    }

    /// <summary>Greedy decisions on the validation split: weighted cycles saved in total and mean relative saving.</summary>
    public (double Saved, double Relative) Validate()
    {
        var score = _reward.Score("validation", _validation, Decide(_validation));
        return (score.Saved, score.MeanRelative);
    }

    public List<IReadOnlyList<int>> Decide(IReadOnlyList<FunctionInstance> functions) => [.. functions.Select(f =>
    {
        var l = Trainer.Model.Forward(_scaled.TryGetValue(f, out var s) ? s : _scaler.Apply(f.Features), f.Count);
        return (IReadOnlyList<int>)RewriteSelection.Select(f.Actions, Enumerable.Range(0, f.Count).Where(a => l[a] > Trainer.Config.GreedyThreshold).OrderByDescending(a => l[a]).ThenBy(a => a));
    })];

    private void Checkpoint()
    {
        if (_options.CheckpointDirectory is not { } dir) return;
        Directory.CreateDirectory(dir);
        Trainer.SaveCheckpoint(Path.Combine(dir, "policy.ckpt"));
        File.WriteAllText(Path.Combine(dir, "progress.json"), JsonSerializer.Serialize(new { CompletedSteps, Curve = _curve }));
    }

    private void TryResume(Action<string> progress)
    {
        if (_options.CheckpointDirectory is not { } dir) return;
        string checkpoint = Path.Combine(dir, "policy.ckpt"), state = Path.Combine(dir, "progress.json");
        if (!File.Exists(checkpoint) || !File.Exists(state)) return;
        Trainer.LoadCheckpoint(checkpoint);
        using var json = JsonDocument.Parse(File.ReadAllText(state));
        CompletedSteps = json.RootElement.GetProperty("CompletedSteps").GetInt32();
        foreach (var p in json.RootElement.GetProperty("Curve").EnumerateArray())
            _curve.Add(p.Deserialize<CurvePoint>()!);
        progress($"resumed from {checkpoint} at step {CompletedSteps}");
    }
}
