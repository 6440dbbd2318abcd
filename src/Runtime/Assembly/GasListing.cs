namespace CompilerLLM.Assembly;

/// <summary>
/// The part of a GAS listing (<c>as -aln=FILE</c>) the model needs: for each source line, the
/// section offset where its bytes start and the bytes GAS emitted for it.
/// </summary>
/// <remarks>
/// Listing rows look like <c>"  14 0003 0F870000 \t\tja .L9"</c> followed by continuation rows
/// <c>"  14      0000"</c>. GAS sometimes attributes alignment padding to the following line, so
/// the caller must cross-check byte counts against what Iced decodes; this type only reports.
/// </remarks>
internal sealed class GasListing : ILineBytes
{
    private readonly int[] _offset;     // per 0-based source line, -1 when the line has no bytes
    private readonly int[] _byteStart;  // index into _bytes
    private readonly byte[] _byteCount;
    private readonly byte[] _bytes;

    private GasListing(int[] offset, int[] byteStart, byte[] byteCount, byte[] bytes)
    {
        _offset = offset;
        _byteStart = byteStart;
        _byteCount = byteCount;
        _bytes = bytes;
    }

    public int LineCount => _offset.Length;

    /// <summary>Section offset of the first byte of a 0-based source line, or -1.</summary>
    public int OffsetOf(int line) => (uint)line < (uint)_offset.Length ? _offset[line] : -1;

    /// <summary>The bytes listed for a 0-based line (at most what the listing shows, which is capped for long data).</summary>
    public ReadOnlySpan<byte> BytesOf(int line) =>
        (uint)line < (uint)_offset.Length && _offset[line] >= 0
            ? _bytes.AsSpan(_byteStart[line], _byteCount[line])
            : default;

    public static GasListing Parse(ReadOnlySpan<char> listing, int sourceLineCount) =>
        Parse(listing, sourceLineCount, null);

    /// <summary>Parses only the rows of source lines flagged in <paramref name="wanted"/> (others report no bytes).</summary>
    public static GasListing Parse(ReadOnlySpan<char> listing, bool[] wanted) => Parse(listing, wanted.Length, wanted);

    private static GasListing Parse(ReadOnlySpan<char> listing, int sourceLineCount, bool[]? wanted)
    {
        var offset = new int[sourceLineCount];
        var byteStart = new int[sourceLineCount];
        var byteCount = new byte[sourceLineCount];
        Array.Fill(offset, -1);
        int rows = 0;
        if (wanted is not null) foreach (bool w in wanted) if (w) rows++;
        var bytes = new ByteBuffer(wanted is null ? listing.Length / 16 : rows * 8);

        int pos = 0;
        while (pos < listing.Length)
        {
            int eol = listing[pos..].IndexOf('\n');
            var row = eol < 0 ? listing[pos..] : listing.Slice(pos, eol);
            pos = eol < 0 ? listing.Length : pos + eol + 1;
            ParseRow(row, offset, byteStart, byteCount, bytes, wanted);
        }
        return new GasListing(offset, byteStart, byteCount, bytes.Array);
    }

    private static void ParseRow(ReadOnlySpan<char> row, int[] offset, int[] byteStart, byte[] byteCount, ByteBuffer bytes, bool[]? wanted)
    {
        int i = GasLexer.SkipSpaces(row, 0);
        int lineNo = 0, digits = 0;
        while (i < row.Length && (uint)(row[i] - '0') <= 9)
        {
            lineNo = lineNo * 10 + (row[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || i >= row.Length || row[i] != ' ') return; // not a listing row (e.g. a header)
        int line = lineNo - 1;
        if ((uint)line >= (uint)offset.Length || (wanted is not null && !wanted[line])) return;

        bool continuation;
        if (i + 1 < row.Length && IsHex(row[i + 1]))
        {
            int j = i + 1, off = 0;
            while (j < row.Length && IsHex(row[j])) { off = off * 16 + HexValue(row[j]); j++; }
            if (j >= row.Length || row[j] != ' ') return;
            i = j + 1;
            continuation = false;
            if (offset[line] < 0)
            {
                offset[line] = off;
                byteStart[line] = bytes.Count;
            }
            else continuation = true; // the same line listed again (GAS repeats for some frags)
        }
        else
        {
            i = GasLexer.SkipSpaces(row, i);
            if (i >= row.Length || row[i] == '\t' || offset[line] < 0) return;
            continuation = true;
        }

        if (continuation && byteStart[line] + byteCount[line] != bytes.Count) return; // interleaved: ignore
        while (i + 1 < row.Length && IsHex(row[i]) && IsHex(row[i + 1]))
        {
            if (byteCount[line] == byte.MaxValue) break;
            bytes.Add((byte)(HexValue(row[i]) * 16 + HexValue(row[i + 1])));
            byteCount[line]++;
            i += 2;
        }
    }

    private sealed class ByteBuffer(int capacity)
    {
        public byte[] Array = new byte[Math.Max(capacity, 16)];
        public int Count;

        public void Add(byte b)
        {
            if (Count == Array.Length) System.Array.Resize(ref Array, Array.Length * 2);
            Array[Count++] = b;
        }
    }

    private static bool IsHex(char c) => (uint)(c - '0') <= 9 || (uint)((c | 0x20) - 'a') <= 5;

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
