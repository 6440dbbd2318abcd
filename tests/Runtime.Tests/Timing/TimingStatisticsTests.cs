using CompilerLLM.Timing;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Timing;

public sealed class TimingStatisticsTests
{
    [Fact]
    public void TheBootstrapIntervalIsReproducibleAndContainsTheMedian()
    {
        double[] logs = [0.01, -0.01, 0.02, 0.0, -0.02, 0.03, 0.0, 0.01, -0.03, 0.02];
        var first = TimingStatistics.BootstrapMedianInterval(logs, 4000, 7);
        Assert.Equal(first, TimingStatistics.BootstrapMedianInterval(logs, 4000, 7));
        double median = TimingStatistics.Median(logs);
        Assert.InRange(median, first.Low, first.High);
        var c = TimingStatistics.Compare("x", logs, 1.0, 0.02, 4000, 7);
        Assert.Equal(Math.Exp(median), c.Ratio, 12);
        Assert.Equal(TimingVerdict.NoMeasurableChange, c.Verdict);
    }

    [Theory]
    [InlineData(0.80, 0.75, 0.85, TimingVerdict.Slower)]
    [InlineData(1.20, 1.10, 1.30, TimingVerdict.Faster)]
    [InlineData(0.95, 0.90, 1.01, TimingVerdict.NoMeasurableChange)] // interval contains 1.0
    [InlineData(1.01, 1.005, 1.015, TimingVerdict.NoMeasurableChange)] // excludes 1.0 but within the 2% margin
    [InlineData(1.05, 1.01, 1.09, TimingVerdict.NoMeasurableChange)] // the interval reaches into the margin
    [InlineData(0.95, 0.92, 0.979, TimingVerdict.Slower)]
    public void TheVerdictNeedsTheWholeIntervalBeyondTheMargin(double ratio, double low, double high, TimingVerdict expected) =>
        Assert.Equal(expected, TimingStatistics.Verdict(ratio, low, high, 0.02));

    [Fact]
    public void ARoundWhoseRunWaitedForTheCoreComparesCpuTimes()
    {
        var calmBase = new TimedRun(1.00, 0.99, 0);
        Assert.Equal(Math.Log(2.0), TimingStatistics.LogRatio(calmBase, new TimedRun(0.50, 0.49, 0), 0.05), 6);
        Assert.Equal(Math.Log(0.99 / 0.49), TimingStatistics.LogRatio(calmBase, new TimedRun(2.00, 0.49, 0), 0.05), 6);
    }

    [Fact]
    public void ThePlanIsReproducibleAndRandomizesEveryPartOfTheLayout()
    {
        var options = new TimingOptions { Rounds = 12, Seed = 5 };
        var plan = LayoutPlan.Create(options, 4);
        Assert.Equal(plan.Select(Key), LayoutPlan.Create(options, 4).Select(Key));
        Assert.NotEqual(plan.Select(Key), LayoutPlan.Create(options with { Seed = 6 }, 4).Select(Key));
        Assert.All(plan, r => Assert.Equal([0, 1, 2, 3], r.RunOrder.Order()));
        Assert.All(plan, r => Assert.Equal(0, r.TextPadding % 16));
        Assert.All(plan, r => Assert.InRange(r.EnvironmentPadding, 0, options.MaxEnvironmentPadding - 1));
        Assert.True(plan.Select(r => r.EnvironmentPadding).Distinct().Count() > 8);
        Assert.True(plan.Select(r => r.TextPadding).Distinct().Count() > 8);
        Assert.True(plan.Select(r => string.Join(",", r.RunOrder)).Distinct().Count() > 4, "run orders are drawn per round");
        Assert.True(plan.Select(r => string.Join(",", r.ObjectOrderFor(6))).Distinct().Count() > 8, "link orders are drawn per round");
        Assert.All(plan, r => Assert.Equal([0, 1, 2, 3, 4, 5], r.ObjectOrderFor(6).Order()));
        Assert.All(LayoutPlan.Create(options with { ShuffleLinkOrder = false }, 2), r => Assert.Equal([0, 1, 2], r.ObjectOrderFor(3)));
    }

    [Fact]
    public void ALayoutMovesOnlyTheObjectsOfALinkAndPutsThePaddingBeforeThem()
    {
        var link = new LinkCommand(["-O2", "a.o", "-Wl,--as-needed", "b.o", "c.o", "-lm"], [1, 3, 4], "/tmp");
        var layout = new RoundLayout(0, 0, 32, 99, [0]);
        var order = layout.ObjectOrderFor(3);
        string[] objects = ["a.o", "b.o", "c.o"];
        var args = link.ArgumentsUnder(layout, "pad.o");
        Assert.Equal(["-O2", "pad.o", objects[order[0]], "-Wl,--as-needed", objects[order[1]], objects[order[2]], "-lm"], args);
    }

    private static string Key(RoundLayout r) => $"{r.EnvironmentPadding}/{r.TextPadding}/{r.ShuffleSeed}/{string.Join(",", r.RunOrder)}";
}
