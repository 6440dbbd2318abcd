using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace CompilerLLM.Launcher.Scoring;

/// <summary>What a client asks the scoring server.</summary>
internal enum ScoringOp : byte
{
    /// <summary>Score rows with a model: engine, contract kind, model path and SHA-256, width, rows.</summary>
    Score = 1,
    /// <summary>How the server is doing (for <c>--server-status</c> and tests).</summary>
    Status = 2,
    /// <summary>Stop after replying (<c>--stop-server</c>).</summary>
    Stop = 3,
    /// <summary>Run one unit's engine work (<see cref="UnitJob"/>); the reply is a <see cref="UnitJobReply"/>.</summary>
    Run = 4,
}

/// <summary>
/// The scoring server's wire format, one request and one reply per frame over a Unix socket: a frame is a 32-bit
/// little-endian length and that many bytes. A request starts with <see cref="Magic"/>, <see cref="Version"/>, the op
/// and the client's engine (<see cref="ServerPaths.Engine"/>); a reply starts with 0 (ok) or 1 (an error message
/// follows). Strings are a 32-bit length and UTF-8; floats go as their IEEE bits, so scores cross unchanged.
/// </summary>
internal static class ScoringProtocol
{
    public const uint Magic = 0x534C4C43; // "CLLS"
    public const int Version = 1;
    private const int MaxFrame = 256 << 20;

    public static void WriteFrame(Socket socket, ReadOnlySpan<byte> payload)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, payload.Length);
        socket.Send(length);
        while (payload.Length > 0) payload = payload[socket.Send(payload)..];
    }

    /// <summary>The next frame, or null at a clean end of stream (the peer closed between frames).</summary>
    public static byte[]? ReadFrame(Socket socket)
    {
        var length = new byte[4];
        if (!ReadExactly(socket, length, allowEnd: true)) return null;
        int n = BinaryPrimitives.ReadInt32LittleEndian(length);
        if (n < 0 || n > MaxFrame) throw new InvalidDataException($"a frame of {n} bytes");
        var payload = new byte[n];
        ReadExactly(socket, payload, allowEnd: false);
        return payload;
    }

    private static bool ReadExactly(Socket socket, Span<byte> buffer, bool allowEnd)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int got = socket.Receive(buffer[read..]);
            if (got == 0)
            {
                if (read == 0 && allowEnd) return false;
                throw new EndOfStreamException("the peer closed the connection inside a frame");
            }
            read += got;
        }
        return true;
    }
}

/// <summary>Builds one frame's payload.</summary>
internal sealed class FrameWriter
{
    private readonly MemoryStream _stream = new();

    public FrameWriter Byte(byte value) { _stream.WriteByte(value); return this; }

    public FrameWriter Int(int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public FrameWriter UInt(uint value) => Int(unchecked((int)value));

    public FrameWriter Long(long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public FrameWriter Float(float value) => Int(BitConverter.SingleToInt32Bits(value));

    public FrameWriter String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Int(bytes.Length);
        _stream.Write(bytes);
        return this;
    }

    public FrameWriter Floats(ReadOnlySpan<float> values)
    {
        Int(values.Length);
        if (BitConverter.IsLittleEndian) _stream.Write(MemoryMarshal.AsBytes(values));
        else foreach (float v in values) Float(v);
        return this;
    }

    public ReadOnlySpan<byte> Payload => _stream.GetBuffer().AsSpan(0, (int)_stream.Length);
}

/// <summary>Reads one frame's payload; a short or malformed frame is <see cref="InvalidDataException"/>.</summary>
internal sealed class FrameReader(byte[] payload)
{
    private int _at;

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || _at + n > payload.Length) throw new InvalidDataException("a frame shorter than its contents");
        var span = payload.AsSpan(_at, n);
        _at += n;
        return span;
    }

    public byte Byte() => Take(1)[0];

    public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint UInt() => unchecked((uint)Int());

    public long Long() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public float Float() => BitConverter.Int32BitsToSingle(Int());

    public string String() => Encoding.UTF8.GetString(Take(Int()));

    public float[] Floats()
    {
        int n = Int();
        if (n < 0 || n > (payload.Length - _at) / 4) throw new InvalidDataException($"{n} floats in a frame too short for them");
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = Float();
        return values;
    }
}
