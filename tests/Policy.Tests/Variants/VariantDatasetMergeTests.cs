using CompilerLLM.Lab.Variants;

namespace CompilerLLM.Training.Tests.Variants;

/// <summary><c>compilerllm variants --merge</c>: datasets and assignment results of runs on disjoint programs in one.</summary>
public sealed class VariantDatasetMergeTests
{
    private static VariantDataset Part(int programs, int seed, string prefix, double aa)
    {
        var d = SyntheticVariantDataset.Create(programs, 2, seed);
        var records = d.Programs.Select(p => p with { Name = prefix + p.Name, Aa = new VariantMeasurement(aa, aa, aa, [Math.Log(aa)], 1, true) }).ToList();
        return d with { Programs = records, AaNoise = NoiseRecord.Of(records) };
    }

    [Fact]
    public void TheProgramsOfEveryPartAreKeptAndTheNoiseIsComputedOverAll()
    {
        var a = Part(3, 1, "a-", 1.01);
        var b = Part(2, 2, "b-", 0.95);
        var merged = VariantDataset.Merge([a, b]);
        Assert.Equal([.. a.Programs.Select(p => p.Name), .. b.Programs.Select(p => p.Name)], merged.Programs.Select(p => p.Name));
        Assert.Equal(5, merged.AaNoise!.Programs);
        // |log 1.01| three times, |log 0.95| twice: the median is |log 1.01|, the 90th percentile moves towards |log 0.95|.
        Assert.Equal(Math.Abs(Math.Log(1.01)), merged.AaNoise.MedianAbsLogRatio, 12);
        Assert.True(merged.AaNoise.P90AbsLogRatio > Math.Abs(Math.Log(1.01)));
        Assert.True(merged.Synthetic);
    }

    [Fact]
    public void PartsThatDisagreeOrOverlapAreRefused()
    {
        var a = Part(2, 1, "a-", 1.0);
        Assert.Contains("more than one", Assert.Throws<InvalidDataException>(() => VariantDataset.Merge([a, Part(1, 3, "a-", 1.0)])).Message);
        Assert.Contains("base flags", Assert.Throws<InvalidDataException>(() => VariantDataset.Merge([a, Part(1, 3, "b-", 1.0) with { BaseFlags = "-O2" }])).Message);
        var rounds = Part(1, 3, "b-", 1.0);
        Assert.Contains("protocols", Assert.Throws<InvalidDataException>(() => VariantDataset.Merge([a, rounds with { Protocol = rounds.Protocol with { Rounds = 9 } }])).Message);
        Assert.Contains("synthetic", Assert.Throws<InvalidDataException>(() => VariantDataset.Merge([a, Part(1, 3, "b-", 1.0) with { Synthetic = false }])).Message);
    }

    [Fact]
    public void AssignmentResultsMergeByProgramAndTheSummaryHasARowPerMethod()
    {
        static VariantMeasurement M(double r, string? verdict = null) => new(r, r * 0.99, r * 1.01, [Math.Log(r)], 1, true) { Verdict = verdict };
        var a = new AssignmentResults(AssignmentResults.SchemaName, 7, [new("x", new Dictionary<string, VariantMeasurement> { ["zero-shot"] = M(1.10, "faster"), ["pgo-everywhere"] = M(1.05) })]);
        var b = new AssignmentResults(AssignmentResults.SchemaName, 7, [new("y", new Dictionary<string, VariantMeasurement> { ["zero-shot"] = M(0.90, "slower"), ["pgo-everywhere"] = M(1.00) })]);
        var merged = AssignmentResults.Merge([a, b]);
        Assert.Equal(["x", "y"], merged.Programs.Select(p => p.Name));
        var rows = VariantSummary.Rows(merged);
        var zeroShot = rows.Single(r => r.Variant == "zero-shot");
        Assert.Equal(2, zeroShot.Programs);
        Assert.Equal(Math.Sqrt(1.10 * 0.90), zeroShot.Geomean, 12);
        Assert.Equal((1, 1), (zeroShot.Faster, zeroShot.Slower));
        Assert.Equal(Math.Sqrt(1.05), rows.Single(r => r.Variant == "pgo-everywhere").Geomean, 12);
        Assert.Throws<InvalidDataException>(() => AssignmentResults.Merge([a, a]));
        Assert.Throws<InvalidDataException>(() => AssignmentResults.Merge([a, b with { Rounds = 5 }]));
    }
}
