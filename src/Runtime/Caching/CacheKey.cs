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
        var hash = new Sha256Hasher();
        Span<byte> length = stackalloc byte[8];
        foreach (var (name, value) in parts)
        {
            foreach (string text in (ReadOnlySpan<string>)[name, value])
            {
                byte[] bytes = Encoding.UTF8.GetBytes(text);
                BitConverter.TryWriteBytes(length, (long)bytes.Length);
                hash.Append(length);
                hash.Append(bytes);
            }
        }
        return new CacheKey(Convert.ToHexStringLower(hash.Finish()));
    }
}
