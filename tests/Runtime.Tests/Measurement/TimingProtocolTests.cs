using CompilerLLM.Lab.Measurement;

namespace CompilerLLM.Tests.Measurement;

/// <summary>
/// The timing protocol on real binaries. A ~40 ms kernel keeps each comparison to a few seconds; the
/// injected busy loop adds about half of that again, far above the noise of this shared VM, while the
/// A/A comparison must come out as "no measurable change" (interval containing 1.0 or within the 2% margin).
/// </summary>
[Collection(nameof(TimingCollection))]
public sealed class TimingProtocolTests : IDisposable
{
    private readonly MeasurementWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    private const string Kernel = """
        #include <stdio.h>
        static volatile unsigned seed = 12345;
        int main(void) {
            unsigned x = seed, acc = 0;
            for (unsigned i = 0; i < 30000000u; i++) { x = x * 1103515245u + 12345u; acc += x >> 16; }
            printf("%u\n", acc);
            return 0;
        }
        """;

    /// <summary>The same program with a busy loop of <paramref name="iterations"/> dec/jnz inserted at main's entry.</summary>
    private static string InjectBusyLoop(string assembly, int iterations)
    {
        int main = assembly.IndexOf("main:\n", StringComparison.Ordinal);
        Assert.True(main >= 0);
        int at = main + "main:\n".Length;
        string loop = $"\tmovl\t${iterations}, %ecx\n.Lbusy:\n\tdecl\t%ecx\n\tjne\t.Lbusy\n";
        return assembly[..at] + loop + assembly[at..];
    }

    [Fact]
    public void AProgramWithAnInjectedBusyLoopIsMeasuredAsSlower()
    {
        string s = _work.CompileToAssembly("kernel", Kernel);
        string slow = _work.Write("slow.s", InjectBusyLoop(File.ReadAllText(s), 60_000_000));
        string baseline = _work.Link("baseline", s), slower = _work.Link("slower", slow);
        var r = TimingProtocol.Compare(baseline, slower, new TimingWorkload([]), new TimingOptions { Pairs = 10 });
        Assert.True(r.Verdict == TimingVerdict.Slower, Describe(r));
        Assert.True(r.CiHigh < 1.0, Describe(r));
        Assert.True(r.Speedup < 0.9, Describe(r));
        Assert.Equal(10, r.Pairs.Count);
        Assert.Equal([true, false, true, false], r.Pairs.Take(4).Select(p => p.BaselineFirst).ToArray());
        Assert.True(r.Pairs.Select(p => p.Padding).Distinct().Count() == 10, "every pair runs with its own stack padding");
    }

    [Fact]
    public void IdenticalBinariesGiveNoMeasurableChange()
    {
        string s = _work.CompileToAssembly("kernel", Kernel);
        string a = _work.Link("a", s);
        string b = _work.File("b-with-a-longer-path-name");
        File.Copy(a, b);
        var r = TimingProtocol.Compare(a, b, new TimingWorkload([]), new TimingOptions { Pairs = 12 });
        Assert.True(r.Verdict == TimingVerdict.NoMeasurableChange, Describe(r));
        Assert.InRange(r.Speedup, 0.9, 1.1);
    }

    [Fact]
    public void TheBootstrapIntervalIsReproducibleAndContainsTheMedian()
    {
        double[] ratios = [1.01, 0.99, 1.02, 1.0, 0.98, 1.03, 1.0, 1.01, 0.97, 1.02];
        var first = TimingProtocol.BootstrapMedianInterval(ratios, 4000, 7);
        var again = TimingProtocol.BootstrapMedianInterval(ratios, 4000, 7);
        Assert.Equal(first, again);
        double median = TimingProtocol.Median(ratios);
        Assert.InRange(median, first.Low, first.High);
        Assert.Equal(TimingVerdict.NoMeasurableChange, TimingProtocol.Verdict(median, first.Low, first.High, 0.02));
    }

    [Theory]
    [InlineData(0.80, 0.75, 0.85, TimingVerdict.Slower)]
    [InlineData(1.20, 1.10, 1.30, TimingVerdict.Faster)]
    [InlineData(0.95, 0.90, 1.01, TimingVerdict.NoMeasurableChange)] // interval contains 1.0
    [InlineData(1.01, 1.005, 1.015, TimingVerdict.NoMeasurableChange)] // excludes 1.0 but within the 2% margin
    [InlineData(1.05, 1.01, 1.09, TimingVerdict.NoMeasurableChange)] // the interval reaches into the margin
    [InlineData(0.95, 0.92, 0.979, TimingVerdict.Slower)]
    public void TheVerdictNeedsTheWholeIntervalBeyondTheMargin(double speedup, double low, double high, TimingVerdict expected) =>
        Assert.Equal(expected, TimingProtocol.Verdict(speedup, low, high, 0.02));

    [Fact]
    public void ADisturbedPairCountsItsCpuTimeRatio()
    {
        var calm = new TimedPair(0, 0, true, new TimedRun(1.00, 0.99, 0), new TimedRun(0.50, 0.49, 0));
        var disturbed = calm with { Optimized = new TimedRun(2.00, 0.49, 0), Disturbed = true };
        Assert.Equal(2.0, calm.Speedup, 6);
        Assert.Equal(0.5, disturbed.WallSpeedup, 6);
        Assert.Equal(0.99 / 0.49, disturbed.Speedup, 6);
    }

    [Fact]
    public void FewerThanTenPairsAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TimingProtocol.Compare("/bin/true", "/bin/true", new TimingWorkload([]), new TimingOptions { Pairs = 3 }));

    private static string Describe(TimingResult r) =>
        $"speedup {r.Speedup:F4} [{r.CiLow:F4}, {r.CiHigh:F4}] {r.Verdict}; disturbed {r.DisturbedPairs}, repeated {r.RepeatedPairs}; wall {r.WallSpeedup:F4}, cpu {r.CpuSpeedup:F4}; base {r.BaselineMedianSeconds:F3} s, opt {r.OptimizedMedianSeconds:F3} s; " +
        string.Join(" ", r.Pairs.Select(p => p.Speedup.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>Timing tests run alone, after the parallel tests: our own compilers and valgrind runs must not be the noise.</summary>
[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection;
