using CompilerLLM.Inference;
using CompilerLLM.Training.Episodes;
using CompilerLLM.Training.Learning;
using CompilerLLM.Training.Onnx;
using CompilerLLM.Variants;

namespace CompilerLLM.Training.Variants;

/// <summary>
/// A trained variant policy: the MLP (on standardized rows), the standardization, and the margin. It decides exactly as
/// the engine's <see cref="VariantPolicy.Choose"/> does, so cross-validated choices are the ones the build would make.
/// </summary>
public sealed class VariantModel
{
    /// <summary>What a variant the model never saw scores below any other: the engine offers every speed variant, and an
    /// untrained one-hot column would otherwise get an arbitrary score.</summary>
    public const float UnknownVariantPenalty = -1000f;

    /// <param name="network">The MLP on standardized rows.</param>
    /// <param name="scaler">The standardization of the training rows.</param>
    /// <param name="margin">The decision margin.</param>
    /// <param name="trained">Per variant index: whether the training rows held it (the others get <see cref="UnknownVariantPenalty"/>).</param>
    public VariantModel(Mlp network, FeatureScaler scaler, float margin, bool[] trained)
    {
        Network = network;
        Scaler = scaler;
        Margin = margin;
        Trained = trained;
        Skip = new float[CompilerLLM.Variants.VariantFeatures.Width];
        for (int j = 0; j < trained.Length; j++)
            if (!trained[j]) Skip[CompilerLLM.Variants.VariantFeatures.UnitWidth + j] = UnknownVariantPenalty;
    }

    /// <summary>Per variant index: whether the model was trained on rows of that variant.</summary>
    public bool[] Trained { get; }

    /// <summary>The linear term of the raw row added to the network's score (the penalty on untrained variants' one-hots).</summary>
    private float[] Skip { get; }

    public Mlp Network { get; }
    public FeatureScaler Scaler { get; }

    /// <summary>How far a variant's score must be above base's to be chosen (the ONNX threshold metadata).</summary>
    public float Margin { get; }

    /// <summary>The raw rows of a unit over its candidates (<see cref="VariantFeatures.Rows"/>, the engine's layout).</summary>
    public static float[] Rows(VariantUnit unit) => VariantFeatures.Rows(unit.Features, [.. unit.Candidates.Select(j => VariantFeatures.Variants[j])]);

    /// <summary>The scores of a unit's candidates (the trainer's forward pass).</summary>
    public float[] Scores(VariantUnit unit)
    {
        float[] rows = Rows(unit);
        float[] scores = Network.Forward(Scaler.Apply(rows), unit.Candidates.Length);
        int width = Skip.Length;
        for (int r = 0; r < scores.Length; r++)
            for (int k = 0; k < width; k++)
                if (Skip[k] != 0) scores[r] += Skip[k] * rows[r * width + k];
        return scores;
    }

    /// <summary>The variant index chosen for a unit: the best score when it clears base's by the margin, else base.</summary>
    public int Choose(VariantUnit unit)
    {
        if (unit.Candidates.Length == 1) return unit.Candidates[0];
        float[] s = Scores(unit);
        int best = 0;
        for (int i = 1; i < s.Length; i++) if (s[i] > s[best]) best = i;
        // Candidates[0] is base.
        return s[best] > s[0] + Margin ? unit.Candidates[best] : unit.Candidates[0];
    }

    public int[] Assign(VariantProgram program) => [.. program.Units.Select(Choose)];

    /// <summary>The ONNX model the engine loads (<see cref="VariantPolicy.Contract"/>), standardization folded in.</summary>
    public byte[] ToOnnx(IReadOnlyDictionary<string, string>? extraMetadata = null) =>
        MlpOnnxWriter.Write(Scaler.Fold(Network.ExportWeights()), ModelContract.InputName, ModelContract.OutputName,
            VariantPolicy.Contract.Metadata(Margin, extraMetadata),
            "CompilerLLM variant policy: per (unit, variant) row, a score; the engine takes the best when it clears base by the threshold (see MODEL_CARD.md)",
            Skip);
}
