using CompilerLLM.Caching;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Caching;

/// <summary>The content cache shared by concurrent builds: whole entries or none, corruption detected, size capped.</summary>
public sealed class ContentCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-cache-tests-");

    public void Dispose() => _temp.Dispose();

    private string File(string name, byte[] content)
    {
        string path = _temp.File(name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Bytes(int seed, int length)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static CacheKey Key(string text) => CacheKey.Of(("test", text));

    [Fact]
    public void A_stored_entry_comes_back_byte_for_byte_and_an_unknown_key_misses()
    {
        var cache = new ContentCache(_temp.File("cache"), 1 << 20);
        var key = Key("a");
        Assert.Equal(CacheLookup.Miss, cache.TryGet(key, new Dictionary<string, string> { ["x.o"] = _temp.File("out.o") }));
        Assert.True(cache.Put(key, new Dictionary<string, string> { ["x.o"] = File("in.o", Bytes(1, 5000)), ["r.json"] = File("r.json", "{}"u8.ToArray()) }));
        Assert.Equal(CacheLookup.Hit, cache.TryGet(key, new Dictionary<string, string> { ["x.o"] = _temp.File("out.o"), ["r.json"] = _temp.File("out.json") }));
        Assert.Equal(Bytes(1, 5000), System.IO.File.ReadAllBytes(_temp.File("out.o")));
        Assert.Equal("{}", System.IO.File.ReadAllText(_temp.File("out.json")));
        Assert.Equal(CacheLookup.Miss, cache.TryGet(Key("b"), new Dictionary<string, string> { ["x.o"] = _temp.File("out2.o") }));
        Assert.False(System.IO.File.Exists(_temp.File("out2.o")));
    }

    [Fact]
    public void Keys_separate_their_parts()
    {
        Assert.NotEqual(CacheKey.Of(("flags", "-O2 -g"), ("text", "x")), CacheKey.Of(("flags", "-O2"), ("text", "-g x")));
        Assert.NotEqual(CacheKey.Of(("a", "bc")), CacheKey.Of(("ab", "c")));
        Assert.Equal(CacheKey.Of(("a", "b")), CacheKey.Of(("a", "b")));
    }

    [Fact]
    public void A_key_is_the_sha256_of_its_parts_with_their_lengths_on_both_sides_of_the_platform_threshold()
    {
        foreach (int size in new[] { 10, Toolchain.Sha256.NativeFrom - 40, Toolchain.Sha256.NativeFrom + 3, 6_000_000 })
        {
            string text = string.Create(size, size, (span, seed) =>
            {
                var random = new Random(seed);
                for (int i = 0; i < span.Length; i++) span[i] = (char)(i % 97 == 0 ? 'é' : ' ' + random.Next(95));
            });
            var expected = new MemoryStream();
            foreach (string piece in new[] { "assembly", text, "flags", "-O3 -g" })
            {
                byte[] bytes = System.Text.Encoding.UTF8.GetBytes(piece);
                expected.Write(BitConverter.GetBytes((long)bytes.Length));
                expected.Write(bytes);
            }
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(expected.ToArray())),
                CacheKey.Of(("assembly", text), ("flags", "-O3 -g")).Hex);
        }
    }

    [Fact]
    public void A_key_over_an_ascii_file_read_in_pieces_equals_the_key_over_its_text()
    {
        (string, string)[] parts = [("engine", "e1"), ("arguments", "-O2\n-g")];
        foreach (int size in new[] { 0, 100, (1 << 16) + 7, Toolchain.Sha256.NativeFrom + 5 })
        {
            var random = new Random(size);
            string text = string.Create(size, random, (span, r) => { for (int i = 0; i < span.Length; i++) span[i] = (char)(i % 50 == 49 ? '\n' : ' ' + r.Next(95)); });
            string path = _temp.File($"unit-{size}.s");
            System.IO.File.WriteAllText(path, text);
            Assert.Equal(CacheKey.Of([.. parts, ("assembly", text)]), CacheKey.OfWithAsciiFile(parts, "assembly", path));
            Assert.NotEqual(CacheKey.Of([.. parts, ("assembly", text + " ")]), CacheKey.OfWithAsciiFile(parts, "assembly", path));
        }
    }

    [Fact]
    public void A_file_that_is_not_ascii_gives_no_key_by_pieces()
    {
        string path = _temp.File("latin.s");
        System.IO.File.WriteAllText(path, new string(' ', 70_000) + "\t.file\t\"caf\u00e9.c\"\n");
        Assert.Null(CacheKey.OfWithAsciiFile([("engine", "e1")], "assembly", path));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("manifest")]
    [InlineData("missing")]
    public void A_damaged_entry_is_detected_removed_and_never_used(string damage)
    {
        var cache = new ContentCache(_temp.File("cache"), 1 << 20);
        var key = Key("damaged");
        cache.Put(key, new Dictionary<string, string> { ["x.o"] = File("in.o", Bytes(2, 4000)) });
        string entry = Path.Combine(cache.Directory, key.Bucket.ToString(), key.Hex);
        string obj = Path.Combine(entry, "x.o");
        switch (damage)
        {
            case "flip":
                var bytes = System.IO.File.ReadAllBytes(obj);
                bytes[1234] ^= 0x10;
                System.IO.File.WriteAllBytes(obj, bytes);
                break;
            case "truncate":
                using (var s = System.IO.File.OpenWrite(obj)) s.SetLength(100);
                break;
            case "manifest":
                System.IO.File.WriteAllText(Path.Combine(entry, "manifest"), System.IO.File.ReadAllText(Path.Combine(entry, "manifest")).Replace(" 4000 ", " 4001 "));
                break;
            case "missing":
                System.IO.File.Delete(obj);
                break;
        }
        string output = _temp.File("out.o");
        Assert.Equal(CacheLookup.Corrupt, cache.TryGet(key, new Dictionary<string, string> { ["x.o"] = output }));
        Assert.False(System.IO.File.Exists(output));
        Assert.False(Directory.Exists(entry));
        Assert.Equal(CacheLookup.Miss, cache.TryGet(key, new Dictionary<string, string> { ["x.o"] = output }));
    }

    [Fact]
    public void Concurrent_writers_and_readers_see_whole_entries_only()
    {
        var cache = new ContentCache(_temp.File("cache"), 1L << 30);
        var contents = Enumerable.Range(0, 8).Select(i => File($"in{i}.o", Bytes(i, 20_000 + i))).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            int k = n % 8;
            var key = Key("k" + k);
            string output = _temp.File($"out{n}.o");
            var lookup = cache.TryGet(key, new Dictionary<string, string> { ["x.o"] = output });
            if (lookup == CacheLookup.Hit)
            {
                if (!System.IO.File.ReadAllBytes(output).AsSpan().SequenceEqual(System.IO.File.ReadAllBytes(contents[k]))) failures.Add($"{n}: wrong bytes");
            }
            else if (lookup != CacheLookup.Miss) failures.Add($"{n}: {lookup}");
            else if (!cache.Put(key, new Dictionary<string, string> { ["x.o"] = contents[k] })) failures.Add($"{n}: put failed");
        });
        Assert.Empty(failures);
        Assert.Equal(8, cache.Measure().Entries);
        Assert.False(Directory.Exists(Path.Combine(cache.Directory, "tmp")) && Directory.EnumerateFileSystemEntries(Path.Combine(cache.Directory, "tmp")).Any());
    }

    [Fact]
    public void The_size_cap_evicts_the_least_recently_used_entries_of_a_bucket()
    {
        // 16 buckets of 8 KB each; entries of 3 KB, all in bucket '0'.
        var cache = new ContentCache(_temp.File("cache"), 16 * 8 * 1024);
        var keys = Enumerable.Range(0, 2000).Select(i => Key("e" + i)).Where(k => k.Bucket == '0').Take(10).ToList();
        string blob = File("blob.o", Bytes(3, 3000));
        cache.Put(keys[0], new Dictionary<string, string> { ["x.o"] = blob });
        for (int i = 1; i < keys.Count; i++)
        {
            Thread.Sleep(15); // distinct use times
            // keys[0] is used all along, so it is never the least recently used one
            Assert.Equal(CacheLookup.Hit, cache.TryGet(keys[0], new Dictionary<string, string> { ["x.o"] = _temp.File("o") }));
            cache.Put(keys[i], new Dictionary<string, string> { ["x.o"] = blob });
        }
        var (entries, bytes) = cache.Measure();
        Assert.True(bytes <= 8 * 1024, $"{bytes} bytes in the bucket");
        Assert.True(entries >= 1);
        Assert.Equal(CacheLookup.Hit, cache.TryGet(keys[0], new Dictionary<string, string> { ["x.o"] = _temp.File("o") }));
        Assert.Equal(CacheLookup.Hit, cache.TryGet(keys[^1], new Dictionary<string, string> { ["x.o"] = _temp.File("o") }));
        Assert.Equal(CacheLookup.Miss, cache.TryGet(keys[1], new Dictionary<string, string> { ["x.o"] = _temp.File("o") }));
    }

    [Fact]
    public void Each_bucket_ledger_holds_the_bytes_its_entries_take()
    {
        var cache = new ContentCache(_temp.File("cache"), 1L << 30);
        for (int i = 0; i < 40; i++)
            cache.Put(Key("ledger" + i), new Dictionary<string, string> { ["x.o"] = File($"l{i}.o", Bytes(i, 1000 + 37 * i)), ["y.s"] = File($"l{i}.s", Bytes(i + 1, 50 + i)) });
        foreach (char bucket in "0123456789abcdef")
        {
            string dir = Path.Combine(cache.Directory, bucket.ToString());
            if (!Directory.Exists(dir)) continue;
            long walked = Directory.EnumerateDirectories(dir).SelectMany(Directory.EnumerateFiles).Sum(f => new FileInfo(f).Length);
            Assert.Equal(walked.ToString(System.Globalization.CultureInfo.InvariantCulture), System.IO.File.ReadAllText(Path.Combine(dir, "size")).Trim());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a number")]
    [InlineData("0")]
    [InlineData("99999999999")]
    public void A_wrong_or_missing_ledger_is_set_right_by_the_walk_a_store_makes(string ledger)
    {
        // 16 buckets of 8 KB: a ledger of 0 lets a store overfill the bucket, and the store after finds it out.
        var cache = new ContentCache(_temp.File("cache"), 16 * 8 * 1024);
        var keys = Enumerable.Range(0, 2000).Select(i => Key("w" + i)).Where(k => k.Bucket == 'a').Take(6).ToList();
        string blob = File("blob.o", Bytes(9, 3000));
        string bucket = Path.Combine(cache.Directory, "a");
        cache.Put(keys[0], new Dictionary<string, string> { ["x.o"] = blob });
        System.IO.File.WriteAllText(Path.Combine(bucket, "size"), ledger);
        for (int i = 1; i < keys.Count; i++) cache.Put(keys[i], new Dictionary<string, string> { ["x.o"] = blob });
        long walked = Directory.EnumerateDirectories(bucket).SelectMany(Directory.EnumerateFiles).Sum(f => new FileInfo(f).Length);
        Assert.True(walked <= 8 * 1024 + 3200, $"{walked} bytes in a bucket of 8 KB (one entry over at most)");
        Assert.Equal(walked, long.Parse(System.IO.File.ReadAllText(Path.Combine(bucket, "size")).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_cache_that_cannot_be_written_never_fails_the_caller()
    {
        // /proc refuses new directories even to root.
        var cache = new ContentCache("/proc/compilerllm-cache", 1 << 20);
        Assert.False(cache.Put(Key("x"), new Dictionary<string, string> { ["x.o"] = File("in.o", Bytes(4, 100)) }));
        Assert.Equal(CacheLookup.Miss, cache.TryGet(Key("x"), new Dictionary<string, string> { ["x.o"] = _temp.File("o") }));
    }

    [Fact]
    public void A_writer_killed_half_way_leaves_only_a_stale_temporary_that_cleaning_removes()
    {
        var cache = new ContentCache(_temp.File("cache"), 1 << 20);
        string stale = Path.Combine(cache.Directory, "tmp", "deadbeef.1.0.tmp");
        Directory.CreateDirectory(stale);
        System.IO.File.WriteAllBytes(Path.Combine(stale, "x.o"), Bytes(5, 10));
        Directory.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));
        Assert.Equal(CacheLookup.Miss, cache.TryGet(Key("deadbeef"), new Dictionary<string, string> { ["x.o"] = _temp.File("o") }));
        cache.Put(Key("y"), new Dictionary<string, string> { ["x.o"] = File("in.o", Bytes(6, 100)) });
        Assert.False(Directory.Exists(stale));
    }
}
