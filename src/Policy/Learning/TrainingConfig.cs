using System.Text.Json;
using System.Text.Json.Serialization;

namespace CompilerLLM.Training.Learning;

/// <summary>How the importance ratio of a rollout's T binary decisions enters the clipped surrogate.</summary>
public enum RatioMode
{
    /// <summary>
    /// GMPO: one ratio per rollout, the geometric mean of the per-decision ratios,
    /// exp((1/T)·Σ clip(log ρ_i)), with the log-ratios clipped to [−δ, δ] (pessimistically per sign of A).
    /// </summary>
    GeometricMean = 0,
    /// <summary>GRPO/PPO: (1/T)·Σ min(ρ_i·A, clip(ρ_i, 1−ε, 1+ε)·A), one clipped ratio per decision.</summary>
    PerDecision = 1,
}

/// <summary>Kernel turning program embeddings into the similarity s_pq that CG-MN normalises.</summary>
public enum SimilarityKernel
{
    /// <summary>s_pq = −‖e_p − e_q‖² (so the weights are a Gaussian/RBF kernel with bandwidth τ).</summary>
    Rbf = 0,
    /// <summary>s_pq = cos(e_p, e_q) (0 when either vector is zero).</summary>
    Cosine = 1,
}

/// <summary>
/// Every hyper-parameter of the learner. The three switches <see cref="CrossGroupNormalization"/>,
/// <see cref="SurpriseModulation"/> and <see cref="KlPenalty"/> make each ablation one flag.
/// See docs/learning.md for the formulas.
/// </summary>
public sealed record TrainingConfig
{
    // --- run ---
    public ulong Seed { get; init; } = 1;

    // --- network ---
    public IReadOnlyList<int> HiddenLayers { get; init; } = [64, 64];
    public Activation HiddenActivation { get; init; } = Activation.Relu;
    /// <summary>Scale of the output layer's initial weights (small ⇒ initial p ≈ ½).</summary>
    public float OutputInitScale { get; init; } = 0.1f;

    // --- optimizer (AdamW) ---
    public float LearningRate { get; init; } = 3e-3f;
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.999f;
    public float AdamEpsilon { get; init; } = 1e-8f;
    /// <summary>Decoupled weight decay λ on weights (not biases); 0 disables.</summary>
    public float WeightDecay { get; init; }
    /// <summary>Global gradient-norm clip; 0 disables.</summary>
    public float MaxGradientNorm { get; init; } = 1f;

    // --- group policy optimization ---
    /// <summary>G, rollouts per program (read by the rollout loop; the learner accepts any group size ≥ 1).</summary>
    public int GroupSize { get; init; } = 8;
    /// <summary>Gradient steps per collected batch (each a full pass over the batch).</summary>
    public int EpochsPerBatch { get; init; } = 2;
    public RatioMode RatioMode { get; init; } = RatioMode.GeometricMean;
    /// <summary>ε of the per-decision ratio clip [1−ε, 1+ε] (<see cref="RatioMode.PerDecision"/>).</summary>
    public double ClipEpsilon { get; init; } = 0.2;
    /// <summary>δ of the log-ratio clip [−δ, δ] (<see cref="RatioMode.GeometricMean"/>; GMPO uses 0.4).</summary>
    public double LogRatioClip { get; init; } = 0.4;
    /// <summary>ε in A = (r − μ)/(σ + ε).</summary>
    public double AdvantageEpsilon { get; init; } = 1e-4;

    // --- Cross-Group Meta-Normalization ---
    public bool CrossGroupNormalization { get; init; } = true;
    public SimilarityKernel Kernel { get; init; } = SimilarityKernel.Rbf;
    /// <summary>τ in w_pq = softmax_q(s_pq/τ).</summary>
    public double KernelTemperature { get; init; } = 1.0;
    /// <summary>
    /// K: when positive, each group's neighbours are its K most similar groups with equal weight
    /// (<see cref="Learning.CrossGroupNormalization.NearestNeighbourWeights"/>) instead of the softmax over the batch.
    /// </summary>
    public int CrossGroupNeighbours { get; init; }
    /// <summary>λ ∈ [0, 1]: μ̃ = (1−λ)μ_p + λ·μ̂_p, same for σ.</summary>
    public double CrossGroupBlend { get; init; } = 0.5;

