using Google.Protobuf;
using CompilerLLM.Training.Learning;

namespace CompilerLLM.Training.Onnx;

/// <summary>
/// Writes a multi-layer perceptron as an ONNX model with Google.Protobuf's <see cref="CodedOutputStream"/> and the
/// field numbers of onnx/onnx.proto: each layer a <c>Gemm</c> (transB = 1, so W keeps the trainer's [out, in]
/// layout) followed by <c>Relu</c>/<c>Tanh</c>. IR version 8 and default-domain opset 13, the newest that Debian's
/// python3-onnx 1.12 checker accepts; ONNX Runtime 1.30 runs them. The batch dimension is symbolic ("N").
/// </summary>
public static class MlpOnnxWriter
{
    public const long IrVersion = 8;
    public const long OpsetVersion = 13;
    public const string ProducerName = "compilerllm-train";

    // onnx.proto enum values used here.
    private const int FloatElement = 1;      // TensorProto.DataType.FLOAT
    private const int AttributeFloat = 1;    // AttributeProto.AttributeType.FLOAT
    private const int AttributeInt = 2;      // AttributeProto.AttributeType.INT

    /// <param name="layers">The network, first layer first; the last gives one output per row.</param>
    /// <param name="inputName">The graph's input.</param>
    /// <param name="outputName">The graph's output.</param>
    /// <param name="metadata">Model metadata (the contract's keys).</param>
    /// <param name="docString">The graph's description.</param>
    /// <param name="inputSkip">When given, a linear term of the raw input added to the network's output,
    /// output = MLP(x) + x·<paramref name="inputSkip"/> (one weight per input; a <c>Gemm</c> and an <c>Add</c>).</param>
    public static byte[] Write(IReadOnlyList<DenseLayerWeights> layers, string inputName, string outputName,
        IReadOnlyDictionary<string, string> metadata, string? docString = null, float[]? inputSkip = null)
    {
        if (layers.Count == 0) throw new ArgumentException("an MLP needs at least one layer", nameof(layers));
        for (int i = 0; i < layers.Count; i++)
        {
            Validate(layers[i], i);
            if (i > 0 && layers[i].Inputs != layers[i - 1].Outputs)
                throw new ArgumentException($"layer {i} takes {layers[i].Inputs} inputs but layer {i - 1} gives {layers[i - 1].Outputs}");
        }

        if (inputSkip is not null && (inputSkip.Length != layers[0].Inputs || layers[^1].Outputs != 1 || !inputSkip.All(float.IsFinite)))
            throw new ArgumentException($"the input skip needs {layers[0].Inputs} finite weights and a one-output network", nameof(inputSkip));
        string networkOutput = inputSkip is null ? outputName : "network.output";
        var graph = new ProtoMessage();
        string current = inputName;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            bool last = i == layers.Count - 1;
            string gemmOut = last && layer.Activation == Activation.None ? networkOutput : $"layer{i}.linear";
            graph.Message(1, Node("Gemm", $"layer{i}.gemm", [current, $"layer{i}.weight", $"layer{i}.bias"], gemmOut,
                a => a.Message(5, Attribute("transB", AttributeInt, i: 1)),
                a => a.Message(5, Attribute("alpha", AttributeFloat, f: 1f)),
                a => a.Message(5, Attribute("beta", AttributeFloat, f: 1f))));
            current = gemmOut;
            if (layer.Activation != Activation.None)
            {
                string actOut = last ? networkOutput : $"layer{i}.{layer.Activation.ToString().ToLowerInvariant()}";
                graph.Message(1, Node(layer.Activation.ToString(), $"layer{i}.activation", [current], actOut));
                current = actOut;
            }
        }
        if (inputSkip is not null)
        {
            graph.Message(1, Node("Gemm", "skip.gemm", [inputName, "skip.weight", "skip.bias"], "skip.linear",
                a => a.Message(5, Attribute("transB", AttributeInt, i: 1))));
            graph.Message(1, Node("Add", "skip.add", [networkOutput, "skip.linear"], outputName));
        }
        graph.String(2, "policy_mlp");                                             // GraphProto.name
        for (int i = 0; i < layers.Count; i++)
        {
            graph.Message(5, Tensor($"layer{i}.weight", [layers[i].Outputs, layers[i].Inputs], layers[i].Weights)); // initializer
            graph.Message(5, Tensor($"layer{i}.bias", [layers[i].Outputs], layers[i].Bias));
        }
        if (inputSkip is not null)
        {
            graph.Message(5, Tensor("skip.weight", [1, inputSkip.Length], inputSkip));
            graph.Message(5, Tensor("skip.bias", [1], [0f]));
        }
        if (docString is not null) graph.String(10, docString);                     // GraphProto.doc_string
        graph.Message(11, ValueInfo(inputName, layers[0].Inputs));                  // GraphProto.input
        graph.Message(12, ValueInfo(outputName, layers[^1].Outputs));               // GraphProto.output

