namespace CompilerLLM.Training.Learning;

/// <summary>
/// Stacks the distinct <see cref="DecisionSet"/>s of a batch (by reference: the G rollouts of a
/// group that share a state are scored once) into one row-major feature matrix, and remembers
/// each state's first row. Buffers are reused from batch to batch.
/// </summary>
public sealed class BatchLayout
{
    private readonly Dictionary<DecisionSet, int> _offsets = new(ReferenceEqualityComparer.Instance);
    private float[] _features = [];

    public int Rows { get; private set; }
    public int FeatureCount { get; private set; }
    public ReadOnlySpan<float> Features => _features.AsSpan(0, Rows * FeatureCount);

    public void Build(IReadOnlyList<RolloutGroup> batch, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _offsets.Clear();
        FeatureCount = featureCount;
        int rows = 0;
        for (int gi = 0; gi < batch.Count; gi++)
        {
            var rollouts = batch[gi].Rollouts;
            for (int ri = 0; ri < rollouts.Count; ri++)
            {
                var decisions = rollouts[ri].Decisions;
                for (int di = 0; di < decisions.Count; di++)
                {
                    var s = decisions[di].State;
                    if (s.FeatureCount != featureCount) throw new ArgumentException($"A state has {s.FeatureCount} features; the model expects {featureCount}.", nameof(batch));
                    if (_offsets.TryAdd(s, rows)) rows += s.Rows;
                }
            }
        }
        Rows = rows;
        if (_features.Length < rows * featureCount) _features = new float[Math.Max(rows * featureCount, _features.Length * 2)];
        foreach (var (s, offset) in _offsets)
            s.Features.AsSpan(0, s.Rows * featureCount).CopyTo(_features.AsSpan(offset * featureCount));
    }

    /// <summary>Row index of the state's first row in <see cref="Features"/>.</summary>
    public int OffsetOf(DecisionSet state) => _offsets.TryGetValue(state, out int o) ? o : throw new ArgumentException("State is not part of this batch.", nameof(state));
}
