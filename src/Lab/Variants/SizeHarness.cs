using System.Globalization;
using System.Text;
using System.Text.Json;
using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Lab.Variants;

/// <summary>Settings of <see cref="SizeHarness"/>.</summary>
public sealed record SizeHarnessOptions
{
    /// <summary>The flags every build starts from, after the manifest's own (the speed measurements' base): "the user's flags".</summary>
    public IReadOnlyList<string> BaseFlags { get; init; } = ["-O3"];

    /// <summary>The rewrite policy the size objective's build applies on top of its variants, as the package does (its default: the shipped model).</summary>
    public required LoadedPolicy Policy { get; init; }

    /// <summary>Object cache and work folders (<c>.cache/size</c>).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Parallel unit compiles.</summary>
    public int Parallelism { get; init; } = 2;
}

/// <summary>One build of a program: code bytes and whether its workload gave the expected output.</summary>
/// <param name="TextBytes">Size of the linked executable's <c>.text</c> section (0: not built or not linked).</param>
/// <param name="ObjectCodeBytes">Bytes of code (every executable section) of the program's own objects, summed: what the objective controls (0: not built).</param>
/// <param name="Passed">The workload's standard output and exit code are the expected ones.</param>
/// <param name="Failure">Why it did not pass (null when it did).</param>
public sealed record SizeBuild(long TextBytes, long ObjectCodeBytes, bool Passed, string? Failure = null);

/// <summary>Rewrites of one rule in a program's size-objective build: how many, and the bytes they saved (negative: grew).</summary>
public sealed record RuleTally(int Applied, int BytesSaved);

/// <summary>
/// One program: every build by name (<see cref="SizeHarness.Builds"/>), how many units the size objective put on each
/// variant, and what the rewrites on top did (rewrites applied, their summed byte saving as the engine counts it, per
/// rule too, and units that fell back to GCC's object).
/// </summary>
public sealed record SizeProgramRecord(
    string Name, string Package, int Units, IReadOnlyDictionary<string, SizeBuild> Builds, IReadOnlyDictionary<string, int> Chosen,
    int Rewrites, int RewriteBytesSaved, int Fallbacks, IReadOnlyDictionary<string, RuleTally> RewritesByRule);

/// <summary>
/// One build over the suite: geometric means of the per-program ratios to -Os (linked <c>.text</c> and the objects'
/// code) over the <paramref name="Programs"/> programs where both were linked, how many of those passed their check,
/// and the programs where this build could not be built or linked (<paramref name="NotLinked"/>).
/// </summary>
public sealed record SizeSummaryRow(
    string Build, int Programs, int Passed, double TextVsOs, double ObjectsVsOs, int TextAtOrBelowOs, double WorstTextVsOs, string WorstProgram,
    IReadOnlyList<string> NotLinked);

