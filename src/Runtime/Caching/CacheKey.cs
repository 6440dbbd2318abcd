using System.Buffers;
using System.Text;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Caching;

/// <summary>The address of a cache entry: the SHA-256 of everything that determines the entry's content.</summary>
public readonly record struct CacheKey(string Hex)
{
    /// <summary>The first hex digit: the bucket the entry lives in (16 buckets, each cleaned on its own).</summary>
    public char Bucket => Hex[0];

    public override string ToString() => Hex;

    /// <summary>
    /// The key of named parts, in the order given. Each part is written with its length, so no two different lists
    /// of parts can produce the same bytes (a flag moving from one part to the next changes the key).
    /// </summary>
    public static CacheKey Of(params ReadOnlySpan<(string Name, string Value)> parts)
    {
        var counts = ByteCounts(parts, out long total);
        var hash = new Sha256Pieces(total);
        AppendParts(ref hash, parts, counts);
        return new CacheKey(Convert.ToHexStringLower(hash.Finish()));
    }

    /// <summary>
    /// As <see cref="Of"/> with one more part, named <paramref name="fileName"/>, whose value is the text of the file at
    /// <paramref name="path"/>, read in pieces: no copy of a unit's megabytes of assembly is made, and a fresh process
    /// spends no page faults on one (reading 6 MB of assembly as a string cost the launcher 50–80 ms). The key equals
    /// <see cref="Of"/>'s with the file's text as that part when the file is ASCII (GCC's assembly is); null when it is
    /// not, or when it changed while read: the caller reads the text instead.
    /// </summary>
    public static CacheKey? OfWithAsciiFile(ReadOnlySpan<(string Name, string Value)> parts, string fileName, string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        long fileLength = stream.Length;
        var counts = ByteCounts(parts, out long total);
        int nameCount = Encoding.UTF8.GetByteCount(fileName);
        var hash = new Sha256Pieces(total + 2 * sizeof(long) + nameCount + fileLength);
        AppendParts(ref hash, parts, counts);
        AppendText(ref hash, fileName, nameCount);
        AppendLength(ref hash, fileLength);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long seen = 0;
            for (int read; (read = stream.Read(buffer)) > 0; seen += read)
            {
                var piece = buffer.AsSpan(0, read);
                if (!Ascii.IsValid(piece)) return null;
                hash.Append(piece);
            }
            if (seen != fileLength) return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new CacheKey(Convert.ToHexStringLower(hash.Finish()));
    }

    /// <summary>The UTF-8 byte count of every name and value (in that order), and the bytes hashed for all of them.</summary>
    private static int[] ByteCounts(ReadOnlySpan<(string Name, string Value)> parts, out long total)
    {
        var counts = new int[2 * parts.Length];
        total = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            counts[2 * i] = Encoding.UTF8.GetByteCount(parts[i].Name);
            counts[2 * i + 1] = Encoding.UTF8.GetByteCount(parts[i].Value);
            total += 2 * sizeof(long) + counts[2 * i] + counts[2 * i + 1];
        }
        return counts;
    }

    private static void AppendParts(ref Sha256Pieces hash, ReadOnlySpan<(string Name, string Value)> parts, int[] counts)
    {
        for (int i = 0; i < parts.Length; i++)
        {
            AppendText(ref hash, parts[i].Name, counts[2 * i]);
            AppendText(ref hash, parts[i].Value, counts[2 * i + 1]);
        }
    }

    private static void AppendLength(ref Sha256Pieces hash, long length)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BitConverter.TryWriteBytes(bytes, length);
        hash.Append(bytes);
    }

    private static void AppendText(ref Sha256Pieces hash, string text, int byteCount)
    {
        AppendLength(ref hash, byteCount);
        // A unit's assembly runs to megabytes: its bytes go through a rented buffer rather than a new array.
        byte[] bytes = ArrayPool<byte>.Shared.Rent(byteCount);
        int count = Encoding.UTF8.GetBytes(text, bytes);
        hash.Append(bytes.AsSpan(0, count));
        ArrayPool<byte>.Shared.Return(bytes);
    }
}
