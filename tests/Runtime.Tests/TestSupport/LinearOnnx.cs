using CompilerLLM.Training.Learning;
using CompilerLLM.Training.Onnx;

namespace CompilerLLM.Tests.TestSupport;

/// <summary>Y = X·W + B as an ONNX model, written by the trainer's writer (one Gemm layer, batch dimension symbolic).</summary>
internal static class LinearOnnx
{
    public static byte[] Write(float[,] w, float[] b, string input = "X", string output = "Y", IReadOnlyDictionary<string, string>? metadata = null)
    {
        int k = w.GetLength(0), m = w.GetLength(1);
        var weights = new float[m * k]; // the writer's layout: [outputs, inputs]
        for (int i = 0; i < k; i++)
            for (int j = 0; j < m; j++) weights[j * k + i] = w[i, j];
        return MlpOnnxWriter.Write([new DenseLayerWeights(k, m, weights, b, Activation.None)], input, output, metadata ?? new Dictionary<string, string>());
    }
}