/// <summary>The size measurement (<c>compilerllm.size-results/1</c>).</summary>
public sealed record SizeResults(
    string Schema, string BaseFlags, string Policy, string Date, IReadOnlyList<SizeProgramRecord> Programs, IReadOnlyList<SizeSummaryRow> Summary)
{
    public const string SchemaName = "compilerllm.size-results/1";

    /// <summary>Writes <paramref name="path"/> atomically.</summary>
    public void Write(string path) => VariantDataset.WriteAtomically(path, JsonSerializer.Serialize(this, VariantDataset.Json) + "\n");

    /// <summary>Writes <see cref="Markdown"/> to <paramref name="path"/> atomically.</summary>
    public void WriteMarkdown(string path) => VariantDataset.WriteAtomically(path, Markdown());

    /// <summary>The results at <paramref name="path"/>.</summary>
    public static SizeResults Read(string path) =>
        JsonSerializer.Deserialize<SizeResults>(File.ReadAllText(path), VariantDataset.Json) ?? throw new JsonException($"{path}: empty");

    /// <summary>The results at <paramref name="path"/>, or null when there are none or they cannot be read.</summary>
    public static SizeResults? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? Read(path) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The per-program table and the summary, as Markdown.</summary>
    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append("| program | units | " + string.Join(" | ", SizeHarness.Builds.Select(b => $"{b} .text")) + " | size vs -Os | tests | chosen (units) | rewrites (bytes saved) |\n");
        sb.Append("|---|---|" + string.Concat(SizeHarness.Builds.Select(_ => "---|")) + "---|---|---|---|\n");
        foreach (var p in Programs)
        {
            var size = p.Builds.GetValueOrDefault(SizeHarness.Size);
            var os = p.Builds.GetValueOrDefault(SizeHarness.Os);
            string ratio = size is { TextBytes: > 0 } && os is { TextBytes: > 0 } ? string.Create(CultureInfo.InvariantCulture, $"{(double)size.TextBytes / os.TextBytes:F4}") : "—";
            int failed = p.Builds.Values.Count(b => !b.Passed);
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"| {p.Name} | {p.Units} | "))
              .Append(string.Join(" | ", SizeHarness.Builds.Select(b => !p.Builds.TryGetValue(b, out var m) ? "—" : m.TextBytes == 0 ? "not linked ✗" : m.TextBytes.ToString(CultureInfo.InvariantCulture) + (m.Passed ? "" : " ✗"))))
              .Append(string.Create(CultureInfo.InvariantCulture, $" | {ratio} | {(failed == 0 ? "all pass" : $"{failed} failed")} | "))
              .Append(string.Join(", ", p.Chosen.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")))
              .Append(string.Create(CultureInfo.InvariantCulture, $" | {p.Rewrites} ({p.RewriteBytesSaved}) |\n"));
        }
        sb.Append('\n').Append("| build | programs | tests passed | geomean .text vs -Os | geomean objects' code vs -Os | .text at or below -Os | largest .text vs -Os | not built or linked |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var r in Summary)
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Build} | {r.Programs} | {r.Passed} | {r.TextVsOs:F4} | {r.ObjectsVsOs:F4} | {r.TextAtOrBelowOs} | {r.WorstTextVsOs:F4} ({r.WorstProgram}) | {(r.NotLinked.Count == 0 ? "—" : string.Join(", ", r.NotLinked))} |\n"));
        foreach (var p in Programs)
            foreach (var (build, m) in p.Builds.Where(b => b.Value.Failure is not null).OrderBy(b => b.Key, StringComparer.Ordinal))
                sb.Append($"\n- {p.Name}, {build}: {m.Failure}");
        if (Programs.Any(p => p.Builds.Values.Any(b => b.Failure is not null))) sb.Append('\n');
        return sb.ToString();
    }
}

/// <summary>
/// <c>compilerllm size</c>: per program of the development suite, deterministic builds compared by code size, each
/// linked and checked against the expected output:
/// <list type="bullet">
/// <item><c>O3</c>: the manifest's flags and -O3 (the speed measurements' base, "the user's flags" here);</item>
/// <item><c>Os</c>, <c>Oz</c>: -Os or -Oz on top of them for every unit (<see cref="VariantCompiler"/>, as for speed);</item>
/// <item><c>size-variants</c>: the engine's size objective alone, through the package's own code path
/// (<see cref="UnitBuilder.Compile"/>, then <see cref="UnitBuilder.ChooseVariant"/> with <see cref="VariantObjective.Size"/>):
/// per unit the variant with the fewest code bytes;</item>
/// <item><c>size</c>: what the package builds with <c>CompilerLlmObjective=size</c>: those variants, then the rewrites
/// (<see cref="UnitBuilder.Optimize(TranslationUnit, OptimizerOptions, UnitCache?, VariantDecision?)"/> with the policy, from the chosen variant).</item>
/// </list>
/// No timing: every number is a byte count, the same on every run.
/// </summary>
public sealed class SizeHarness(ToolchainOptions toolchain, SizeHarnessOptions options, Action<string> log)
{
    public const string O3 = "O3", Os = "Os", Oz = "Oz", SizeVariants = "size-variants", Size = "size";

    /// <summary>The builds, in table order.</summary>
    public static IReadOnlyList<string> Builds { get; } = [O3, Os, Oz, SizeVariants, Size];

    private readonly VariantCompiler _compiler = new(toolchain, options.CacheDirectory, options.BaseFlags, options.Parallelism);
    private readonly SuiteCheck _check = new(toolchain, options.BaseFlags);

