using System.Globalization;
using CompilerLLM.Tests.Measurement;
using CompilerLLM.Timing;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Timing;

/// <summary>
/// The engine's timing protocol on real programs of three objects, relinked every round with the round's layout. A
/// copy of the base (A/A) must clear no margin; a build with a busy loop injected (about half the kernel's time
/// again, far above the noise of this shared VM) must be measured as slower.
/// </summary>
[Collection(nameof(TimingCollection))]
public sealed class InterleavedTimingTests : IDisposable
{
    private readonly MeasurementWorkspace _work = new();
    private readonly Gcc _gcc = new(ToolchainOptions.Default);

    public void Dispose() => _work.Dispose();

    private const string Main = """
        #include <stdio.h>
        unsigned kernel(unsigned seed);
        unsigned helper(unsigned x);
        static volatile unsigned seed = 12345;
        int main(void) { printf("%u\n", helper(kernel(seed))); return 0; }
        """;

    private const string Kernel = """
        unsigned kernel(unsigned x) {
            unsigned acc = 0;
            for (unsigned i = 0; i < 30000000u; i++) { x = x * 1103515245u + 12345u; acc += x >> 16; }
            return acc;
        }
        """;

    private const string Helper = "unsigned helper(unsigned x) { return x ^ 0x5a5a5a5au; }\n";

    private string Object(string name, string assembly)
    {
        string obj = _work.File(name + ".o");
        var r = _gcc.Assemble(assembly, [], obj);
        Assert.True(r.Succeeded, r.StandardError);
        return obj;
    }

    private LinkCommand LinkOf(string kernelObject) =>
        LinkCommand.Of([Object("main", _work.CompileToAssembly("main", Main)), kernelObject, Object("helper", _work.CompileToAssembly("helper", Helper))],
            ["-Wl,--gc-sections"], _work.File(""));

    [Fact]
    public void ASlowerBuildIsDetectedAndACopyOfTheBaseClearsNoMargin()
    {
        string kernel = _work.CompileToAssembly("kernel", Kernel);
        string slow = _work.Write("slow.s", InjectBusyLoop(File.ReadAllText(kernel), 60_000_000));
        var baseLink = LinkOf(Object("kernel", kernel));
        TimedBuild[] builds = [new RelinkedBuild("base", baseLink), new RelinkedBuild("slow", LinkOf(Object("kernel-slow", slow))), new RelinkedBuild("copy", baseLink)];
        var options = new TimingOptions { Rounds = 9 };
        var outcome = new InterleavedTiming(_gcc, options).Measure(builds, TimedWorkload.Direct([]) with { ExpectedExitCode = 0 }, _work.File("timing"));

        Assert.Equal(9, outcome.Rounds.Count);
        Assert.Equal(1.0, outcome["base"].Ratio, 12);
        Assert.True(outcome["slow"].Verdict == TimingVerdict.Slower, Describe(outcome));
        Assert.True(outcome["slow"].High < 1.0 && outcome["slow"].Ratio < 0.9, Describe(outcome));
        Assert.True(outcome["copy"].Verdict == TimingVerdict.NoMeasurableChange, Describe(outcome));
        Assert.InRange(outcome["copy"].Ratio, 0.9, 1.1);
        Assert.All(outcome.Builds, b => Assert.Equal(9, b.LogRatios.Count));
        Assert.True(outcome.Rounds.Select(r => r.Layout.TextPadding).Distinct().Count() > 4, "each round has its own code padding");
    }

