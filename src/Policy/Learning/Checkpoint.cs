using System.Text;

namespace CompilerLLM.Training.Learning;

/// <summary>
/// Versioned little-endian binary checkpoint of everything a bit-identical resume needs:
/// <code>
/// "CLLMCKPT" | int32 version=1
/// int32 inputCount | int32 layerCount | layerCount × (int32 outputs, int32 activation)
/// int32 P | P × float32 parameters
/// int64 adamStep | P × float32 first moment | P × float32 second moment
/// int64 updateCount | string configJson (7-bit length-prefixed UTF-8)
/// uint64 FNV-1a-64 of all preceding bytes
/// </code>
/// Floats are written as their exact bit patterns.
/// </summary>
public static class Checkpoint
{
    private static ReadOnlySpan<byte> Magic => "CLLMCKPT"u8;
    public const int Version = 1;

    /// <summary>What a checkpoint holds.</summary>
    public sealed record Contents(Mlp Model, long AdamStep, float[] FirstMoment, float[] SecondMoment, long UpdateCount, string ConfigJson);

    public static void Write(Stream stream, Mlp model, Adam optimizer, long updateCount, string configJson)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer.ParameterCount != model.ParameterCount) throw new ArgumentException("Optimizer and model sizes differ.", nameof(optimizer));
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            var shape = model.Shape();
            w.Write(model.InputCount);
            w.Write(shape.Count);
            foreach (var (_, o, a) in shape)
            {
                w.Write(o);
                w.Write((int)a);
            }
            WriteFloats(w, model.Parameters);
            w.Write(optimizer.StepCount);
            WriteFloats(w, optimizer.FirstMoment);
            WriteFloats(w, optimizer.SecondMoment);
            w.Write(updateCount);
            w.Write(configJson ?? "");
        }
        ulong hash = Fnv1a(body.GetBuffer().AsSpan(0, (int)body.Length));
        body.Position = 0;
        body.CopyTo(stream);
        Span<byte> tail = stackalloc byte[8];
        BitConverter.TryWriteBytes(tail, hash);
        if (!BitConverter.IsLittleEndian) tail.Reverse();
        stream.Write(tail);
    }

    public static Contents Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var all = new MemoryStream();
        stream.CopyTo(all);
        var bytes = all.GetBuffer().AsSpan(0, (int)all.Length);
        if (bytes.Length < Magic.Length + 12 || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new InvalidDataException("Not a CompilerLLM trainer checkpoint.");
        ulong stored = BitConverter.ToUInt64(bytes[^8..]);
        if (!BitConverter.IsLittleEndian) stored = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(stored);
        if (Fnv1a(bytes[..^8]) != stored) throw new InvalidDataException("Checkpoint checksum mismatch (truncated or corrupted file).");

        all.Position = Magic.Length;
        using var r = new BinaryReader(all, Encoding.UTF8, leaveOpen: true);
        int version = r.ReadInt32();
        if (version != Version) throw new InvalidDataException($"Unsupported checkpoint version {version} (expected {Version}).");
        int inputs = r.ReadInt32();
        int layers = r.ReadInt32();
        if (inputs <= 0 || layers <= 0 || layers > 1024) throw new InvalidDataException("Corrupt checkpoint architecture.");
        var weights = new List<DenseLayerWeights>(layers);
        int prev = inputs;
        for (int l = 0; l < layers; l++)
        {
            int o = r.ReadInt32();
            var a = (Activation)r.ReadInt32();
            if (o <= 0 || !Enum.IsDefined(a)) throw new InvalidDataException("Corrupt checkpoint architecture.");
            weights.Add(new DenseLayerWeights(prev, o, new float[prev * o], new float[o], a));
            prev = o;
        }
        var model = Mlp.FromWeights(weights);
        ReadFloats(r, model.Parameters);
        long adamStep = r.ReadInt64();
        var m = new float[model.ParameterCount];
        var v = new float[model.ParameterCount];
        ReadFloats(r, m);
        ReadFloats(r, v);
        long updates = r.ReadInt64();
        string json = r.ReadString();
        if (all.Position != all.Length - 8) throw new InvalidDataException("Trailing bytes in checkpoint.");
        return new Contents(model, adamStep, m, v, updates, json);
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        foreach (float f in values) w.Write(f);
    }

    private static void ReadFloats(BinaryReader r, float[] into)
    {
        int n = r.ReadInt32();
        if (n != into.Length) throw new InvalidDataException($"Checkpoint holds {n} values where {into.Length} were expected.");
        for (int i = 0; i < n; i++) into[i] = r.ReadSingle();
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (byte b in data)
        {
            h ^= b;
            h *= 0x100000001B3UL;
        }
        return h;
    }
}
