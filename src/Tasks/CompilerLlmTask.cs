using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace CompilerLLM.Build.Tasks;

/// <summary>A diagnostic waiting to be logged (work done on other threads is logged afterwards, in order).</summary>
public sealed record PendingDiagnostic(DiagnosticDescriptor Descriptor, string? File, int Line, object?[] Args, MessageImportance Importance = MessageImportance.Normal);

/// <summary>The package's tasks log only through <see cref="Report(PendingDiagnostic)"/>: every message gets its code, help keyword and help link.</summary>
public abstract class CompilerLlmTask : Task
{
    /// <summary>docs/msbuild.md inside the installed package (tasks/net10.0/../../docs), or null when not found.</summary>
    internal static string? DocsPath { get; } = FindDocs();

    internal static string? HelpLink(DiagnosticDescriptor d) =>
        DocsPath is null ? null : new Uri(DocsPath).AbsoluteUri + "#" + d.Anchor;

    private static string? FindDocs()
    {
        string dir = Path.GetDirectoryName(typeof(CompilerLlmTask).Assembly.Location) ?? ".";
        string packaged = Path.GetFullPath(Path.Combine(dir, "..", "..", "docs", "msbuild.md"));
        return File.Exists(packaged) ? packaged : null;
    }

    protected void ReportAt(string? file, int line, DiagnosticDescriptor d, params object?[] args) =>
        Report(new PendingDiagnostic(d, file, line, args));

    protected void Report(DiagnosticDescriptor d, params object?[] args) =>
        Report(new PendingDiagnostic(d, null, 0, args));

    protected void Report(PendingDiagnostic p)
    {
        var d = p.Descriptor;
        string text = d.Render(p.Args);
        string file = p.File ?? string.Empty;
        switch (d.Severity)
        {
            case DiagnosticSeverity.Error:
                Log.LogError(null, d.Code, d.HelpKeyword, HelpLink(d), file, p.Line, 0, 0, 0, "{0} Help: {1}", text, d.Help);
                break;
            case DiagnosticSeverity.Warning:
                Log.LogWarning(null, d.Code, d.HelpKeyword, HelpLink(d), file, p.Line, 0, 0, 0, "{0} Help: {1}", text, d.Help);
                break;
            default:
                Log.LogMessage(null, d.Code, d.HelpKeyword, file, p.Line, 0, 0, 0, p.Importance, "{0}", text);
                break;
        }
    }

    protected void Report(IEnumerable<PendingDiagnostic> pending)
    {
        foreach (var p in pending) Report(p);
    }
}
