namespace CompilerLLM.Inference;

/// <summary>Scores a model gave for rows, with the model's threshold.</summary>
public sealed record ServedScores(float[] Scores, float Threshold);

/// <summary>
/// Scoring done by another process that keeps models loaded (the launcher's scoring server), so that a short-lived
/// engine process does not start ONNX Runtime for a few rows. The service runs the same model through the same
/// ONNX Runtime, so its scores are the ones scoring in process would give; anything it cannot answer is null, and the
/// caller then loads the model itself. Scores only choose among rewrites that are proven correct one by one, so a
/// service can change which of them apply, never whether the output is right.
/// </summary>
public interface IScoringService
{
    /// <summary>
    /// The scores of <paramref name="rows"/> (row-major, <see cref="ModelContract.Width"/> floats a row) by the model at
    /// <paramref name="modelPath"/> whose file has SHA-256 <paramref name="sha256"/>, checked against
    /// <paramref name="contract"/>; null when the service cannot answer for any reason.
    /// </summary>
    ServedScores? TryScore(string modelPath, string sha256, ModelContract contract, ReadOnlySpan<float> rows);
}
