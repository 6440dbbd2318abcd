using CompilerLLM.Assembly;
using CompilerLLM.Inference;
using CompilerLLM.Inference.OnnxRuntime;
using CompilerLLM.Toolchain;
using CompilerLLM.Training.Learning;
using CompilerLLM.Training.Onnx;

namespace CompilerLLM.Training.Tests.Onnx;

/// <summary>Models written by the trainer's writer: ONNX Runtime runs them like the managed reference, and the ONNX checker accepts them.</summary>
public sealed class MlpOnnxWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-onnx-writer-");

    public void Dispose() => _temp.Dispose();

    internal static DenseLayerWeights[] RandomMlp(int seed, params (int Width, Activation Activation)[] shape)
    {
        var rng = new Random(seed);
        var layers = new DenseLayerWeights[shape.Length - 1];
        for (int i = 0; i < layers.Length; i++)
        {
            int inputs = shape[i].Width, outputs = shape[i + 1].Width;
            float scale = 1f / MathF.Sqrt(inputs);
            layers[i] = new DenseLayerWeights(inputs, outputs,
                [.. Enumerable.Range(0, inputs * outputs).Select(_ => (float)(rng.NextDouble() * 2 - 1) * scale)],
                [.. Enumerable.Range(0, outputs).Select(_ => (float)(rng.NextDouble() - 0.5))],
                shape[i + 1].Activation);
        }
        return layers;
    }

    /// <summary>The forward pass in double precision: the reference ORT is compared with.</summary>
    internal static double[] Reference(DenseLayerWeights[] layers, float[] rows, int n)
    {
        var output = new double[n * layers[^1].Outputs];
        for (int r = 0; r < n; r++)
        {
            double[] x = [.. rows.AsSpan(r * layers[0].Inputs, layers[0].Inputs).ToArray().Select(v => (double)v)];
            foreach (var layer in layers)
            {
                var y = new double[layer.Outputs];
                for (int o = 0; o < layer.Outputs; o++)
                {
                    double s = layer.Bias[o];
                    for (int i = 0; i < layer.Inputs; i++) s += (double)layer.Weights[o * layer.Inputs + i] * x[i];
                    y[o] = layer.Activation switch { Activation.Relu => Math.Max(0, s), Activation.Tanh => Math.Tanh(s), _ => s };
                }
                x = y;
            }
            x.CopyTo(output, r * layers[^1].Outputs);
        }
        return output;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(257)]
    public void OnnxRuntimeMatchesTheManagedForwardPass(int batch)
    {
        var layers = RandomMlp(batch, (FeatureSchema.Width, Activation.None), (32, Activation.Relu), (16, Activation.Tanh), (1, Activation.None));
        byte[] bytes = MlpOnnxWriter.Write(layers, PolicyModelContract.InputName, PolicyModelContract.OutputName, PolicyModelContract.Metadata());
        string path = _temp.File("mlp.onnx");
        File.WriteAllBytes(path, bytes);
        using var policy = RewritePolicy.Load(path);
        var rng = new Random(batch + 100);
        float[] rows = [.. Enumerable.Range(0, batch * FeatureSchema.Width).Select(_ => (float)(rng.NextDouble() * 4 - 2))];
        float[] scores = policy.Score(rows);
        double[] expected = Reference(layers, rows, batch);
        Assert.Equal(batch, scores.Length);
        for (int i = 0; i < batch; i++)
            Assert.True(Math.Abs(expected[i] - scores[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"row {i}: ORT {scores[i]} vs managed {expected[i]}");
    }

    [Fact]
    public void OnnxRuntimeMatchesTheTrainersOwnForwardPass()
    {
        var mlp = new Mlp(FeatureSchema.Width, [64, 32], Activation.Relu);
        mlp.Initialize(seed: 21, outputScale: 1f);
        byte[] bytes = MlpOnnxWriter.Write(mlp.ExportWeights(), PolicyModelContract.InputName, PolicyModelContract.OutputName, PolicyModelContract.Metadata());
        string path = _temp.File("trainer.onnx");
        File.WriteAllBytes(path, bytes);
        using var policy = RewritePolicy.Load(path);
        var rng = new Random(4);
        int n = 500;
        float[] rows = [.. Enumerable.Range(0, n * FeatureSchema.Width).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        float[] ort = policy.Score(rows), managed = mlp.Forward(rows, n);
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(ort[i] - managed[i]) <= 1e-5 * Math.Max(1, Math.Abs(managed[i])), $"row {i}: ORT {ort[i]} vs trainer {managed[i]}");
    }

    [Fact]
    public void AFinalActivationNamesTheOutputAndIsApplied()
    {
        var layers = RandomMlp(3, (5, Activation.None), (3, Activation.Tanh));
        using var session = OnnxSession.FromBytes(MlpOnnxWriter.Write(layers, "x", "y", new Dictionary<string, string> { ["k"] = "v" }));
        Assert.Equal("y", Assert.Single(session.Outputs).Name);
        Assert.Equal([-1L, 3L], session.Outputs[0].Shape);
        Assert.Equal("v", session.CustomMetadata["k"]);
        Assert.Equal(MlpOnnxWriter.ProducerName, session.ProducerName);
        float[] rows = [1, -2, 3, 0.5f, -1, 0, 0, 0, 0, 9];
        float[] y = session.Run("x", rows, [2, 5], "y");
        double[] expected = Reference(layers, rows, 2);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 5);
        Assert.All(y, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void TheInputSkipAddsALinearTermOfTheRawRow()
    {
        var layers = RandomMlp(4, (5, Activation.None), (6, Activation.Tanh), (1, Activation.None));
        float[] skip = [0, 2, 0, -1000, 0.5f];
        string path = _temp.File("skip.onnx");
        File.WriteAllBytes(path, MlpOnnxWriter.Write(layers, "x", "y", new Dictionary<string, string>(), inputSkip: skip));
        var check = Checker(path);
        Assert.True(check.Succeeded, check.StandardError);
        using var session = OnnxSession.FromBytes(File.ReadAllBytes(path));
        float[] rows = [1, -2, 3, 0.5f, -1, 0, 1, 0, 1, 2];
        float[] y = session.Run("x", rows, [2, 5], "y");
        double[] network = Reference(layers, rows, 2);
        for (int r = 0; r < 2; r++)
        {
            double linear = 0;
            for (int k = 0; k < 5; k++) linear += skip[k] * rows[r * 5 + k];
            Assert.Equal(network[r] + linear, y[r], 3);
        }
    }

    private static ProcessResult Checker(string path) => ProcessRunner.Run(new ProcessSpec("/usr/bin/python3",
        ["-c", "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print('ok', m.ir_version, m.opset_import[0].version)", path])
    { Timeout = TimeSpan.FromMinutes(1) });

    [Fact]
    public void TheOnnxCheckerAcceptsWrittenModelsAndRejectsABrokenOne()
    {
        var layers = RandomMlp(9, (FeatureSchema.Width, Activation.None), (24, Activation.Relu), (1, Activation.None));
        string good = _temp.File("good.onnx");
        File.WriteAllBytes(good, MlpOnnxWriter.Write(layers, PolicyModelContract.InputName, PolicyModelContract.OutputName, PolicyModelContract.Metadata()));
        var ok = Checker(good);
        Assert.True(ok.Succeeded, ok.StandardError);
        Assert.Equal($"ok {MlpOnnxWriter.IrVersion} {MlpOnnxWriter.OpsetVersion}", ok.StandardOutput.Trim());

        // The same graph with an operator that does not exist: the checker must say no (so the test above can fail).
        byte[] bytes = File.ReadAllBytes(good);
        byte[] gemm = "Gemm"u8.ToArray(), fake = "Gxmm"u8.ToArray();
        int at = bytes.AsSpan().IndexOf(gemm);
        Assert.True(at > 0);
        fake.CopyTo(bytes, at);
        string bad = _temp.File("bad.onnx");
        File.WriteAllBytes(bad, bytes);
        var no = Checker(bad);
        Assert.False(no.Succeeded);
        Assert.Contains("Gxmm", no.StandardError);
    }

    [Fact]
    public void InconsistentLayersAreRefusedBeforeWriting()
    {
        var layers = RandomMlp(1, (4, Activation.None), (3, Activation.Relu), (1, Activation.None));
        var broken = new[] { layers[0], layers[1] with { Inputs = 2, Weights = new float[2] } };
        Assert.Throws<ArgumentException>(() => MlpOnnxWriter.Write(broken, "x", "y", new Dictionary<string, string>()));
        var nan = new[] { layers[0] with { Bias = [float.NaN, 0, 0] } };
        Assert.Throws<ArgumentException>(() => MlpOnnxWriter.Write(nan, "x", "y", new Dictionary<string, string>()));
    }
}
