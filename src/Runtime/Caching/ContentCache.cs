using System.Globalization;
using System.Text;

namespace CompilerLLM.Caching;

/// <summary>What a cache lookup found.</summary>
public enum CacheLookup : byte
{
    /// <summary>An intact entry; its files were copied out.</summary>
    Hit,
    /// <summary>No entry for the key.</summary>
    Miss,
    /// <summary>An entry whose files do not match its manifest (truncated, altered): it was removed.</summary>
    Corrupt,
    /// <summary>The cache could not be read (permissions, I/O error): treated as a miss.</summary>
    Unavailable,
}

/// <summary>
/// A content-addressed store of small sets of files (an optimized unit: GCC's object, ours, the report), in one
/// directory that concurrent builds, and machines sharing the directory, use at once:
/// <list type="bullet">
/// <item>An entry is <c>DIR/b/KEY/</c> (<c>b</c> the key's first hex digit) holding its files and a <c>manifest</c> with
/// each file's size and SHA-256 and a checksum of the manifest itself.</item>
/// <item>Writers build an entry under <c>DIR/tmp/</c> and rename the folder into place: a reader sees a whole entry or
/// none, and two writers of one key leave one entry (the loser drops its copy). A writer killed half-way leaves only a
/// temporary folder, which cleaning removes.</item>
/// <item>Readers verify every file against the manifest before copying it out; an entry that does not verify is
/// removed and reported as <see cref="CacheLookup.Corrupt"/>, never used.</item>
/// <item>Size is capped per bucket (a sixteenth of <see cref="MaxBytes"/>): when a store takes a bucket over its share,
/// its least recently used entries (a hit refreshes the manifest's time) are removed until it is under 80% of it. A
/// store learns the bucket's size from the bucket's ledger (<see cref="BucketLedger"/>) instead of walking every entry,
/// which in a full cache cost more than the store itself; the walk, which also sets the ledger right, runs when the
/// ledger says the bucket is over its share, when it has no ledger, and on one store in <see cref="WalkEvery"/>.</item>
/// <item>A cache that cannot be written (read-only, disk full) never fails a build: stores become no-ops.</item>
/// </list>
/// </summary>
public sealed class ContentCache
{
    private const string ManifestName = "manifest";
    private const string Header = "compilerllm-cache 1";
    private static readonly TimeSpan StaleTemporary = TimeSpan.FromHours(1);

    /// <summary>One store in this many walks its bucket even when the ledger says it is within its share, so that a
    /// ledger some concurrent store could not update (it never blocks for it) is set right again soon.</summary>
    private const int WalkEvery = 64;

    public ContentCache(string directory, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        Directory = Path.GetFullPath(directory);
        MaxBytes = maxBytes;
    }

    public string Directory { get; }

    public long MaxBytes { get; }