    /// <summary>
    /// Measures every program (a program whose -O3 build fails its check is left out, and said so). With
    /// <paramref name="output"/>, the results are written there after every program (atomically), and programs the
    /// file already holds with the same base flags are kept as they are and not measured again.
    /// </summary>
    public SizeResults Measure(IReadOnlyList<SuiteProgram> programs, string? output = null)
    {
        var previous = output is null ? null : SizeResults.TryRead(output);
        var records = previous is not null && previous.BaseFlags == string.Join(' ', options.BaseFlags) && previous.Policy == options.Policy.Identity
            ? previous.Programs.ToList() : [];
        var done = records.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        if (done.Count > 0) log($"resuming: {done.Count} programs already in {output}");
        int index = 0;
        foreach (var program in programs)
        {
            index++;
            if (done.Contains(program.Name)) continue;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            log($"[{index}/{programs.Count}] {program.Name}: {program.Units.Count} units");
            var record = MeasureProgram(program);
            if (record is null) continue;
            records.Add(record);
            if (output is not null) Results(records).Write(output);
            var os = record.Builds.GetValueOrDefault(Os) is { TextBytes: > 0 } linkedOs ? linkedOs : null;
            string Describe(string b, SizeBuild m) => string.Create(CultureInfo.InvariantCulture,
                $"{b} {m.TextBytes}{(m.Passed ? "" : " FAILED")}{(os is null ? "" : $" ({(double)m.TextBytes / os.TextBytes:F3})")}");
            log("  " + string.Join("  ", Builds.Where(record.Builds.ContainsKey).Select(b => Describe(b, record.Builds[b])))
                + string.Create(CultureInfo.InvariantCulture, $"  ({clock.Elapsed.TotalSeconds:F0} s)"));
        }
        var results = Results(records);
        if (output is not null) results.Write(output);
        return results;
    }