        var model = new ProtoMessage();
        model.Int64(1, IrVersion);                                                  // ModelProto.ir_version
        model.String(2, ProducerName);                                              // ModelProto.producer_name
        model.String(3, typeof(MlpOnnxWriter).Assembly.GetName().Version?.ToString() ?? "0"); // producer_version
        model.Message(7, graph);                                                    // ModelProto.graph
        var opset = new ProtoMessage();
        opset.String(1, "");                                                        // OperatorSetIdProto.domain (default)
        opset.Int64(2, OpsetVersion);                                               // OperatorSetIdProto.version
        model.Message(8, opset);                                                    // ModelProto.opset_import
        foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var entry = new ProtoMessage();
            entry.String(1, key);                                                   // StringStringEntryProto.key
            entry.String(2, value);                                                 // StringStringEntryProto.value
            model.Message(14, entry);                                               // ModelProto.metadata_props
        }
        return model.ToArray();
    }

    private static void Validate(DenseLayerWeights layer, int index)
    {
        if (layer.Inputs <= 0 || layer.Outputs <= 0) throw new ArgumentException($"layer {index}: {layer.Inputs}→{layer.Outputs} is not a layer shape");
        if (layer.Weights.Length != layer.Inputs * layer.Outputs) throw new ArgumentException($"layer {index}: {layer.Weights.Length} weights for {layer.Outputs}×{layer.Inputs}");
        if (layer.Bias.Length != layer.Outputs) throw new ArgumentException($"layer {index}: {layer.Bias.Length} biases for {layer.Outputs} outputs");
        if (!layer.Weights.All(float.IsFinite) || !layer.Bias.All(float.IsFinite)) throw new ArgumentException($"layer {index}: non-finite parameter");
    }

    private static ProtoMessage Node(string opType, string name, string[] inputs, string output, params Action<ProtoMessage>[] attributes)
    {
        var node = new ProtoMessage();
        foreach (string input in inputs) node.String(1, input);                    // NodeProto.input
        node.String(2, output);                                                     // NodeProto.output
        node.String(3, name);                                                       // NodeProto.name
        node.String(4, opType);                                                     // NodeProto.op_type
        foreach (var attribute in attributes) attribute(node);                      // NodeProto.attribute (5)
        return node;
    }

    private static ProtoMessage Attribute(string name, int type, float f = 0, long i = 0)
    {
        var a = new ProtoMessage();
        a.String(1, name);                                                          // AttributeProto.name
        if (type == AttributeFloat) a.Float(2, f);                                  // AttributeProto.f
        else a.Int64(3, i);                                                         // AttributeProto.i
        a.Int64(20, type);                                                          // AttributeProto.type
        return a;
    }

    private static ProtoMessage Tensor(string name, long[] dims, float[] data)
    {
        var t = new ProtoMessage();
        foreach (long d in dims) t.Int64(1, d);                                     // TensorProto.dims
        t.Int64(2, FloatElement);                                                   // TensorProto.data_type
        t.String(8, name);                                                          // TensorProto.name
        var raw = new byte[data.Length * sizeof(float)];
        // raw_data is little-endian by the ONNX spec; this process is little-endian (x86-64), checked once here.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian host");
        Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
        t.Bytes(9, raw);                                                            // TensorProto.raw_data
        return t;
    }

    private static ProtoMessage ValueInfo(string name, long width)
    {
        var batch = new ProtoMessage();
        batch.String(2, "N");                                                       // Dimension.dim_param
        var cols = new ProtoMessage();
        cols.Int64(1, width);                                                       // Dimension.dim_value
        var shape = new ProtoMessage();
        shape.Message(1, batch);                                                    // TensorShapeProto.dim
        shape.Message(1, cols);
        var tensor = new ProtoMessage();
        tensor.Int64(1, FloatElement);                                              // TypeProto.Tensor.elem_type
        tensor.Message(2, shape);                                                   // TypeProto.Tensor.shape
        var type = new ProtoMessage();
        type.Message(1, tensor);                                                    // TypeProto.tensor_type
        var info = new ProtoMessage();
        info.String(1, name);                                                       // ValueInfoProto.name
        info.Message(2, type);                                                      // ValueInfoProto.type
        return info;
    }

    /// <summary>A message under construction: fields are encoded with CodedOutputStream; nested messages are length-delimited.</summary>
    private sealed class ProtoMessage
    {
        private readonly MemoryStream _buffer = new();
        private readonly CodedOutputStream _out;

        public ProtoMessage() => _out = new CodedOutputStream(_buffer, leaveOpen: true);

        public void Int64(int field, long value)
        {
            _out.WriteTag(field, WireFormat.WireType.Varint);
            _out.WriteInt64(value);
        }

        public void Float(int field, float value)
        {
            _out.WriteTag(field, WireFormat.WireType.Fixed32);
            _out.WriteFloat(value);
        }

        public void String(int field, string value)
        {
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteString(value);
        }

        public void Bytes(int field, byte[] value)
        {
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteBytes(ByteString.CopyFrom(value));
        }

        public void Message(int field, ProtoMessage inner) => Bytes(field, inner.ToArray());

        public byte[] ToArray()
        {
            _out.Flush();
            return _buffer.ToArray();
        }
    }
}
