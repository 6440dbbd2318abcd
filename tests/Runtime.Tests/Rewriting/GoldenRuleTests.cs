using System.Text.RegularExpressions;
using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Tests.Rewriting;

/// <summary>
/// Data-driven rule tests (Rewriting/Golden/*.s, format in its README): per rule, the functions where
/// it must fire come out with exactly the expected replacement, and the others come out unchanged.
/// </summary>
public sealed partial class GoldenRuleTests
{
    private sealed record Case(string Rule, string Function, List<string> Lines, int? WindowStart, int WindowLength, List<string> Expected);

    public static TheoryData<string, string> Rules()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in GoldenFiles())
            foreach (var rule in Parse(file).Select(c => c.Rule).Distinct())
                data.Add(Path.GetFileName(file), rule);
        return data;
    }

    private static IEnumerable<string> GoldenFiles() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Rewriting", "Golden"), "*.s").Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Rules))]
    public void RuleFiresExactlyWhereExpected(string fileName, string rule)
    {
        Assert.NotNull(RuleCatalogue.Find(rule));
        string path = Path.Combine(AppContext.BaseDirectory, "Rewriting", "Golden", fileName);
        var file = AsmReader.ReadFile(path);
        var result = Optimizer.Optimize(file, new OptimizerOptions { Policy = PolicyKind.All, Rules = new HashSet<string> { rule } });
        var output = AsmReader.Read(path, result.Text);
        foreach (var c in Parse(path).Where(c => c.Rule == rule))
        {
            var actual = FunctionText(output, c.Function);
            Assert.True(c.Expected.SequenceEqual(actual),
                $"{c.Function}: expected\n  {string.Join("\n  ", c.Expected)}\nactual\n  {string.Join("\n  ", actual)}");
        }
        int fired = Parse(path).Count(c => c.Rule == rule && c.WindowStart is not null);
        Assert.Equal(fired, result.Report.FunctionReports.Sum(f => f.Applied.Count(a => a.Rule == rule)));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static string Normalize(string s) => Spaces().Replace(s.Trim(), " ");

    /// <summary>The function's instruction lines (normalized, comments and directives dropped).</summary>
    private static List<string> FunctionText(AsmFile file, string name)
    {
        var f = file.Functions.Single(x => x.Name == name);
        return f.Lines.Where(l => file.Lines[l].Kind == LineKind.Instruction)
            .Select(l => Normalize(StripComment(file.TextOf(l).ToString()))).ToList();
    }

    private static string StripComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash >= 0 ? line[..hash] : line;
    }

    private static List<Case> Parse(string path)
    {
        var cases = new List<Case>();
        string rule = "";
        Case? current = null;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith("# rule:")) { rule = line["# rule:".Length..].Trim(); continue; }
            var type = Regex.Match(line, @"^\.type\s+(\S+),\s*@function");
            if (type.Success)
            {
                current = new Case(rule, type.Groups[1].Value, [], null, 0, []);
                cases.Add(current);
                continue;
            }
            if (current is null) continue;
            if (line.StartsWith(".size")) { current = null; continue; }
            if (line.StartsWith("#=>")) { current.Expected.Add(Normalize(line[3..])); continue; }
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('.') || line.EndsWith(':')) continue;
            bool inWindow = line.EndsWith("# w");
            string text = Normalize(StripComment(line));
            if (inWindow)
            {
                int index = cases.IndexOf(current);
                current = current with { WindowStart = current.WindowStart ?? current.Lines.Count, WindowLength = current.WindowLength + 1 };
                cases[index] = current;
            }
            else current.Expected.Add(text);
            current.Lines.Add(text);
        }
        return cases;
    }
}
