using System.CommandLine;
using System.Globalization;
using CompilerLLM.Lab.Variants;
using CompilerLLM.Timing;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Cli;

/// <summary><c>compilerllm variants SUITE</c>: the variant dataset of the development suite (docs/variants.md).</summary>
internal static class VariantsCommand
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite") { Description = "The development suite folder (one folder per program with a suite.json)" };
        var programs = new Option<string?>("--programs") { Description = "Only these programs (comma-separated)" };
        var variants = new Option<string?>("--variants") { Description = "Variants to measure (comma-separated; default: every speed variant). base is always measured" };
        var rounds = new Option<int>("--rounds") { Description = "Timing rounds per program", DefaultValueFactory = _ => 7 };
        var output = new Option<string>("--out") { Description = "The dataset (or, with --assignments, the results) JSON; an existing one is resumed", Required = true };
        var copy = new Option<string?>("--copy-to") { Description = "Also write every version of the output here (atomically)" };
        var cache = new Option<string>("--cache") { Description = "Object cache and work folder", DefaultValueFactory = _ => Path.Combine(".cache", "variants") };
        var assignments = new Option<string?>("--assignments") { Description = "Measure the methods' per-unit choices of this file (compilerllm.variant-assignments/1) instead" };
        var noAa = new Option<bool>("--no-aa") { Description = "Do not time a second copy of base (the A/A noise figure)" };
        var stopAfter = new Option<string?>("--stop-after") { Description = "Start no new program after this UTC time (HH:MM)" };
        var margin = new Option<double>("--margin") { Description = "Noise margin of the verdicts (fraction)", DefaultValueFactory = _ => 0.02 };
        var jobs = new Option<int>("--jobs") { Description = "Parallel unit compiles", DefaultValueFactory = _ => 2 };
        var attempts = new Option<int>("--attempts") { Description = "Runs of a build per round before one that waited for the core is kept (its round then compares CPU times)", DefaultValueFactory = _ => 2 };
        var niceness = new Option<int>("--nice") { Description = "Niceness of the timed runs (e.g. -20 as root on a loaded machine: fewer preemptions of the measured program)", DefaultValueFactory = _ => 0 };
        var core = new Option<int?>("--core") { Description = "The core timed runs are pinned to (default: the last one)" };
        var merge = new Option<string?>("--merge") { Description = "Measure nothing: write to --out the programs of these outputs of other runs (comma-separated datasets, or with --assignments their results), e.g. two runs at once on two cores" };
        var order = new Option<string>("--order") { Description = "name | fast-first (cheapest first, by source bytes and the manifest's baseline CPU seconds: more programs measured when time is short)", DefaultValueFactory = _ => "name" };
        var command = new Command("variants", "Measure each compile variant's speedup over -O3 on every program of the development suite and write the variant dataset")
        {
            suite, programs, variants, rounds, output, copy, cache, assignments, noAa, stopAfter, margin, jobs, attempts, order, niceness, core, merge,
        };
        command.SetAction(parse => CliErrors.Guard(() => parse.GetValue(merge) is { } parts
            ? Merge(parts, parse.GetValue(assignments) is not null, parse.GetValue(output)!)
            : Run(parse.GetValue(suite)!, parse.GetValue(programs), parse.GetValue(variants), parse.GetValue(rounds),
            parse.GetValue(output)!, parse.GetValue(copy), parse.GetValue(cache)!, parse.GetValue(assignments), parse.GetValue(noAa), parse.GetValue(stopAfter),
            parse.GetValue(margin), parse.GetValue(jobs), parse.GetValue(attempts), parse.GetValue(order)!, parse.GetValue(niceness), parse.GetValue(core))));
        return command;
    }

    /// <summary><c>--merge</c>: the programs of several runs' outputs in one, and its summary.</summary>
    private static int Merge(string parts, bool assignments, string output)
    {
        string[] files = parts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (files.FirstOrDefault(f => !File.Exists(f)) is { } absent) return CliErrors.Fail($"--merge: {absent} does not exist");
        try
        {
            if (assignments)
            {
                var results = AssignmentResults.Merge([.. files.Select(f => AssignmentResults.TryRead(f) ?? throw new InvalidDataException($"{f}: not assignment results"))]);
                results.Write(output);
                Console.Write(VariantSummary.Markdown(VariantSummary.Rows(results)));
                Console.WriteLine($"variants: {results.Programs.Count} programs' assignment results in {output}");
                return 0;
            }
            var dataset = VariantDataset.Merge([.. files.Select(VariantDataset.Load)]);
            dataset.Write(output);
            Console.Write(VariantSummary.Markdown(VariantSummary.Rows(dataset)));
            Console.WriteLine($"variants: {dataset.Programs.Count} programs in {output}");
            return 0;
        }
        catch (InvalidDataException e)
        {
            return CliErrors.Fail($"--merge: {e.Message}");
        }
    }

    /// <summary>A rough cost of measuring a program: five compiles of its sources (~40 s per 100 kB on a loaded VM) and ~30 timed runs.</summary>
    private static double EstimatedSeconds(SuiteProgram p) => p.SourceBytes() / 100_000.0 * 40 + p.BaselineCpuSeconds * 30;

    private static int Run(string suitePath, string? only, string? variantList, int rounds, string output, string? copyTo, string cache,
        string? assignmentsPath, bool noAa, string? stopAfter, double margin, int jobs, int attempts, string order, int niceness, int? core)
    {
        if (!Directory.Exists(suitePath)) return CliErrors.Fail($"{suitePath}: the suite folder does not exist");
        if (rounds < TimingOptions.MinimumRounds) return CliErrors.Fail($"--rounds must be at least {TimingOptions.MinimumRounds}");
        var chosen = new List<CompileVariant>();
        foreach (string name in (variantList ?? string.Join(',', VariantFeatures.Variants.Select(v => v.Name))).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (VariantTable.Find(name) is not { } v) return CliErrors.Fail($"--variants: unknown variant '{name}' (known: {string.Join(", ", VariantTable.All.Select(x => x.Name))})");
            chosen.Add(v);
        }
        DateTime? stop = null;
        if (stopAfter is not null)
        {
            if (!TimeOnly.TryParseExact(stopAfter, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return CliErrors.Fail("--stop-after: expected HH:MM");
            stop = DateTime.UtcNow.Date + t.ToTimeSpan();
        }
        var all = SuiteProgram.Discover(suitePath, w => Console.Error.WriteLine($"compilerllm: warning: {w}"));
        var selected = SuiteProgram.Select(all, only, out var missing);
        if (missing.Count > 0)
            return CliErrors.Fail($"--programs: not in the suite: {string.Join(", ", missing)}");
        if (order == "fast-first") selected = [.. selected.OrderBy(EstimatedSeconds).ThenBy(p => p.Name, StringComparer.Ordinal)];
        else if (order != "name") return CliErrors.Fail("--order: expected name or fast-first");
        if (selected.Count == 0) return CliErrors.Fail($"{suitePath}: no program folders with a {SuiteProgram.ManifestName}");

        var options = new VariantHarnessOptions
        {
            Variants = [VariantTable.Base, .. chosen.Where(v => v != VariantTable.Base)],
            Timing = new TimingOptions { Rounds = rounds, NoiseMargin = margin, AttemptsPerRun = Math.Max(1, attempts), Niceness = niceness, Core = core },
            CacheDirectory = cache, MeasureAa = !noAa, Parallelism = Math.Max(1, jobs), StopAfter = stop, CopyTo = copyTo,
        };
        var harness = new VariantHarness(ToolchainOptions.Default, options, Console.WriteLine);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (assignmentsPath is not null)
        {
            var results = harness.MeasureAssignments(selected, AssignmentFile.Read(assignmentsPath), output);
            if (results.Programs.Count > 0) Console.Write(VariantSummary.Markdown(VariantSummary.Rows(results)));
            Console.WriteLine($"variants: {results.Programs.Count} programs measured in {clock.Elapsed.TotalMinutes:F1} min → {output}");
            return 0;
        }
        var dataset = harness.Measure(selected, output);
        Console.WriteLine();
        Console.Write(VariantSummary.Markdown(VariantSummary.Rows(dataset)));
        if (dataset.AaNoise is { } aa)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"A/A noise: median |log ratio| {aa.MedianAbsLogRatio:F4}, p90 {aa.P90AbsLogRatio:F4} over {aa.Programs} programs"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"variants: {dataset.Programs.Count} programs in {output} ({clock.Elapsed.TotalMinutes:F1} min this run)"));
        return 0;
    }
}
