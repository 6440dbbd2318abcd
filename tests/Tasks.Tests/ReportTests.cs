using CompilerLLM.Pipeline;
namespace CompilerLLM.Build.Tasks.Tests;

public class ReportTests
{
    private static UnitReport Unit(string source, int applied, int sizeDelta, double cycles, UnitStatus status = UnitStatus.Optimized, int functionFallbacks = 0) =>
        new(source, status, null, 0.25, 3, 10, applied, functionFallbacks, sizeDelta, cycles, null);

    [Fact]
    public void Totals_count_what_the_final_artifact_contains()
    {
        UnitReport[] units = [Unit("a.c", 4, 3, -2.5), Unit("b.c", 5, 2, -1.5, functionFallbacks: 1), Unit("c.c", 0, 0, 0, UnitStatus.FellBack)];
        var replay = new ReplayReport(ReplayReport.FinalPartial, true, "t", 0, false, ["b.c"], 5, 6, 1, null);
        var p = WriteReport.Aggregate("proj", units, replay);
        Assert.Equal(3, p.TranslationUnits);
        Assert.Equal(9, p.Functions);
        Assert.Equal(4, p.RewritesApplied);            // b.c's rewrites are not in the artifact
        Assert.Equal(3, p.BytesSaved);
        Assert.Equal(2.5, p.EstimatedCyclesSaved);
        Assert.Equal(1 + 2, p.Fallbacks);              // b.c's function fallback, and the files c.c and b.c
        Assert.Equal(0.75, p.OptimizerSeconds, 6);
        Assert.Equal(UnitStatus.FellBack, p.Units.Single(u => u.Source == "b.c").Status);
        Assert.Contains("test replay: partially optimized (1 TU(s) fell back)", p.SummaryLine());
        Assert.StartsWith("3 translation unit(s), 9 functions, 4 rewrites applied, 3 fallback(s), estimated 2.5 cycles saved", p.SummaryLine());
    }

    [Fact]
    public void The_summary_says_identical_and_never_minus_zero()
    {
        var replay = new ReplayReport(ReplayReport.FinalOptimized, true, "t", 0, true, [], 2, 2, 1, null);
        var p = WriteReport.Aggregate("proj", [Unit("a.c", 0, 0, 0)], replay);
        Assert.Contains("estimated 0 cycles saved", p.SummaryLine());
        Assert.EndsWith("test replay: identical", p.SummaryLine());
        Assert.EndsWith("; no test replay", WriteReport.Aggregate("proj", [], replay with { Tested = false }).SummaryLine());
    }

    [Fact]
    public void The_html_report_escapes_what_it_shows()
    {
        var replay = new ReplayReport(ReplayReport.FinalOptimized, true, "./a.out --x='<b>' && echo", 0, true, [], 2, 2, 1, null);
        string html = WriteReport.Html(WriteReport.Aggregate("p<1>", [Unit("src/<x>.c", 1, 1, -1)], replay));
        Assert.Contains("CompilerLLM: p&lt;1&gt;", html);
        Assert.Contains("src/&lt;x&gt;.c", html);
        Assert.Contains("&amp;&amp; echo", html);
        Assert.DoesNotContain("<b>", html);
    }
}
