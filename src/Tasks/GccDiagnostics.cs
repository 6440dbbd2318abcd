using System.Text.RegularExpressions;

namespace CompilerLLM.Build.Tasks;

/// <summary>GCC's standard error as coded diagnostics with file and line.</summary>
public static partial class GccDiagnostics
{
    [GeneratedRegex(@"^(?<file>[^:\n]+):(?<line>\d+):(?:(?<col>\d+):)? (?<kind>fatal error|error|warning): (?<text>.*)$", RegexOptions.Multiline)]
    private static partial Regex GccDiagnostic();

    /// <summary>Errors become CLLM1003 and warnings CLLM6001, each at its file and line; anything unparsed in a failed run becomes one error.</summary>
    public static List<PendingDiagnostic> Parse(string stderr, bool failed, string fallbackFile)
    {
        var list = new List<PendingDiagnostic>();
        foreach (Match m in GccDiagnostic().Matches(stderr))
        {
            bool error = m.Groups["kind"].Value != "warning";
            int line = int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            list.Add(new PendingDiagnostic(error ? Diagnostics.CompileFailed : Diagnostics.GccWarning, m.Groups["file"].Value, line,
                [$"{m.Groups["kind"].Value}: {m.Groups["text"].Value.Trim()}"]));
        }
        if (failed && !list.Any(d => d.Descriptor.Severity == DiagnosticSeverity.Error))
            list.Add(new PendingDiagnostic(Diagnostics.CompileFailed, fallbackFile, 0, [string.IsNullOrWhiteSpace(stderr) ? "gcc failed" : stderr.Trim()]));
        return list;
    }
}
