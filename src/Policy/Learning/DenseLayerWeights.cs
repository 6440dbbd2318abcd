namespace CompilerLLM.Training.Learning;

/// <summary>The non-linearity applied after a dense layer.</summary>
public enum Activation
{
    /// <summary>Identity: the layer's affine output is passed on unchanged.</summary>
    None = 0,
    /// <summary>max(0, x).</summary>
    Relu = 1,
    /// <summary>tanh(x).</summary>
    Tanh = 2,
}

/// <summary>
/// One dense layer of the trained MLP, in the shape the ONNX writer consumes:
/// y = Activation(W·x + b) with <paramref name="Weights"/> row-major [Outputs, Inputs].
/// </summary>
public sealed record DenseLayerWeights(int Inputs, int Outputs, float[] Weights /* row-major [Outputs, Inputs] */, float[] Bias, Activation Activation /* after this layer: Relu, Tanh or None */);
