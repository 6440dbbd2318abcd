using CompilerLLM.Assembly;

using CompilerLLM.Toolchain;

using CompilerLLM.Lab.RoundTrip;

namespace CompilerLLM.Tests.Assembly;

/// <summary>
/// Hand-made inputs that once broke the round trip or the model (found by hunting with odd flags
/// and hand-written assembly). Each file's first line says how many lines must stay verbatim;
/// all others must be modelled, and the file must round-trip exactly.
/// </summary>
public sealed class RoundTripCaseTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Assembly", "Cases"), "*.s").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundTripsWithTheExpectedVerbatimLines(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Assembly", "Cases", name);
        string first = File.ReadLines(path).First();
        const string marker = "# expect-verbatim: ";
        Assert.StartsWith(marker, first);
        int expected = int.Parse(first[marker.Length..]);

        var result = RoundTripCheck.Run(path);
        Assert.True(result.Identical, result.Error ?? string.Join("\n", result.Differences));
        Assert.True(expected == result.Verbatim, string.Join("\n", result.Diagnostics));
        Assert.True(result.Instructions > 0);
    }
}