    // --- surprise-aware reward modulation ---
    public bool SurpriseModulation { get; init; } = true;
    /// <summary>α in m = clip(1 + α(S − b), 1, M).</summary>
    public double SurpriseAlpha { get; init; } = 1.0;
    /// <summary>M, the largest amplification.</summary>
    public double SurpriseMaxFactor { get; init; } = 2.0;

    // --- trust region ---
    public bool KlPenalty { get; init; } = true;
    /// <summary>β on the mean per-decision KL(π_old ‖ π_θ).</summary>
    public double KlCoefficient { get; init; } = 0.05;

    // --- inference ---
    /// <summary>Greedy decision threshold on the logit (0 ⇔ p &gt; ½).</summary>
    public float GreedyThreshold { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value)
        {
            if (!ok) throw new ArgumentException($"Invalid training setting {name} = {value}.");
        }
        Check(HiddenLayers is not null && HiddenLayers.All(h => h > 0), nameof(HiddenLayers), HiddenLayers is null ? "null" : string.Join(",", HiddenLayers));
        Check(Enum.IsDefined(HiddenActivation), nameof(HiddenActivation), HiddenActivation);
        Check(OutputInitScale > 0, nameof(OutputInitScale), OutputInitScale);
        Check(LearningRate > 0, nameof(LearningRate), LearningRate);
        Check(Beta1 >= 0 && Beta1 < 1, nameof(Beta1), Beta1);
        Check(Beta2 >= 0 && Beta2 < 1, nameof(Beta2), Beta2);
        Check(AdamEpsilon > 0, nameof(AdamEpsilon), AdamEpsilon);
        Check(WeightDecay >= 0, nameof(WeightDecay), WeightDecay);
        Check(MaxGradientNorm >= 0, nameof(MaxGradientNorm), MaxGradientNorm);
        Check(GroupSize >= 1, nameof(GroupSize), GroupSize);
        Check(EpochsPerBatch >= 1, nameof(EpochsPerBatch), EpochsPerBatch);
        Check(Enum.IsDefined(RatioMode), nameof(RatioMode), RatioMode);
        Check(ClipEpsilon > 0 && ClipEpsilon < 1, nameof(ClipEpsilon), ClipEpsilon);
        Check(LogRatioClip > 0, nameof(LogRatioClip), LogRatioClip);
        Check(AdvantageEpsilon > 0, nameof(AdvantageEpsilon), AdvantageEpsilon);
        Check(Enum.IsDefined(Kernel), nameof(Kernel), Kernel);
        Check(KernelTemperature > 0, nameof(KernelTemperature), KernelTemperature);
        Check(CrossGroupNeighbours >= 0, nameof(CrossGroupNeighbours), CrossGroupNeighbours);
        Check(CrossGroupBlend >= 0 && CrossGroupBlend <= 1, nameof(CrossGroupBlend), CrossGroupBlend);
        Check(SurpriseAlpha >= 0, nameof(SurpriseAlpha), SurpriseAlpha);
        Check(SurpriseMaxFactor >= 1, nameof(SurpriseMaxFactor), SurpriseMaxFactor);
        Check(KlCoefficient >= 0, nameof(KlCoefficient), KlCoefficient);
    }

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Canonical JSON (used in checkpoints and model cards).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public static TrainingConfig FromJson(string json)
        => JsonSerializer.Deserialize<TrainingConfig>(json, s_json) ?? throw new ArgumentException("Empty training configuration.", nameof(json));
}