    /// <summary>The results of these programs, in name order, with their summary.</summary>
    private SizeResults Results(List<SizeProgramRecord> records)
    {
        var ordered = records.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        return new SizeResults(SizeResults.SchemaName, string.Join(' ', options.BaseFlags), options.Policy.Identity,
            DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), ordered, Summarize(ordered));
    }

    /// <summary>One program's builds, or null when its -O3 build does not build or fails its check.</summary>
    public SizeProgramRecord? MeasureProgram(SuiteProgram program)
    {
        string work = Path.Combine(Path.GetFullPath(options.CacheDirectory), "work", program.Name);
        var objects = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, variant) in new[] { (O3, VariantTable.Base), (Os, VariantTable.Find("os")!), (Oz, VariantTable.Find("oz")!) })
        {
            var (units, failure) = _compiler.CompileAll(program, work, variant, null);
            if (units is null) failures[name] = failure ?? "failed";
            else objects[name] = [.. units.Select(u => u.Object)];
        }
        var objective = BuildWithObjective(program, Path.Combine(work, "objective"));
        if (objective.Failure is { } why) failures[SizeVariants] = failures[Size] = why;
        else
        {
            objects[SizeVariants] = objective.VariantObjects!;
            objects[Size] = objective.OptimizedObjects!;
        }

        var builds = new Dictionary<string, SizeBuild>(StringComparer.Ordinal);
        foreach (string name in Builds)
        {
            if (!objects.TryGetValue(name, out var objs))
            {
                log($"  {program.Name}: {name} does not build: {failures[name]}");
                builds[name] = new SizeBuild(0, 0, false, "does not build: " + failures[name]);
                continue;
            }
            string exe = Path.Combine(work, "check", name, program.ProgramName);
            if (_check.Link(program, objs, exe) is { } linkFailure)
            {
                log($"  {program.Name}: {name}: {linkFailure}");
                builds[name] = new SizeBuild(0, objs.Sum(UnitBuilder.CodeBytes), false, linkFailure);
                continue;
            }
            string? wrong = SuiteCheck.Check(program, exe);
            if (wrong is not null) log($"  {program.Name}: {name} fails its check: {wrong}");
            builds[name] = new SizeBuild(TextBytes(exe), objs.Sum(UnitBuilder.CodeBytes), wrong is null, wrong);
        }
        if (builds.GetValueOrDefault(O3) is not { Passed: true })
        {
            log($"  {program.Name}: left out: its -O3 build does not pass its check");
            return null;
        }
        return new SizeProgramRecord(program.Name, program.Package, program.Units.Count, builds, objective.Chosen,
            objective.Rewrites, objective.BytesSaved, objective.Fallbacks, objective.ByRule);
    }

    /// <summary>The size objective's build of every unit, as the package builds it; each unit's files under <paramref name="folder"/>.</summary>
    private ObjectiveBuild BuildWithObjective(SuiteProgram program, string folder)
    {
        int n = program.Units.Count;
        var variantObjects = new string[n];
        var optimizedObjects = new string[n];
        var chosen = new string[n];
        var reports = new UnitReport?[n];
        var failures = new string?[n];
        var sizeOptions = new VariantOptions(VariantObjective.Size, null, null);
        var optimizerOptions = options.Policy.ToOptions().For(VariantObjective.Size);
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, i =>
        {
            var suiteUnit = program.Units[i];
            var unit = new TranslationUnit(suiteUnit.Source, _compiler.ArgumentsOf(suiteUnit),
                UnitFiles.At(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"u{i:D3}"))));
            var builder = new UnitBuilder(new Gcc(toolchain, suiteUnit.Directory));
            var compiled = builder.Compile(unit, writeDependencies: false);
            if (!compiled.Succeeded)
            {
                failures[i] = $"{suiteUnit.Origin}: {UnitBuilder.FirstErrorLine(compiled.Assembler is { Succeeded: false } a ? a.StandardError : compiled.Compiler.StandardError)}";
                return;
            }
            var decision = builder.ChooseVariant(unit, sizeOptions);
            chosen[i] = decision.Variant;
            variantObjects[i] = decision.IsBase ? unit.Files.Object : unit.Files.VariantObject;
            reports[i] = builder.Optimize(unit, optimizerOptions, null, decision);
            optimizedObjects[i] = unit.Files.OptimizedObject;
        });
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
            return new ObjectiveBuild(null, null, new Dictionary<string, int>(), 0, 0, 0, new Dictionary<string, RuleTally>(), failure);
        var counts = chosen.GroupBy(c => c, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var byRule = reports.SelectMany(r => r!.Report?.FunctionReports ?? []).SelectMany(f => f.Applied)
            .GroupBy(a => a.Rule, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new RuleTally(g.Count(), g.Sum(a => a.SizeDelta)), StringComparer.Ordinal);
        return new ObjectiveBuild(variantObjects, optimizedObjects, counts,
            reports.Sum(r => r!.Applied), reports.Sum(r => r!.SizeDelta), reports.Count(r => r!.Fallback is not null), byRule, null);
    }

    private sealed record ObjectiveBuild(
        IReadOnlyList<string>? VariantObjects, IReadOnlyList<string>? OptimizedObjects, IReadOnlyDictionary<string, int> Chosen,
        int Rewrites, int BytesSaved, int Fallbacks, IReadOnlyDictionary<string, RuleTally> ByRule, string? Failure);

    /// <summary>Size of the <c>.text</c> section of a linked program (0 when it has none).</summary>
    public static long TextBytes(string executable) =>
        (long)(ElfObject.Load(executable).Sections.FirstOrDefault(s => s.Name == ".text")?.Size ?? 0);

    /// <summary>
    /// Per build, over the programs where both it and -Os were built: geometric means of the ratios to -Os (linked
    /// <c>.text</c> and the objects' code), how many passed their check, how many are at or below -Os, the largest ratio.
    /// </summary>
    public static IReadOnlyList<SizeSummaryRow> Summarize(IReadOnlyList<SizeProgramRecord> programs)
    {
        var rows = new List<SizeSummaryRow>();
        foreach (string build in Builds)
        {
            bool Linked(SizeProgramRecord p, string b) => p.Builds.TryGetValue(b, out var m) && m.TextBytes > 0;
            var pairs = programs.Where(p => Linked(p, build) && Linked(p, Os))
                .Select(p => (p.Name, Build: p.Builds[build], Os: p.Builds[Os])).ToList();
            var notLinked = programs.Where(p => !Linked(p, build)).Select(p => p.Name).ToList();
            if (pairs.Count == 0) continue;
            var text = pairs.Select(p => (double)p.Build.TextBytes / p.Os.TextBytes).ToList();
            var objects = pairs.Select(p => (double)p.Build.ObjectCodeBytes / p.Os.ObjectCodeBytes).ToList();
            int worst = text.IndexOf(text.Max());
            rows.Add(new SizeSummaryRow(build, pairs.Count, pairs.Count(p => p.Build.Passed), Geomean(text), Geomean(objects),
                text.Count(r => r <= 1.0), text[worst], pairs[worst].Name, notLinked));
        }
        return rows;
    }

    private static double Geomean(IReadOnlyList<double> ratios) => Math.Exp(ratios.Average(Math.Log));
}
