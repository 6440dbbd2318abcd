using System.Numerics.Tensors;

namespace CompilerLLM.Training.Learning;

/// <summary>
/// A multi-layer perceptron scoring each row of a row-major batch [N, F] with one logit,
/// with hand-derived backpropagation. All parameters live in one flat array
/// (<see cref="Parameters"/>; per layer: W row-major [Outputs, Inputs], then b [Outputs]) and
/// the gradients in a parallel array (<see cref="Gradients"/>), so the optimizer and the
/// checkpoint see one vector.
/// </summary>
/// <remarks>
/// The training path (<see cref="Forward(ReadOnlySpan{float}, int, Span{float})"/> then
/// <see cref="Backward"/>) keeps its activations in buffers that only grow, so after the
/// largest batch has been seen it allocates nothing. It is not thread-safe; rollout workers
/// should score with <see cref="Forward(float[], int)"/> on a <see cref="Clone"/>.
/// </remarks>
public sealed class Mlp
{
    private readonly int[] _inputs;
    private readonly int[] _outputs;
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    private readonly Activation[] _activations;

    // _act[0] = copy of the input rows, _act[l + 1] = output of layer l (after its activation).
    private readonly float[][] _act;
    // _grad[l + 1] = dLoss/d(output of layer l); _grad[0] is unused (no input gradient needed).
    private readonly float[][] _grad;
    private int _rows = -1;

    /// <summary>Parameters of all layers, concatenated.</summary>
    public float[] Parameters { get; }

    /// <summary>Gradient accumulator, same layout as <see cref="Parameters"/>.</summary>
    public float[] Gradients { get; }

    public int InputCount => _inputs[0];
    public int LayerCount => _inputs.Length;
    public int ParameterCount => Parameters.Length;

    /// <summary>
    /// Hidden layers of the given widths, each followed by <paramref name="hiddenActivation"/>,
    /// then a linear layer producing one logit. Parameters are zero until <see cref="Initialize"/>.
    /// </summary>
    public Mlp(int inputs, IReadOnlyList<int> hiddenSizes, Activation hiddenActivation)
        : this(BuildShape(inputs, hiddenSizes, hiddenActivation))
    {
    }

    private Mlp(IReadOnlyList<(int In, int Out, Activation Act)> shape)
    {
        if (shape.Count == 0) throw new ArgumentException("An MLP needs at least one layer.", nameof(shape));
        int layers = shape.Count;
        _inputs = new int[layers];
        _outputs = new int[layers];
        _weightOffset = new int[layers];
        _biasOffset = new int[layers];
        _activations = new Activation[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            var (i, o, a) = shape[l];
            if (i <= 0 || o <= 0) throw new ArgumentException($"Layer {l} has non-positive size {i}x{o}.", nameof(shape));
            if (l > 0 && i != _outputs[l - 1]) throw new ArgumentException($"Layer {l} expects {i} inputs but layer {l - 1} has {_outputs[l - 1]} outputs.", nameof(shape));
            if (!Enum.IsDefined(a)) throw new ArgumentException($"Layer {l} has unknown activation {a}.", nameof(shape));
            _inputs[l] = i;
            _outputs[l] = o;
            _activations[l] = a;
            _weightOffset[l] = offset;
            offset = checked(offset + i * o);
            _biasOffset[l] = offset;
            offset = checked(offset + o);
        }
        if (_outputs[layers - 1] != 1) throw new ArgumentException("The last layer must produce exactly one logit per row.", nameof(shape));
        Parameters = new float[offset];
        Gradients = new float[offset];
        _act = new float[layers + 1][];
        _grad = new float[layers + 1][];
        for (int l = 0; l <= layers; l++)
        {
            _act[l] = [];
            _grad[l] = [];
        }
    }

    private static List<(int, int, Activation)> BuildShape(int inputs, IReadOnlyList<int> hidden, Activation act)
    {
        var shape = new List<(int, int, Activation)>(hidden.Count + 1);
        int prev = inputs;
        foreach (int h in hidden)
        {
            shape.Add((prev, h, act));
            prev = h;
        }
        shape.Add((prev, 1, Activation.None));
        return shape;
    }

