using CompilerLLM.Lab.Measurement;
using CompilerLLM.Timing;

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
        var r = TimingProtocol.Compare(baseline, slower, new TimingWorkload([]), new EvalTimingOptions { Pairs = 10 });
        Assert.True(r.Verdict == TimingVerdict.Slower, Describe(r));
        Assert.True(r.CiHigh < 1.0, Describe(r));
        Assert.True(r.Speedup < 0.9, Describe(r));
        Assert.Equal(10, r.Pairs.Count);
        Assert.Contains(r.Pairs, p => p.BaselineFirst);
        Assert.Contains(r.Pairs, p => !p.BaselineFirst);
        Assert.True(r.Pairs.Select(p => p.Padding).Distinct().Count() >= 9, "every pair runs with its own random stack padding");
    }

    [Fact]
    public void IdenticalBinariesGiveNoMeasurableChange()
    {
        string s = _work.CompileToAssembly("kernel", Kernel);
        string a = _work.Link("a", s);
        string b = _work.File("b-with-a-longer-path-name");
        File.Copy(a, b);
        var r = TimingProtocol.Compare(a, b, new TimingWorkload([]), new EvalTimingOptions { Pairs = 12 });
        Assert.True(r.Verdict == TimingVerdict.NoMeasurableChange, Describe(r));
        Assert.InRange(r.Speedup, 0.9, 1.1);
    }

    [Fact]
    public void FewerThanTenPairsAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TimingProtocol.Compare("/bin/true", "/bin/true", new TimingWorkload([]), new EvalTimingOptions { Pairs = 3 }));

    private static string Describe(TimingResult r) =>
        $"speedup {r.Speedup:F4} [{r.CiLow:F4}, {r.CiHigh:F4}] {r.Verdict}; disturbed {r.DisturbedPairs}, repeated {r.RepeatedPairs}; wall {r.WallSpeedup:F4}, cpu {r.CpuSpeedup:F4}; base {r.BaselineMedianSeconds:F3} s, opt {r.OptimizedMedianSeconds:F3} s; " +
        string.Join(" ", r.Pairs.Select(p => p.Speedup.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>Timing tests run alone, after the parallel tests: our own compilers and valgrind runs must not be the noise.</summary>
[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection;
