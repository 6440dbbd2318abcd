using CompilerLLM.Training.Episodes;
using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Variants;

/// <summary>Settings of one variant-policy training run (the learner's own are in <see cref="Config"/>).</summary>
public sealed record VariantTrainingOptions
{
    /// <summary>Hidden layers, optimizer, G, GMPO clip, CG-MN (with <see cref="TrainingConfig.CrossGroupNeighbours"/>), surprise, KL.</summary>
    public TrainingConfig Config { get; init; } = new()
    {
        HiddenLayers = [32, 32],
        // tanh: on the synthetic planted-variant data, ReLU nets of this size overfit the few training programs' noise features.
        HiddenActivation = Activation.Tanh,
        LearningRate = 3e-3f,
        GroupSize = 8,
        EpochsPerBatch = 2,
        CrossGroupNeighbours = 5,
        // A neighbour mean far from the program's own shifts every rollout's advantage alike; a quarter keeps that small.
        CrossGroupBlend = 0.25,
        KlCoefficient = 0.02,
    };

    /// <summary>Policy updates (each: G rollouts of every training program, then the epochs).</summary>
    public int Steps { get; init; } = 200;

    /// <summary>The KL reference gives base this probability (the other candidates share the rest equally).</summary>
    public double ReferenceBaseProbability { get; init; } = 0.5;

    /// <summary>
    /// Also train on every profiled program as a build without a profile sees it (<see cref="VariantProgram.WithoutProfile"/>):
    /// most builds have no profile, and without these rows the model would meet profile-free units only at build time.
    /// </summary>
    public bool ProfileFreeViews { get; init; } = true;

    /// <summary>The decision margin exported with the model.</summary>
    public float Margin { get; init; } = 0.25f;
}

/// <summary>A point of the training curve.</summary>
public readonly record struct VariantCurvePoint(int Step, double MeanReward, double MeanKl, double GreedyProxy);

/// <summary>
/// Trains the variant policy by group policy optimization. The policy is categorical per unit over its candidate
/// variants (softmax of the network's per-row logits); per program, G rollouts each sample a variant for every unit
/// that matters; the reward is the program's proxy (<see cref="VariantProgram.Proxy"/>); advantages are
/// group-normalized, optionally CG-MN-blended with the K programs of most similar reaction, optionally
/// surprise-modulated; the loss is GMPO's with a KL pull towards a reference that prefers base. Deterministic:
/// the result is a pure function of the programs, the options and the seed.
/// </summary>
public static class VariantTrainer
{
    public static VariantModel Train(IReadOnlyList<VariantProgram> programs, VariantTrainingOptions options, List<VariantCurvePoint>? curve = null)
    {
        ArgumentNullException.ThrowIfNull(programs);
        ArgumentNullException.ThrowIfNull(options);
        var config = options.Config;
        config.Validate();
        if (options.ProfileFreeViews) programs = [.. programs, .. programs.Where(p => p.HasProfile).Select(p => p.WithoutProfile())];
        int width = CompilerLLM.Variants.VariantFeatures.Width;

        // The batch: every deciding unit of every training program, its candidates' rows in a row.
        var rawBlocks = new List<float[]>();
        var slotsOf = new List<ChoiceSlot>[programs.Count];
        var unitOf = new List<int>[programs.Count];
        int rows = 0;
        for (int p = 0; p < programs.Count; p++)
        {
            slotsOf[p] = [];
            unitOf[p] = [];
            var units = programs[p].Units;
            for (int u = 0; u < units.Count; u++)
            {
                if (!units[u].IsDecision) continue;
                rawBlocks.Add(VariantModel.Rows(units[u]));
                slotsOf[p].Add(new ChoiceSlot(rows, units[u].Candidates.Length));
                unitOf[p].Add(u);
                rows += units[u].Candidates.Length;
            }
        }
        var scaler = FeatureScaler.Fit(rawBlocks, width);
        var features = new float[rows * width];
        int at = 0;
        foreach (var block in rawBlocks)
        {
            scaler.Apply(block).CopyTo(features, at);
            at += block.Length;
        }
        var reference = new float[rows];
        foreach (var slots in slotsOf)
            foreach (var slot in slots)
                // Base (the first candidate) gets ReferenceBaseProbability, the others share the rest.
                reference[slot.Offset] = (float)Math.Log(options.ReferenceBaseProbability * (slot.Count - 1) / (1 - options.ReferenceBaseProbability));

        var network = new Mlp(width, config.HiddenLayers, config.HiddenActivation);
        network.Initialize(config.Seed, config.OutputInitScale);
        var trained = new bool[CompilerLLM.Variants.VariantFeatures.Variants.Count];
        trained[0] = true;
        for (int p = 0; p < programs.Count; p++)
            foreach (int u in unitOf[p])
                foreach (int j in programs[p].Units[u].Candidates) trained[j] = true;
        var model = new VariantModel(network, scaler, options.Margin, trained);
        if (rows == 0) return model;
        var adam = new Adam(network.ParameterCount, config.LearningRate, config.Beta1, config.Beta2, config.AdamEpsilon,
            config.WeightDecay, config.MaxGradientNorm, network.WeightDecayMask());
        var logits = new float[rows];
        var dLogits = new float[rows];
        var behaviour = new float[rows];
        for (int step = 0; step < options.Steps; step++)
        {
            // The first epoch's forward pass is the behaviour policy's (the parameters have not moved yet).
            network.Forward(features, rows, logits);
            logits.CopyTo(behaviour, 0);
            var batch = new List<CategoricalGroup>(programs.Count);
            double rewardSum = 0;
            for (int p = 0; p < programs.Count; p++)
            {
                var program = programs[p];
                var rollouts = new List<CategoricalRollout>(config.GroupSize);
                var assignment = new int[program.Units.Count];
                for (int g = 0; g < config.GroupSize; g++)
                {
                    var random = DeterministicSeeds.CreateRandom(config.Seed, step, program.Id, g);
                    var chosen = new int[slotsOf[p].Count];
                    Array.Clear(assignment);
                    for (int i = 0; i < chosen.Length; i++)
                    {
                        var slot = slotsOf[p][i];
                        chosen[i] = CategoricalPolicy.Sample(behaviour.AsSpan(slot.Offset, slot.Count), random);
                        assignment[unitOf[p][i]] = program.Units[unitOf[p][i]].Candidates[chosen[i]];
                    }
                    double reward = program.Proxy(assignment);
                    rewardSum += reward;
                    rollouts.Add(new CategoricalRollout(chosen, reward));
                }
                batch.Add(new CategoricalGroup(slotsOf[p], rollouts, program.Embedding));
            }
            var advantages = CategoricalGroupLoss.Advantages(batch, behaviour, config);
            LossTerms terms = default;
            for (int epoch = 0; epoch < config.EpochsPerBatch; epoch++)
            {
                if (epoch > 0) network.Forward(features, rows, logits);
                terms = CategoricalGroupLoss.Compute(batch, advantages, behaviour, reference, logits, dLogits, config);
                network.ZeroGradients();
                network.Backward(dLogits);
                adam.Step(network.Parameters, network.Gradients);
            }
            if (curve is not null && (step % 10 == 9 || step == options.Steps - 1))
                curve.Add(new VariantCurvePoint(step + 1, rewardSum / (programs.Count * config.GroupSize), terms.MeanKl,
                    programs.Average(pr => pr.Proxy(model.Assign(pr)))));
        }
        return model;
    }
}