    /// <summary>Builds an MLP holding a copy of the given layers (e.g. read back from an export).</summary>
    public static Mlp FromWeights(IReadOnlyList<DenseLayerWeights> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var mlp = new Mlp(layers.Select(w => (w.Inputs, w.Outputs, w.Activation)).ToList());
        for (int l = 0; l < layers.Count; l++)
        {
            var w = layers[l];
            if (w.Weights.Length != w.Inputs * w.Outputs || w.Bias.Length != w.Outputs)
                throw new ArgumentException($"Layer {l}: weights/bias lengths do not match {w.Outputs}x{w.Inputs}.", nameof(layers));
            w.Weights.CopyTo(mlp.Parameters, mlp._weightOffset[l]);
            w.Bias.CopyTo(mlp.Parameters, mlp._biasOffset[l]);
        }
        return mlp;
    }

    /// <summary>A copy with the same shape and parameters (fresh buffers, zero gradients).</summary>
    public Mlp Clone()
    {
        var copy = new Mlp(Shape());
        Parameters.CopyTo(copy.Parameters, 0);
        return copy;
    }

    internal List<(int In, int Out, Activation Act)> Shape()
    {
        var s = new List<(int, int, Activation)>(LayerCount);
        for (int l = 0; l < LayerCount; l++) s.Add((_inputs[l], _outputs[l], _activations[l]));
        return s;
    }

    /// <summary>True when both networks have the same layer sizes and activations.</summary>
    public bool HasSameShape(Mlp other) => Shape().SequenceEqual(other.Shape());

    internal int WeightOffset(int layer) => _weightOffset[layer];
    internal int BiasOffset(int layer) => _biasOffset[layer];

    /// <summary>
    /// Deterministic initialisation from <paramref name="seed"/> (SplitMix64, independent of the
    /// runtime's <see cref="Random"/>): He-uniform U(±√(6/fan_in)) before ReLU, Glorot-uniform
    /// U(±√(6/(fan_in+fan_out))) otherwise; the output layer is further scaled by
    /// <paramref name="outputScale"/> so initial probabilities start near ½; biases are zero.
    /// </summary>
    public void Initialize(ulong seed, float outputScale = 0.1f)
    {
        var rng = new SplitMix64(seed);
        for (int l = 0; l < LayerCount; l++)
        {
            int fanIn = _inputs[l], fanOut = _outputs[l];
            double limit = _activations[l] == Activation.Relu
                ? Math.Sqrt(6.0 / fanIn)
                : Math.Sqrt(6.0 / (fanIn + fanOut));
            if (l == LayerCount - 1) limit *= outputScale;
            var w = Parameters.AsSpan(_weightOffset[l], fanIn * fanOut);
            for (int k = 0; k < w.Length; k++)
                w[k] = (float)((2.0 * rng.NextSingle() - 1.0) * limit);
            Parameters.AsSpan(_biasOffset[l], fanOut).Clear();
        }
    }

    /// <summary>1 for weights, 0 for biases: weight decay applies to weights only.</summary>
    public float[] WeightDecayMask()
    {
        var mask = new float[ParameterCount];
        for (int l = 0; l < LayerCount; l++)
            mask.AsSpan(_weightOffset[l], _inputs[l] * _outputs[l]).Fill(1f);
        return mask;
    }

    public void ZeroGradients() => Array.Clear(Gradients);