    [Fact]
    public void TheCodePaddingMovesEveryFunctionEvenWithGarbageCollectedSections()
    {
        var link = LinkOf(Object("kernel", _work.CompileToAssembly("kernel", Kernel)));
        long Address(int padding, string symbol)
        {
            var layout = new RoundLayout(0, 0, padding, null, [0]);
            string exe = _work.File($"padded-{padding}");
            var r = new Gcc(ToolchainOptions.Default, link.WorkingDirectory).Invoke([.. link.ArgumentsUnder(layout, CodePadding.ObjectFor(_gcc, padding, _work.File("pad"))), "-o", exe]);
            Assert.True(r.Succeeded, r.StandardError);
            var nm = ProcessRunner.Run(new ProcessSpec("nm", [exe]));
            string line = nm.StandardOutput.Split('\n').Single(l => l.EndsWith(" " + symbol, StringComparison.Ordinal));
            return long.Parse(line.Split(' ')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        foreach (string symbol in new[] { "main", "kernel", "helper" })
        {
            Assert.Equal(256, Address(256, symbol) - Address(0, symbol));
            Assert.Equal(1024 + 48, Address(1024 + 48, symbol) - Address(0, symbol));
        }
    }

    [Fact]
    public void AShuffledLinkStillBuildsTheSameProgram()
    {
        var link = LinkOf(Object("kernel", _work.CompileToAssembly("kernel", Kernel)));
        var outputs = LayoutPlan.Create(new TimingOptions { Rounds = 4 }, 1).Select(layout =>
        {
            string exe = _work.File($"shuffled-{layout.Round}");
            var r = new Gcc(ToolchainOptions.Default, link.WorkingDirectory).Invoke([.. link.ArgumentsUnder(layout, CodePadding.ObjectFor(_gcc, layout.TextPadding, _work.File("pad"))), "-o", exe]);
            Assert.True(r.Succeeded, r.StandardError);
            return UserProgram.Run(exe).StandardOutput;
        }).ToList();
        Assert.Single(outputs.Distinct());
    }

    [Fact]
    public void ANegativeNicenessIsGivenToTheProgramsOwnSchedulerGroupWhenPermitted()
    {
        // The probe exits with 0 only when both its own niceness and its autogroup's are -20.
        const string Probe = """
            #include <stdio.h>
            #include <sys/resource.h>
            int main(void) {
                int group = 99; FILE *f = fopen("/proc/self/autogroup", "r");
                if (f) { if (fscanf(f, "/autogroup-%*d nice %d", &group) != 1) group = 99; fclose(f); }
                return getpriority(PRIO_PROCESS, 0) + 20 == 0 && group == -20 ? 0 : 1;
            }
            """;
        string exe = _work.Link("probe", _work.Write("probe.c", Probe));
        var run = PinnedRunner.Run(exe, [], null, null, 0, 0, TimeSpan.FromSeconds(30), null, niceness: -20);
        bool root = Environment.UserName == "root";
        Assert.Equal(root ? 0 : 1, run.ExitCode);
        Assert.Equal(1, PinnedRunner.Run(exe, [], null, null, 0, 0, TimeSpan.FromSeconds(30)).ExitCode); // no niceness asked: ours
    }

    /// <summary>The kernel with a busy loop of <paramref name="iterations"/> dec/jnz at its entry.</summary>
    private static string InjectBusyLoop(string assembly, int iterations)
    {
        int at = assembly.IndexOf("kernel:\n", StringComparison.Ordinal);
        Assert.True(at >= 0);
        at += "kernel:\n".Length;
        return assembly[..at] + $"\tmovl\t${iterations}, %ecx\n.Lbusy:\n\tdecl\t%ecx\n\tjne\t.Lbusy\n" + assembly[at..];
    }

    private static string Describe(TimingOutcome o) =>
        string.Join("; ", o.Builds.Select(b => string.Create(CultureInfo.InvariantCulture,
            $"{b.Name} {b.Ratio:F4} [{b.Low:F4}, {b.High:F4}] {b.Verdict} ({string.Join(" ", b.LogRatios.Select(l => l.ToString("F3", CultureInfo.InvariantCulture)))})")))
        + string.Create(CultureInfo.InvariantCulture, $"; load {o.LoadAverageStart:F2}->{o.LoadAverageEnd:F2}, disturbed {o.DisturbedRuns}");
}
