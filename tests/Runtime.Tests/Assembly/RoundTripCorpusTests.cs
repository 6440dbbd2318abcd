using System.Text.RegularExpressions;
using CompilerLLM.Assembly;
using CompilerLLM.Tests.TestSupport;
using Xunit.Abstractions;

using CompilerLLM.Toolchain;

using CompilerLLM.Lab.RoundTrip;

namespace CompilerLLM.Tests.Assembly;

/// <summary>
/// The model's central promise: for every file of the corpus, printing every modelled
/// instruction through Iced's formatter and re-assembling gives an object identical to GAS's
/// (sections, relocations, symbols), and the only lines kept verbatim are the ones we know
/// cannot be modelled.
/// </summary>
public sealed partial class RoundTripCorpusTests(ITestOutputHelper output)
{
    // TLS general-dynamic padding (data16 lea / .value 0x6666 / rex64) is the one construct Iced cannot
    // reproduce byte for byte; everything else GCC emits for C must be modelled.
    [GeneratedRegex(@"^\s*(data16\s+leaq\s+\S+@tlsgd\(%rip\), %rdi|\.value\s+0x6666|rex64|call\s+__tls_get_addr@PLT)\s*$")]
    private static partial Regex ExpectedVerbatim();

    [Theory]
    [MemberData(nameof(TestCorpus.FlagSetNames), MemberType = typeof(TestCorpus))]
    public void EveryFileRoundTripsExactly(string flagSet)
    {
        var files = TestCorpus.Assembly(TestCorpus.FlagSet(flagSet));
        var results = new RoundTripResult[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = RoundTripCheck.Run(files[i]));

        var failures = results.Where(r => !r.Identical)
            .Select(r => $"{r.File}: {r.Error ?? string.Join("; ", r.Differences)}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        long instructions = results.Sum(r => r.Instructions), verbatim = results.Sum(r => r.Verbatim);
        output.WriteLine($"{flagSet}: {files.Count} files, {instructions} instructions modeled, {verbatim} verbatim, 0 mismatches");
        Assert.All(results, r => Assert.True(r.Instructions > 0, $"{r.File} modeled no instruction"));
    }

    [Theory]
    [MemberData(nameof(TestCorpus.FlagSetNames), MemberType = typeof(TestCorpus))]
    public void OnlyKnownConstructsStayVerbatim(string flagSet)
    {
        var unexpected = new List<string>();
        foreach (var path in TestCorpus.Assembly(TestCorpus.FlagSet(flagSet)))
        {
            var file = AsmReader.ReadFile(path);
            foreach (var d in file.Diagnostics)
            {
                if (!ExpectedVerbatim().IsMatch(d.Text)) unexpected.Add(d.ToString());
            }
        }
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Take(50)));
    }
}
