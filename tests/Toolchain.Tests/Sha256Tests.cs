using System.Text;

namespace CompilerLLM.Toolchain.Tests;

/// <summary>
/// The managed SHA-256 gives the standard's digests (FIPS 180-4 examples) and the platform's digest for every length
/// around the block and padding boundaries, however the data is cut into pieces, and on both sides of the size from
/// which the platform's hash takes over.
/// </summary>
public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void Standard_examples(string message, string digest) => Assert.Equal(digest, Sha256.Hex(message));

    [Fact]
    public void A_million_as() => Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
        Sha256.Hex(new string('a', 1_000_000)));

    [Fact]
    public void Every_length_up_to_four_blocks_matches_the_platform_whole_and_in_pieces()
    {
        var random = new Random(20261207);
        for (int length = 0; length <= 260; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));
            Assert.Equal(expected, Sha256.Hex(data));

            var pieces = new Sha256Hasher();
            for (int at = 0; at < length;)
            {
                int take = Math.Min(length - at, random.Next(0, 70));
                pieces.Append(data.AsSpan(at, take));
                at += take;
            }
            Assert.Equal(expected, Convert.ToHexStringLower(pieces.Finish()));
        }
    }

    [Fact]
    public void Both_sides_of_the_platform_threshold_and_streams_agree()
    {
        var random = new Random(7);
        foreach (int length in new[] { Sha256.NativeFrom - 1, Sha256.NativeFrom, 3 * 16384 + 5 })
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));
            Assert.Equal(expected, Sha256.Hex(data));
            Assert.Equal(expected, Sha256.HexOf(new MemoryStream(data)));
        }
    }

    [Fact]
    public void The_platform_for_every_size_gives_the_same_digests()
    {
        var random = new Random(11);
        byte[] data = new byte[5000];
        random.NextBytes(data);
        string managed = Sha256.Hex(data), managedStream = Sha256.HexOf(new MemoryStream(data));
        try
        {
            Sha256.PlatformForAll = true;
            Assert.Equal(managed, Sha256.Hex(data));
            Assert.Equal(managedStream, Sha256.HexOf(new MemoryStream(data)));
            var pieces = new Sha256Pieces(data.Length);
            pieces.Append(data.AsSpan(0, 17));
            pieces.Append(data.AsSpan(17));
            Assert.Equal(managed, Convert.ToHexStringLower(pieces.Finish()));
        }
        finally
        {
            Sha256.PlatformForAll = false;
        }
    }

    [Fact]
    public void Text_is_hashed_as_utf8() =>
        Assert.Equal(Sha256.Hex(Encoding.UTF8.GetBytes("é→∑")), Sha256.Hex("é→∑"));
}