    /// <summary>A size with an optional K, M, G or T suffix (powers of 1024); null for anything else or nothing.</summary>
    public static long? ParseSize(string? text)
    {
        text = (text ?? "").Trim();
        if (text.Length == 0) return null;
        long unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1 };
        string number = unit == 1 ? text : text[..^1];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0 ? (long)(n * unit) : null;
    }

    private string EntryPath(CacheKey key) => Path.Combine(Directory, key.Bucket.ToString(), key.Hex);

    private string TemporaryRoot => Path.Combine(Directory, "tmp");

    /// <summary>
    /// Copies the entry's files named in <paramref name="outputs"/> to their destinations (each through a temporary
    /// file and a rename). Anything but <see cref="CacheLookup.Hit"/> means nothing trustworthy was found.
    /// </summary>
    public CacheLookup TryGet(CacheKey key, IReadOnlyDictionary<string, string> outputs)
    {
        string entry = EntryPath(key);
        try
        {
            if (!System.IO.Directory.Exists(entry)) return CacheLookup.Miss;
            var files = ReadManifest(entry);
            if (files is null || !files.All(f => Verifies(entry, f.Key, f.Value)))
            {
                Remove(entry);
                return CacheLookup.Corrupt;
            }
            if (!outputs.Keys.All(files.ContainsKey)) return CacheLookup.Miss;
            foreach (var (name, destination) in outputs)
            {
                string temp = destination + "." + TemporarySuffix();
                File.Copy(Path.Combine(entry, name), temp, overwrite: true);
                File.Move(temp, destination, overwrite: true);
            }
            TryTouch(Path.Combine(entry, ManifestName));
            return CacheLookup.Hit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return System.IO.Directory.Exists(entry) ? CacheLookup.Unavailable : CacheLookup.Miss;
        }
    }

    /// <summary>
    /// Stores <paramref name="files"/> (entry name → source path) under <paramref name="key"/>; false when the cache
    /// could not take them (read-only, disk full …): the caller's build goes on regardless.
    /// </summary>
    public bool Put(CacheKey key, IReadOnlyDictionary<string, string> files)
    {
        string entry = EntryPath(key);
        string? temp = null;
        try
        {
            if (System.IO.Directory.Exists(entry)) return true;
            temp = Path.Combine(TemporaryRoot, key.Hex + "." + TemporarySuffix());
            System.IO.Directory.CreateDirectory(temp);
            var manifest = new StringBuilder().Append(Header).Append('\n');
            long entryBytes = 0;
            foreach (var (name, source) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (name == ManifestName || name.Contains('/') || name.Contains(' ')) throw new ArgumentException($"bad entry file name '{name}'", nameof(files));
                string target = Path.Combine(temp, name);
                File.Copy(source, target);
                var (size, sha) = Measure(target);
                entryBytes += size;
                manifest.Append(CultureInfo.InvariantCulture, $"{name} {size} {sha}\n");
            }
            string checksum = Sha(manifest.ToString());
            manifest.Append("end ").Append(checksum).Append('\n');
            byte[] manifestBytes = Encoding.UTF8.GetBytes(manifest.ToString());
            File.WriteAllBytes(Path.Combine(temp, ManifestName), manifestBytes);
            entryBytes += manifestBytes.Length;
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
            try
            {
                System.IO.Directory.Move(temp, entry);
                temp = null;
            }
            catch (IOException) when (System.IO.Directory.Exists(entry))
            {
                // Another build stored the same key first: its entry is as good as ours.
                return true;
            }
            var ledger = new BucketLedger(Path.Combine(Directory, key.Bucket.ToString()));
            long? bytes = ledger.Add(entryBytes);
            if (bytes is null || bytes > MaxBytes / 16 || Random.Shared.Next(WalkEvery) == 0) Clean(key.Bucket, ledger);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            if (temp is not null) TryDelete(temp);
        }
    }

    /// <summary>Entries and bytes held now (walks the directory).</summary>
    public (int Entries, long Bytes) Measure()
    {
        int entries = 0;
        long bytes = 0;
        foreach (char bucket in "0123456789abcdef")
        {
            foreach (var (_, size, _) in Entries(bucket))
            {
                entries++;
                bytes += size;
            }
        }
        return (entries, bytes);
    }

    /// <summary>Removes every entry and temporary folder.</summary>
    public void Clear()
    {
        foreach (string sub in "0123456789abcdef".Select(c => Path.Combine(Directory, c.ToString())).Append(TemporaryRoot))
            TryDelete(sub);
    }

    /// <summary>Keeps one bucket within its share of the size cap, least recently used first; drops stale temporaries.</summary>
    private void Clean(char bucket, BucketLedger ledger)
    {
        long limit = MaxBytes / 16;
        var entries = Entries(bucket).ToList();
        long total = entries.Sum(e => e.Size);
        if (total > limit)
        {
            foreach (var (path, size, _) in entries.OrderBy(e => e.Used))
            {
                if (total <= limit * 8 / 10) break;
                if (Remove(path)) total -= size;
            }
        }
        ledger.Set(total);
        if (System.IO.Directory.Exists(TemporaryRoot))
        {
            foreach (string temp in System.IO.Directory.EnumerateDirectories(TemporaryRoot))
                if (DateTime.UtcNow - System.IO.Directory.GetLastWriteTimeUtc(temp) > StaleTemporary) TryDelete(temp);
        }
    }

    private IEnumerable<(string Path, long Size, DateTime Used)> Entries(char bucket)
    {
        string dir = Path.Combine(Directory, bucket.ToString());
        if (!System.IO.Directory.Exists(dir)) yield break;
        foreach (string entry in System.IO.Directory.EnumerateDirectories(dir))
        {
            long size = 0;
            DateTime used;
            try
            {
                foreach (string f in System.IO.Directory.EnumerateFiles(entry)) size += new FileInfo(f).Length;
                used = File.GetLastWriteTimeUtc(Path.Combine(entry, ManifestName));
            }
            catch (IOException)
            {
                continue; // removed by another build meanwhile
            }
            yield return (entry, size, used);
        }
    }

    /// <summary>The manifest's files (name → size and SHA-256), or null when the manifest is missing or altered.</summary>
    private static Dictionary<string, (long Size, string Sha)>? ReadManifest(string entry)
    {
        string path = Path.Combine(entry, ManifestName);
        if (!File.Exists(path)) return null;
        string text = File.ReadAllText(path);
        int end = text.LastIndexOf("end ", StringComparison.Ordinal);
        if (end < 0 || !text.StartsWith(Header + "\n", StringComparison.Ordinal)) return null;
        if (text[(end + 4)..].TrimEnd('\n') != Sha(text[..end])) return null;
        var files = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (string line in text[(Header.Length + 1)..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size)) return null;
            files[parts[0]] = (size, parts[2]);
        }
        return files;
    }

    private static bool Verifies(string entry, string name, (long Size, string Sha) expected)
    {
        string path = Path.Combine(entry, name);
        if (!File.Exists(path) || new FileInfo(path).Length != expected.Size) return false;
        return Measure(path).Sha == expected.Sha;
    }

    private static (long Size, string Sha) Measure(string path)
    {
        using var stream = File.OpenRead(path);
        return (stream.Length, Toolchain.Sha256.HexOf(stream));
    }

    private static string Sha(string text) => Toolchain.Sha256.Hex(text);

    private static string TemporarySuffix() =>
        $"{Environment.ProcessId}.{Random.Shared.NextInt64(1L << 48):x12}.tmp"; // not a secret: no OpenSSL load for it

    /// <summary>Takes an entry out of view at once (a rename), then deletes it; false if another build got there first.</summary>
    private bool Remove(string entry)
    {
        try
        {
            System.IO.Directory.CreateDirectory(TemporaryRoot);
            string doomed = Path.Combine(TemporaryRoot, Path.GetFileName(entry) + "." + TemporarySuffix());
            System.IO.Directory.Move(entry, doomed);
            TryDelete(doomed);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryTouch(string path)
    {
        try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static void TryDelete(string path)
    {
        try { if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
