using System.Globalization;
using System.Text;

namespace CompilerLLM.Caching;

/// <summary>
/// The bytes one cache bucket holds, as a number in the bucket's <c>size</c> file, so that a store need not walk the
/// bucket's entries to know whether it went over its share (ccache keeps such counters per subdirectory for the same
/// reason). Updates hold the file's lock for a read and a write; a store never waits long for it: when the lock stays
/// taken the update is skipped and the caller walks the bucket, which sets the number right. The number may run ahead
/// of the truth (an entry removed as corrupt, a copy lost to a concurrent store), never long behind it.
/// </summary>
internal sealed class BucketLedger(string bucketDirectory)
{
    private const string FileName = "size";
    private const int Attempts = 5;

    private string Path => System.IO.Path.Combine(bucketDirectory, FileName);

    /// <summary>Adds <paramref name="bytes"/>; the bucket's new size, or null when it is not known (no ledger yet, unreadable, locked).</summary>
    public long? Add(long bytes) => Update(current => current is { } c ? c + bytes : null);

    /// <summary>Sets the size a walk of the bucket found.</summary>
    public void Set(long bytes) => Update(_ => bytes);

    private long? Update(Func<long?, long?> next)
    {
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            try
            {
                // FileShare.None takes the file's lock (flock) for as long as the stream is open.
                using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                Span<byte> buffer = stackalloc byte[32];
                int read = stream.Read(buffer);
                long? current = long.TryParse(Encoding.ASCII.GetString(buffer[..read]).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n)
                    ? n : null;
                long? updated = next(current);
                if (updated is not { } value) return null;
                stream.SetLength(0);
                stream.Position = 0;
                stream.Write(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture) + "\n"));
                return value;
            }
            catch (IOException) when (attempt + 1 < Attempts)
            {
                Thread.Sleep(1); // another store holds the lock for a read and a write
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
        return null;
    }
}
