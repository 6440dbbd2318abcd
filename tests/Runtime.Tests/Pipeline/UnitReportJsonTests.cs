using System.Text.Json;
using CompilerLLM.Analysis;
using CompilerLLM.Pipeline;
using CompilerLLM.Rewriting;
using CompilerLLM.Variants;

namespace CompilerLLM.Tests.Pipeline;

/// <summary>
/// The cache writes unit reports with generated serialization code only (<see cref="PipelineJsonWriter"/>) and reads
/// them with the metadata context (<see cref="PipelineJson"/>): both must agree on every field a report can hold.
/// </summary>
public sealed class UnitReportJsonTests
{
    private static UnitReport Rich() => new UnitReport("src/a.c", UnitStatus.Optimized, "applied 2", 0.125, 3, 7, 2, 1, -4, -1.5,
        new OptimizationReport("a.s", "default", 3, 7, 2, 1,
        [
            new FunctionReport("f", new Dictionary<string, int> { ["lea-split"] = 2, ["xor-zero"] = 1 },
                [new RewriteRecord("xor-zero", 12, ["movl $0, %eax"], ["xorl %eax, %eax"], -3, 0.75f)],
                [new RejectionRecord("lea-split", 20, "flags live", RejectionKind.LiveAfterWindow), new RejectionRecord("x", 1, "old report")],
                -3, -1.5, null),
            new FunctionReport("g \"quoted\" ünïcode", new Dictionary<string, int>(), [], [], 0, 0, "timeout"),
        ], ["peephole", "schedule"]))
    {
        Fallback = UnitFallback.Timeout,
        Detail = "line 1\nline 2",
        FromCache = true,
        Variant = new VariantDecision("pgo", 0.5f, new Dictionary<string, float> { ["base"] = 0.1f, ["pgo"] = 0.5f }, new UnitProfile(3, 10, 7, 12345, 999), "note")
        {
            TextBytes = new Dictionary<string, long> { ["base"] = 100, ["pgo"] = 96 },
            MeasuredSpeedup = 1.07, MeasuredLow = 1.01, MeasuredHigh = 1.12,
            Tuning = new TuneOutcome("base", "pgo", [new MeasuredVariant("pgo", 1.07, 1.01, 1.12, 7, TuneVerdict.Faster, "d") { LogRatios = [0.05, 0.07] }]) { FromCache = true },
        },
    };

    [Fact]
    public void The_generated_writer_writes_what_the_metadata_context_writes()
    {
        var report = Rich();
        Assert.Equal(JsonSerializer.Serialize(report, PipelineJson.Default.UnitReport), JsonSerializer.Serialize(report, PipelineJsonWriter.Default.UnitReport));
        var minimal = UnitReport.FellBackFor("b.c", UnitFallback.AssemblerRejected, "as said no", "detail", 0.5);
        Assert.Equal(JsonSerializer.Serialize(minimal, PipelineJson.Default.UnitReport), JsonSerializer.Serialize(minimal, PipelineJsonWriter.Default.UnitReport));
    }

    [Fact]
    public void What_the_writer_writes_reads_back_whole()
    {
        var report = Rich();
        string json = JsonSerializer.Serialize(report, PipelineJsonWriter.Default.UnitReport);
        var back = JsonSerializer.Deserialize(json, PipelineJson.Default.UnitReport)!;
        // Records compare lists by reference: compare what they write instead, and a few fields directly.
        Assert.Equal(json, JsonSerializer.Serialize(back, PipelineJsonWriter.Default.UnitReport));
        Assert.Equal(UnitFallback.Timeout, back.Fallback);
        Assert.Equal(RejectionKind.LiveAfterWindow, back.Report!.FunctionReports[0].Rejected[0].Kind);
        Assert.Equal(TuneVerdict.Faster, back.Variant!.Tuning!.Measured[0].Verdict);
    }
}
