using System.Buffers.Binary;
using System.Text;

namespace CompilerLLM.Policy.OnnxRuntime;

/// <summary>
/// Emits tiny ONNX models without any ONNX tooling: a hand-written protobuf encoder following the field
/// numbers of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto,
/// TensorShapeProto, OperatorSetIdProto, StringStringEntryProto). IR version 8, default-domain opset 13.
/// </summary>
internal static class TinyOnnxModel
{
    public const long IrVersion = 8;
    public const long OpsetVersion = 13;
    public const string Producer = "CompilerLLM.TinyOnnxModel";
    private const int FloatType = 1; // TensorProto.DataType.FLOAT

    /// <summary>
    /// Y = MatMul(X, W) + B with X: float[batch, K] (batch symbolic), W: float[K, M] and B: float[M] as
    /// initializers, Y: float[batch, M].
    /// </summary>
    public static byte[] Linear(float[,] w, float[] b, string inputName = "X", string outputName = "Y",
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        int k = w.GetLength(0), m = w.GetLength(1);
        if (b.Length != m) throw new ArgumentException($"bias has {b.Length} elements, W has {m} columns", nameof(b));
        var wFlat = new float[k * m];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < m; j++)
                wFlat[i * m + j] = w[i, j];

        var model = new ProtoWriter();
        model.Int64(1, IrVersion);                                   // ModelProto.ir_version
        model.String(2, Producer);                                   // ModelProto.producer_name
        model.Message(7, graph =>                                    // ModelProto.graph
        {
            graph.Message(1, node => Node(node, "MatMul", "matmul", [inputName, "W"], "XW")); // GraphProto.node
            graph.Message(1, node => Node(node, "Add", "add", ["XW", "B"], outputName));
            graph.String(2, "linear");                               // GraphProto.name
            graph.Message(5, t => Tensor(t, "W", [k, m], wFlat));    // GraphProto.initializer
            graph.Message(5, t => Tensor(t, "B", [m], b));
            graph.Message(11, v => ValueInfo(v, inputName, k));      // GraphProto.input
            graph.Message(12, v => ValueInfo(v, outputName, m));     // GraphProto.output
        });
        model.Message(8, opset => opset.Int64(2, OpsetVersion));     // ModelProto.opset_import { version }
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
                model.Message(14, e => { e.String(1, key); e.String(2, value); }); // ModelProto.metadata_props
        }
        return model.ToArray();
    }

    private static void Node(ProtoWriter node, string opType, string name, string[] inputs, string output)
    {
        foreach (string i in inputs) node.String(1, i);             // NodeProto.input
        node.String(2, output);                                      // NodeProto.output
        node.String(3, name);                                        // NodeProto.name
        node.String(4, opType);                                      // NodeProto.op_type
    }

    private static void Tensor(ProtoWriter t, string name, long[] dims, float[] data)
    {
        foreach (long d in dims) t.Int64(1, d);                      // TensorProto.dims
        t.Int64(2, FloatType);                                       // TensorProto.data_type
        t.String(8, name);                                           // TensorProto.name
        var raw = new byte[data.Length * sizeof(float)];
        for (int i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), data[i]);
        t.Bytes(9, raw);                                             // TensorProto.raw_data (little-endian)
    }

    /// <summary>ValueInfoProto { name, type { tensor_type { elem_type FLOAT, shape [batch, width] } } }.</summary>
    private static void ValueInfo(ProtoWriter v, string name, long width)
    {
        v.String(1, name);                                           // ValueInfoProto.name
        v.Message(2, type =>                                         // ValueInfoProto.type
            type.Message(1, tensor =>                                // TypeProto.tensor_type
            {
                tensor.Int64(1, FloatType);                          // TypeProto.Tensor.elem_type
                tensor.Message(2, shape =>                           // TypeProto.Tensor.shape
                {
                    shape.Message(1, d => d.String(2, "batch"));     // TensorShapeProto.dim { dim_param }
                    shape.Message(1, d => d.Int64(1, width));        // TensorShapeProto.dim { dim_value }
                });
            }));
    }

    /// <summary>The protobuf wire format subset needed here: varints (wire type 0) and length-delimited (2).</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _out = new();

        public void Int64(int field, long value)
        {
            Tag(field, 0);
            Varint(unchecked((ulong)value));
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Bytes(int field, ReadOnlySpan<byte> value)
        {
            Tag(field, 2);
            Varint((ulong)value.Length);
            _out.Write(value);
        }

        public void Message(int field, Action<ProtoWriter> body)
        {
            var inner = new ProtoWriter();
            body(inner);
            Bytes(field, inner._out.GetBuffer().AsSpan(0, (int)inner._out.Length));
        }

        public byte[] ToArray() => _out.ToArray();

        private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

        private void Varint(ulong v)
        {
            while (v >= 0x80)
            {
                _out.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }
            _out.WriteByte((byte)v);
        }
    }
}
