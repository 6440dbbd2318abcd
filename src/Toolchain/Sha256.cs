using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace CompilerLLM.Toolchain;

/// <summary>
/// SHA-256 (FIPS 180-4) of the keys, sources and objects the cache and the launcher fingerprint. .NET on Linux hashes
/// through OpenSSL, and loading it costs about 5 ms of CPU per process (measured with a native-AOT program: 5.6 ms
/// without a hash, 10.8 ms with one of three bytes), a twentieth of compiling a small unit, paid by every launcher
/// run. The inputs are mostly a few kilobytes, where this managed compression is as fast as it matters; inputs of
/// <see cref="NativeFrom"/> bytes or more go to the platform's SHA-256, whose load is then paid for. Both give the
/// same digest (tested against each other).
/// </summary>
public static class Sha256
{
    /// <summary>The size from which the platform's hash (OpenSSL, with SHA extensions where the CPU has them) is used.</summary>
    public const int NativeFrom = 1 << 20;

    /// <summary>
    /// The platform's hash for every size: for a process that lives long enough that OpenSSL's load is paid once (the
    /// scoring server, which hashes every file it stores in the cache: 7 times the managed speed).
    /// </summary>
    public static bool PlatformForAll { get; set; }

    /// <summary>Whether <paramref name="length"/> bytes are hashed by the platform (see <see cref="NativeFrom"/>, <see cref="PlatformForAll"/>).</summary>
    internal static bool UsePlatform(long length) => PlatformForAll || length >= NativeFrom;

    /// <summary>The digest of <paramref name="data"/>.</summary>
    public static byte[] HashData(ReadOnlySpan<byte> data)
    {
        if (UsePlatform(data.Length)) return System.Security.Cryptography.SHA256.HashData(data);
        var hasher = new Sha256Hasher();
        hasher.Append(data);
        return hasher.Finish();
    }

    /// <summary>The digest of <paramref name="data"/> in lower-case hexadecimal.</summary>
    public static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(HashData(data));

    /// <summary>The digest of <paramref name="text"/>'s UTF-8 bytes in lower-case hexadecimal.</summary>
    public static string Hex(string text) => Hex(Encoding.UTF8.GetBytes(text));

    /// <summary>The digest of a file's bytes in lower-case hexadecimal.</summary>
    public static string HexOfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return HexOf(stream);
    }

    /// <summary>The digest of the rest of <paramref name="stream"/> in lower-case hexadecimal.</summary>
    public static string HexOf(Stream stream)
    {
        if (stream.CanSeek && UsePlatform(stream.Length - stream.Position))
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        var hasher = new Sha256Hasher();
        Span<byte> buffer = stackalloc byte[16384];
        for (int read; (read = stream.Read(buffer)) > 0;) hasher.Append(buffer[..read]);
        return Convert.ToHexStringLower(hasher.Finish());
    }
}

/// <summary>
/// SHA-256 over pieces whose total length is known before the first one: the managed compression below
/// <see cref="Sha256.NativeFrom"/> bytes, the platform's from there (a cache key over a unit's 6 MB of assembly took
/// 150 ms of managed hashing, about 4 ms through OpenSSL with the CPU's SHA extensions). Both give the same digest.
/// </summary>
public struct Sha256Pieces
{
    private Sha256Hasher _managed;
    private readonly System.Security.Cryptography.IncrementalHash? _platform;

    /// <param name="totalLength">The number of bytes that will be appended, all pieces together.</param>
    public Sha256Pieces(long totalLength) =>
        _platform = Sha256.UsePlatform(totalLength)
            ? System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256)
            : null;

    /// <summary>Adds <paramref name="data"/> to what is hashed.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_platform is not null) _platform.AppendData(data);
        else _managed.Append(data);
    }

    /// <summary>The digest of everything appended (the value is spent afterwards).</summary>
    public byte[] Finish()
    {
        if (_platform is null) return _managed.Finish();
        using (_platform) return _platform.GetHashAndReset();
    }
}

/// <summary>SHA-256 over data given in pieces; a value type, so hashing allocates nothing but the digest.</summary>
public struct Sha256Hasher
{
    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    [InlineArray(8)]
    private struct State { private uint _word; }

    [InlineArray(64)]
    private struct Block { private byte _byte; }

    private State _state;
    private Block _pending;
    private int _pendingLength;
    private ulong _totalLength;
    private bool _started;

    /// <summary>Adds <paramref name="data"/> to what is hashed.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (!_started) Start();
        _totalLength += (ulong)data.Length;
        Span<byte> pending = _pending;
        if (_pendingLength > 0)
        {
            int take = Math.Min(64 - _pendingLength, data.Length);
            data[..take].CopyTo(pending[_pendingLength..]);
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < 64) return;
            Compress(ref _state, pending);
            _pendingLength = 0;
        }
        while (data.Length >= 64)
        {
            Compress(ref _state, data[..64]);
            data = data[64..];
        }
        data.CopyTo(pending);
        _pendingLength = data.Length;
    }

    /// <summary>The digest of everything appended (the hasher is spent afterwards).</summary>
    public byte[] Finish()
    {
        if (!_started) Start();
        ulong bits = _totalLength * 8;
        Span<byte> pending = _pending;
        pending[_pendingLength++] = 0x80;
        if (_pendingLength > 56)
        {
            pending[_pendingLength..].Clear();
            Compress(ref _state, pending);
            _pendingLength = 0;
        }
        pending[_pendingLength..56].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(pending[56..], bits);
        Compress(ref _state, pending);
        var digest = new byte[32];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(i * 4), _state[i]);
        return digest;
    }

    private void Start()
    {
        _state[0] = 0x6a09e667; _state[1] = 0xbb67ae85; _state[2] = 0x3c6ef372; _state[3] = 0xa54ff53a;
        _state[4] = 0x510e527f; _state[5] = 0x9b05688c; _state[6] = 0x1f83d9ab; _state[7] = 0x5be0cd19;
        _started = true;
    }

    private static void Compress(ref State state, ReadOnlySpan<byte> block)
    {
        Span<uint> w = stackalloc uint[64];
        for (int i = 0; i < 16; i++) w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
        for (int i = 16; i < 64; i++)
        {
            uint s0 = BitOperations.RotateRight(w[i - 15], 7) ^ BitOperations.RotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint s1 = BitOperations.RotateRight(w[i - 2], 17) ^ BitOperations.RotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        var k = RoundConstants;
        for (int i = 0; i < 64; i++)
        {
            uint t1 = h + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25))
                + ((e & f) ^ (~e & g)) + k[i] + w[i];
            uint t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22))
                + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d; state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}
