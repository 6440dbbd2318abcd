using System.CommandLine;
using System.Globalization;
using CompilerLLM.Lab.Variants;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Cli;

/// <summary><c>compilerllm size SUITE</c>: the size objective against -O3, -Os and -Oz on the development suite (docs/variants.md).</summary>
internal static class SizeCommand
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite") { Description = "The development suite folder (one folder per program with a suite.json)" };
        var programs = new Option<string?>("--programs") { Description = "Only these programs (comma-separated)" };
        var policy = new Option<string>("--policy") { Description = "The rewrite policy applied on top of the size objective's variants, as CompilerLlmPolicy: default | all | none | PATH.onnx", DefaultValueFactory = _ => "default" };
        var output = new Option<string>("--out") { Description = "The results JSON (compilerllm.size-results/1), written after every program; programs it already holds are kept and not measured again", Required = true };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the tables as Markdown here" };
        var cache = new Option<string>("--cache") { Description = "Object cache and work folder", DefaultValueFactory = _ => Path.Combine(".cache", "size") };
        var jobs = new Option<int>("--jobs") { Description = "Parallel unit compiles", DefaultValueFactory = _ => 2 };
        var command = new Command("size", "Build every program of the development suite at -O3, -Os, -Oz and with the size objective (variants, then rewrites), check each, and compare .text bytes")
        {
            suite, programs, policy, output, markdown, cache, jobs,
        };
        command.SetAction(parse => CliErrors.Guard(() => Run(parse.GetValue(suite)!, parse.GetValue(programs), parse.GetValue(policy)!,
            parse.GetValue(output)!, parse.GetValue(markdown), parse.GetValue(cache)!, parse.GetValue(jobs))));
        return command;
    }

    private static int Run(string suitePath, string? only, string policyText, string output, string? markdown, string cache, int jobs)
    {
        if (!Directory.Exists(suitePath)) return CliErrors.Fail($"{suitePath}: the suite folder does not exist");
        if (!PolicyRequest.TryParse(policyText, Environment.CurrentDirectory, out var request, out string? policyError))
            return CliErrors.Fail("--policy: " + policyError);
        var all = SuiteProgram.Discover(suitePath, w => Console.Error.WriteLine($"compilerllm: warning: {w}"));
        var selected = SuiteProgram.Select(all, only, out var missing);
        if (missing.Count > 0)
            return CliErrors.Fail($"--programs: not in the suite: {string.Join(", ", missing)}");
        if (selected.Count == 0) return CliErrors.Fail($"{suitePath}: no program folders with a {SuiteProgram.ManifestName}");

        using var loaded = request.Load();
        var harness = new SizeHarness(ToolchainOptions.Default,
            new SizeHarnessOptions { Policy = loaded, CacheDirectory = cache, Parallelism = Math.Max(1, jobs) }, Console.WriteLine);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = harness.Measure(selected, output);
        string table = results.Markdown();
        if (markdown is not null) results.WriteMarkdown(markdown);
        Console.WriteLine();
        Console.Write(table);
        var size = results.Summary.FirstOrDefault(r => r.Build == SizeHarness.Size);
        int failed = results.Programs.Sum(p => p.Builds.Values.Count(b => !b.Passed));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"size: {results.Programs.Count} programs, size objective .text {size?.TextVsOs ?? double.NaN:F4}x of -Os (geomean), {failed} build(s) not built, linked or passing → {output} ({clock.Elapsed.TotalMinutes:F1} min)"));
        return failed == 0 && selected.All(p => results.Programs.Any(r => r.Name == p.Name)) ? 0 : 1;
    }
}
