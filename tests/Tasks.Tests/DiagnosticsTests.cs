using System.Text.RegularExpressions;

namespace CompilerLLM.Build.Tasks.Tests;

public class DiagnosticsTests
{
    [Fact]
    public void Every_code_is_unique_well_formed_and_never_a_retired_one()
    {
        var codes = Diagnostics.All.Select(d => d.Code).ToList();
        Assert.True(codes.Count >= 25, $"only {codes.Count} diagnostics found by reflection");
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Matches(@"^CLLM[1-9]\d{3}$", c));
        Assert.Empty(codes.Intersect(Diagnostics.Retired));
    }

    [Fact]
    public void Every_code_lies_in_a_documented_range_with_its_severity()
    {
        foreach (var d in Diagnostics.All)
        {
            var range = Diagnostics.RangeOf(d); // throws when no range holds it
            Assert.True(range.Severity == d.Severity, $"{d.Code} is a {d.Severity} in the {range.Severity} range {range.First}-{range.Last}");
        }
        // Ranges do not overlap.
        var ordered = Diagnostics.Ranges.OrderBy(r => r.First).ToList();
        for (int i = 1; i < ordered.Count; i++) Assert.True(ordered[i].First > ordered[i - 1].Last);
    }

    [Fact]
    public void Every_message_has_help_and_renders_its_arguments()
    {
        foreach (var d in Diagnostics.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Help), $"{d.Code} has no help line");
            Assert.EndsWith(".", d.Help.TrimEnd());
            int holes = Regex.Matches(d.Format, @"\{(\d+)\}").Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(-1).Max() + 1;
            var args = Enumerable.Range(0, holes).Select(i => (object?)$"<arg{i}>").ToArray();
            string text = d.Render(args);
            for (int i = 0; i < holes; i++) Assert.Contains($"<arg{i}>", text);
            Assert.Equal("compilerllm." + d.Code.ToLowerInvariant(), d.HelpKeyword.ToLowerInvariant());
        }
    }

    [Fact]
    public void The_user_documentation_describes_every_code_and_range()
    {
        string root = RepoRoot();
        string docs = File.ReadAllText(Path.Combine(root, "docs", "msbuild.md"));
        foreach (var d in Diagnostics.All)
        {
            Assert.True(docs.Contains($"<a id=\"{d.Anchor}\"></a>", StringComparison.Ordinal), $"docs/msbuild.md lacks the anchor of {d.Code}");
            Assert.True(Regex.IsMatch(docs, $@"\|\s*{d.Code}\s*\|"), $"docs/msbuild.md lacks a table row for {d.Code}");
        }
        foreach (var r in Diagnostics.Ranges)
            Assert.Contains($"CLLM{r.First}–{r.Last}", docs);
    }

    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CompilerLLM.Build.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