    /// <summary>
    /// Training forward pass: logits[r] for each of the <paramref name="n"/> rows. Keeps the
    /// activations for <see cref="Backward"/>; allocation-free once buffers fit the batch.
    /// </summary>
    public void Forward(ReadOnlySpan<float> rows, int n, Span<float> logits)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        int f = InputCount;
        if (rows.Length < n * f) throw new ArgumentException($"Expected {n}x{f} features, got {rows.Length} values.", nameof(rows));
        if (logits.Length < n) throw new ArgumentException("Logit buffer too small.", nameof(logits));
        for (int l = 0; l <= LayerCount; l++)
        {
            int width = l == 0 ? f : _outputs[l - 1];
            Ensure(ref _act[l], n * width);
            if (l > 0) Ensure(ref _grad[l], n * width);
        }
        rows[..(n * f)].CopyTo(_act[0]);
        for (int l = 0; l < LayerCount; l++)
            LayerForward(l, _act[l], n, _act[l + 1]);
        _act[LayerCount].AsSpan(0, n).CopyTo(logits);
        _rows = n;
    }

    /// <summary>
    /// Pure, allocating forward pass (does not touch the training buffers): the managed reference
    /// the ONNX Runtime outputs are checked against, and what rollout workers score with.
    /// </summary>
    public float[] Forward(float[] rows, int n)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (n < 0 || rows.Length < n * InputCount) throw new ArgumentException($"Expected {n}x{InputCount} features, got {rows.Length} values.", nameof(rows));
        float[] input = rows;
        for (int l = 0; l < LayerCount; l++)
        {
            var output = new float[n * _outputs[l]];
            LayerForward(l, input, n, output);
            input = output;
        }
        return input;
    }

    private void LayerForward(int l, ReadOnlySpan<float> input, int n, Span<float> output)
    {
        int ni = _inputs[l], no = _outputs[l];
        ReadOnlySpan<float> w = Parameters.AsSpan(_weightOffset[l], ni * no);
        ReadOnlySpan<float> b = Parameters.AsSpan(_biasOffset[l], no);
        for (int r = 0; r < n; r++)
        {
            var x = input.Slice(r * ni, ni);
            var y = output.Slice(r * no, no);
            for (int o = 0; o < no; o++)
                y[o] = FixedOrderMath.Dot(x, w.Slice(o * ni, ni)) + b[o];
        }
        var all = output[..(n * no)];
        switch (_activations[l])
        {
            case Activation.Relu: TensorPrimitives.Max(all, 0f, all); break;
            case Activation.Tanh: TensorPrimitives.Tanh(all, all); break;
        }
    }

    /// <summary>
    /// Backpropagates dLoss/dlogits of the last <see cref="Forward(ReadOnlySpan{float}, int, Span{float})"/>
    /// and <b>adds</b> the parameter gradients to <see cref="Gradients"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<float> dLogits)
    {
        int n = _rows;
        if (n < 0) throw new InvalidOperationException("Backward needs a preceding training Forward.");
        if (dLogits.Length < n) throw new ArgumentException("Gradient buffer too small.", nameof(dLogits));
        dLogits[..n].CopyTo(_grad[LayerCount]);
        for (int l = LayerCount - 1; l >= 0; l--)
        {
            int ni = _inputs[l], no = _outputs[l];
            Span<float> dz = _grad[l + 1].AsSpan(0, n * no);
            ReadOnlySpan<float> y = _act[l + 1].AsSpan(0, n * no);
            switch (_activations[l])
            {
                case Activation.Relu:
                    for (int k = 0; k < dz.Length; k++) if (y[k] <= 0f) dz[k] = 0f;
                    break;
                case Activation.Tanh:
                    for (int k = 0; k < dz.Length; k++) dz[k] *= 1f - y[k] * y[k];
                    break;
            }
            ReadOnlySpan<float> x = _act[l].AsSpan(0, n * ni);
            ReadOnlySpan<float> w = Parameters.AsSpan(_weightOffset[l], ni * no);
            Span<float> gw = Gradients.AsSpan(_weightOffset[l], ni * no);
            Span<float> gb = Gradients.AsSpan(_biasOffset[l], no);
            Span<float> dx = l > 0 ? _grad[l].AsSpan(0, n * ni) : default;
            if (l > 0) dx.Clear();
            for (int r = 0; r < n; r++)
            {
                var xr = x.Slice(r * ni, ni);
                var dzr = dz.Slice(r * no, no);
                var dxr = l > 0 ? dx.Slice(r * ni, ni) : default;
                for (int o = 0; o < no; o++)
                {
                    float d = dzr[o];
                    if (d == 0f) continue;
                    gb[o] += d;
                    var gwo = gw.Slice(o * ni, ni);
                    FixedOrderMath.AddScaled(gwo, xr, d);
                    if (l > 0) FixedOrderMath.AddScaled(dxr, w.Slice(o * ni, ni), d);
                }
            }
        }
    }

    /// <summary>Copies of the layers in the ONNX writer's shape.</summary>
    public IReadOnlyList<DenseLayerWeights> ExportWeights()
    {
        var layers = new DenseLayerWeights[LayerCount];
        for (int l = 0; l < LayerCount; l++)
        {
            layers[l] = new DenseLayerWeights(
                _inputs[l], _outputs[l],
                Parameters.AsSpan(_weightOffset[l], _inputs[l] * _outputs[l]).ToArray(),
                Parameters.AsSpan(_biasOffset[l], _outputs[l]).ToArray(),
                _activations[l]);
        }
        return layers;
    }

    private static void Ensure(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[Math.Max(length, buffer.Length * 2)];
    }
}
