using System.Globalization;
using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Timing;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Lab.Variants;

/// <summary>Settings of <see cref="VariantHarness"/>.</summary>
public sealed record VariantHarnessOptions
{
    /// <summary>The variants measured (base is always measured, as the reference).</summary>
    public IReadOnlyList<CompileVariant> Variants { get; init; } = [.. VariantFeatures.Variants];

    /// <summary>The flags every build starts from, after the manifest's own.</summary>
    public IReadOnlyList<string> BaseFlags { get; init; } = ["-O3"];

    /// <summary>The timing protocol's settings (rounds, margin, seed …).</summary>
    public TimingOptions Timing { get; init; } = new();

    /// <summary>Object cache and work folders (<c>.cache/variants</c>).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Time a second copy of base too (A/A), for the noise figure.</summary>
    public bool MeasureAa { get; init; } = true;

    /// <summary>Parallel unit compiles.</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>No new program is started after this time (UTC); null: no limit.</summary>
    public DateTime? StopAfter { get; init; }

    /// <summary>Also write every version of the output here (atomically), e.g. for a reader working in parallel.</summary>
    public string? CopyTo { get; init; }
}

/// <summary>
/// <c>compilerllm variants</c>: per program of the development suite, every unit compiled with each variant
/// (<see cref="VariantCompiler"/>), each build linked and its output checked against the expected output, all builds
/// (and an A/A copy of base) timed together by the engine's protocol (<see cref="InterleavedTiming"/>, relinked per
/// round under random layouts), unit features (<see cref="VariantFeatures.OfUnit"/> with the profile summary) and
/// static estimates (<see cref="UnitCostEstimate"/>) recorded, and the dataset written after every program.
/// </summary>
public sealed class VariantHarness(ToolchainOptions toolchain, VariantHarnessOptions options, Action<string> log)
{
    private readonly VariantCompiler _compiler = new(toolchain, options.CacheDirectory, options.BaseFlags, options.Parallelism);
    private readonly SuiteCheck _check = new(toolchain, options.BaseFlags);

    /// <summary>Measures <paramref name="programs"/> into <paramref name="output"/>, resuming from what it holds already.</summary>
    public VariantDataset Measure(IReadOnlyList<SuiteProgram> programs, string output)
    {
        var previous = VariantDataset.TryRead(output);
        var records = previous?.Programs.ToList() ?? [];
        var byName = records.ToDictionary(r => r.Name, StringComparer.Ordinal);
        double loadStart = previous?.Machine.LoadAverageStart ?? InterleavedTiming.LoadAverage();
        string started = previous?.Machine.Date ?? DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (byName.Count > 0) log($"resuming: {byName.Count} programs already in {output}");
        var dataset = Dataset(records, loadStart, started);
        int index = 0;
        foreach (var program in programs)
        {
            index++;
            var earlier = byName.GetValueOrDefault(program.Name);
            var missing = earlier is null ? options.Variants
                : [.. options.Variants.Where(v => v != VariantTable.Base && !earlier.Variants.ContainsKey(v.Name) && earlier.Failed?.ContainsKey(v.Name) != true)];
            if (missing.Count == 0) continue;
            if (options.StopAfter is { } stop && DateTime.UtcNow > stop)
            {
                log($"stopping before {program.Name}: past {stop:HH:mm} UTC");
                break;
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            log($"[{index}/{programs.Count}] {program.Name}: {program.Units.Count} units" + (earlier is null ? "" : $", adding {string.Join(", ", missing.Select(v => v.Name))}"));
            ProgramRecord? record;
            try
            {
                record = earlier is null ? MeasureProgram(program) : MeasureProgram(program, [VariantTable.Base, .. missing], measureAa: false) is { } added ? Merge(earlier, added) : null;
            }
            catch (Exception e) when (e is TimingRunException or IOException or InvalidOperationException)
            {
                log($"  {program.Name}: failed: {e.Message}");
                record = null;
            }
            if (record is null) continue;
            if (earlier is not null) records.Remove(earlier);
            records.Add(record);
            byName[record.Name] = record;
            dataset = Dataset(records, loadStart, started);
            Save(dataset, output);
            log($"  {program.Name}: " + string.Join("  ", record.Variants.Where(v => v.Key != VariantTable.Base.Name).Select(v =>
                string.Create(CultureInfo.InvariantCulture, $"{v.Key} {v.Value.Ratio:F3} [{v.Value.Low:F3},{v.Value.High:F3}]{Mark(v.Value.Verdict)}")))
                + (record.Aa is { } aa ? string.Create(CultureInfo.InvariantCulture, $"  A/A {aa.Ratio:F3}") : "")
                + string.Create(CultureInfo.InvariantCulture, $"  ({clock.Elapsed.TotalSeconds:F0} s, load {record.LoadAverage?[0]:F1})"));
        }
        Save(dataset, output);
        return dataset;
    }

    private static string Mark(string? verdict) => verdict switch { "faster" => "+", "slower" => "-", _ => "" };

    private void Save(VariantDataset dataset, string output)
    {
        dataset.Write(output);
        if (options.CopyTo is { } copy) dataset.Write(copy);
    }

    private VariantDataset Dataset(IReadOnlyList<ProgramRecord> records, double loadStart, string started)
    {
        var noise = NoiseRecord.Of(records);
        return new VariantDataset(VariantDataset.SchemaName, VariantFeatures.Version, VariantFeatures.UnitNames,
            [.. VariantFeatures.Variants.Select(v => v.Name)], string.Join(' ', options.BaseFlags),
            new MachineRecord(Environment.ProcessorCount, loadStart, InterleavedTiming.LoadAverage(), started),
            new ProtocolRecord(options.Timing.Rounds, ["environment", "link-order", "alignment-padding", "run-order"],
                "per round: log(time(base)/time(variant)), wall time or CPU time when a run waited for the core; ratio = exp(median over rounds); 95% percentile bootstrap interval of the median",
                options.Timing.NoiseMargin, "static cost x 10^loop-depth (profile counts not used)"),
            noise, records);
    }

    /// <summary>
    /// An earlier record with variants measured later added: each ratio is against the base timed in the same run as
    /// the variant; the units' features stay, their estimates gain the new variants.
    /// </summary>
    private static ProgramRecord Merge(ProgramRecord earlier, ProgramRecord added)
    {
        var variants = new Dictionary<string, VariantMeasurement>(earlier.Variants, StringComparer.Ordinal);
        foreach (var (name, m) in added.Variants) if (name != VariantTable.Base.Name) variants[name] = m;
        var failed = new Dictionary<string, string>(earlier.Failed ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, why) in added.Failed ?? new Dictionary<string, string>()) failed[name] = why;
        var units = earlier.Units.Select((u, i) =>
        {
            var estimates = new Dictionary<string, double>(u.EstimatedCycles, StringComparer.Ordinal);
            if (i < added.Units.Count) foreach (var (name, c) in added.Units[i].EstimatedCycles) estimates.TryAdd(name, c);
            return u with { EstimatedCycles = estimates };
        }).ToList();
        return earlier with
        {
            Units = units, Variants = variants, Failed = failed.Count == 0 ? null : failed, ProfileInput = earlier.ProfileInput ?? added.ProfileInput,
        };
    }

    /// <summary>One program's record, or null when base itself cannot be built or checked.</summary>
    public ProgramRecord? MeasureProgram(SuiteProgram program) => MeasureProgram(program, options.Variants, options.MeasureAa);

    private ProgramRecord? MeasureProgram(SuiteProgram program, IReadOnlyList<CompileVariant> variantsToMeasure, bool measureAa)
    {
        string work = WorkOf(program);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        var (baseUnits, baseFailure) = _compiler.CompileAll(program, work, VariantTable.Base, null);
        if (baseUnits is null)
        {
            log($"  {program.Name}: base does not build: {baseFailure}");
            return null;
        }
        ProfileSet? profile = null;
        if (variantsToMeasure.Any(v => v.NeedsProfile))
        {
            (profile, string? why) = _compiler.Profile(program, work, exe => RunWorkload(program.ForTraining(), exe));
            if (why is not null) log($"  {program.Name}: no profile: {why}");
        }
        var builds = new List<(CompileVariant Variant, CompiledUnit[] Units)> { (VariantTable.Base, baseUnits) };
        foreach (var variant in variantsToMeasure.Where(v => v != VariantTable.Base))
        {
            var (units, failure) = _compiler.CompileAll(program, work, variant, profile);
            if (units is null) failed[variant.Name] = failure ?? "failed";
            else builds.Add((variant, units));
        }
        // Every build must do what the program does: the expected output and exit code.
        var checkedBuilds = new List<(CompileVariant Variant, CompiledUnit[] Units)>();
        foreach (var build in builds)
        {
            string? wrong = Check(program, work, build.Variant.Name, build.Units);
            if (wrong is null) checkedBuilds.Add(build);
            else if (build.Variant == VariantTable.Base)
            {
                log($"  {program.Name}: base fails its check: {wrong}");
                return null;
            }
            else failed[build.Variant.Name] = wrong;
        }
        foreach (var f in failed) log($"  {program.Name}: {f.Key} left out: {f.Value}");

        var timed = checkedBuilds.Select(b => (TimedBuild)new RelinkedBuild(b.Variant.Name, LinkOf(program, b.Units))).ToList();
        if (measureAa) timed.Add(new RelinkedBuild("base-copy", LinkOf(program, baseUnits)));
        var outcome = new InterleavedTiming(new Gcc(toolchain), options.Timing).Measure(timed, Workload(program), Path.Combine(work, "timing"));

        var measurements = new Dictionary<string, VariantMeasurement>(StringComparer.Ordinal);
        foreach (var (variant, units) in checkedBuilds)
            measurements[variant.Name] = Measurement(outcome[variant.Name], units.Sum(u => UnitBuilder.CodeBytes(u.Object)));
        return new ProgramRecord(program.Name, program.Package, Units(program, work, checkedBuilds, profile), measurements)
        {
            Aa = measureAa ? Measurement(outcome["base-copy"], measurements[VariantTable.Base.Name].TextBytes) : null,
            BaseSeconds = outcome[VariantTable.Base.Name].MedianSeconds,
            LoadAverage = [outcome.LoadAverageStart, outcome.LoadAverageEnd],
            Failed = failed.Count == 0 ? null : failed,
            ProfileInput = profile is null ? null : program.TrainsOnDistinctInput ? "training" : "timed",
        };
    }

    /// <summary>
    /// <c>--assignments</c>: per program, every method's per-unit choice (units not listed are base) built, checked and
    /// timed against base in one interleaved run.
    /// </summary>
    public AssignmentResults MeasureAssignments(IReadOnlyList<SuiteProgram> programs, AssignmentFile assignments, string output)
    {
        var previous = AssignmentResults.TryRead(output);
        var records = previous?.Programs.ToList() ?? [];
        var done = records.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var program in programs)
        {
            var methods = assignments.Methods.Where(m => m.Value.ContainsKey(program.Name)).Select(m => m.Key).ToList();
            if (methods.Count == 0 || done.Contains(program.Name)) continue;
            if (options.StopAfter is { } stop && DateTime.UtcNow > stop) break;
            log($"{program.Name}: {methods.Count} methods");
            try
            {
                if (MeasureMethods(program, methods.ToDictionary(m => m, m => assignments.Methods[m][program.Name])) is { } record) records.Add(record);
            }
            catch (Exception e) when (e is TimingRunException or IOException or InvalidOperationException)
            {
                log($"  {program.Name}: failed: {e.Message}");
            }
            var result = new AssignmentResults(AssignmentResults.SchemaName, options.Timing.Rounds, records);
            result.Write(output);
            if (options.CopyTo is { } copy) result.Write(copy);
        }
        return new AssignmentResults(AssignmentResults.SchemaName, options.Timing.Rounds, records);
    }

    private AssignmentProgram? MeasureMethods(SuiteProgram program, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> methods)
    {
        string work = WorkOf(program);
        var needed = methods.Values.SelectMany(a => a.Values).Append(VariantTable.Base.Name).Distinct(StringComparer.Ordinal).ToList();
        ProfileSet? profile = null;
        if (needed.Any(n => VariantTable.Find(n)?.NeedsProfile == true))
        {
            (profile, string? why) = _compiler.Profile(program, work, exe => RunWorkload(program.ForTraining(), exe));
            if (why is not null) log($"  {program.Name}: no profile: {why}");
        }
        var compiled = new Dictionary<string, CompiledUnit[]>(StringComparer.Ordinal);
        foreach (string name in needed)
        {
            var variant = VariantTable.Find(name) ?? throw new InvalidOperationException($"unknown variant '{name}'");
            var (units, failure) = _compiler.CompileAll(program, work, variant, profile);
            if (units is not null) compiled[name] = units;
            else log($"  {program.Name}: {name} does not build: {failure}");
        }
        if (!compiled.ContainsKey(VariantTable.Base.Name)) return null;
        var results = new Dictionary<string, VariantMeasurement>(StringComparer.Ordinal);
        var timed = new List<TimedBuild> { new RelinkedBuild(VariantTable.Base.Name, LinkOf(program, compiled[VariantTable.Base.Name])) };
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        // Methods that give the same build (every unit on the same variant, e.g. pgo everywhere and the oracle's pgo) are
        // the same program: timed once, the measurement reported for each.
        var timedFor = new Dictionary<string, string>(StringComparer.Ordinal);
        var sameAs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (method, assignment) in methods)
        {
            string[] chosen = [.. program.Units.Select(u => assignment.TryGetValue(u.Origin, out string? v) && compiled.ContainsKey(v) ? v : VariantTable.Base.Name)];
            string build = string.Join('\0', chosen);
            if (timedFor.TryGetValue(build, out string? first))
            {
                sameAs[method] = first;
                continue;
            }
            timedFor[build] = method;
            var units = program.Units.Select((u, i) => compiled[chosen[i]][i]).ToArray();
            if (Check(program, work, "method-" + method, units) is { } wrong)
            {
                failed[method] = wrong;
                continue;
            }
            bytes[method] = units.Sum(u => UnitBuilder.CodeBytes(u.Object));
            timed.Add(new RelinkedBuild(method, LinkOf(program, units)));
        }
        var outcome = new InterleavedTiming(new Gcc(toolchain), options.Timing).Measure(timed, Workload(program), Path.Combine(work, "timing-methods"));
        foreach (var build in timed.Skip(1)) results[build.Name] = Measurement(outcome[build.Name], bytes[build.Name]);
        foreach (var (method, first) in sameAs)
        {
            if (results.TryGetValue(first, out var m)) results[method] = m;
            else if (failed.TryGetValue(first, out string? why)) failed[method] = why;
        }
        if (sameAs.Count > 0) log($"  {program.Name}: same build, timed once: " + string.Join(", ", sameAs.Select(x => $"{x.Key} = {x.Value}")));
        log($"  {program.Name}: " + string.Join("  ", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value.Ratio:F3} [{r.Value.Low:F3},{r.Value.High:F3}]"))));
        return new AssignmentProgram(program.Name, results) { Failed = failed.Count == 0 ? null : failed };
    }

    private static VariantMeasurement Measurement(BuildComparison c, long textBytes) =>
        new(c.Ratio, c.Low, c.High, c.LogRatios, textBytes, true) { Verdict = c.Verdict switch { TimingVerdict.Faster => "faster", TimingVerdict.Slower => "slower", _ => null } };

    private string WorkOf(SuiteProgram program) => Path.Combine(Path.GetFullPath(options.CacheDirectory), "work", program.Name);

    private LinkCommand LinkOf(SuiteProgram program, IReadOnlyList<CompiledUnit> units) => _check.LinkOf(program, [.. units.Select(u => u.Object)]);

    private static TimedWorkload Workload(SuiteProgram program) =>
        new(program.Wrapper, program.WorkloadArguments, program.StandardInput, program.WorkloadDirectory, program.Environment, program.ExpectedExitCode)
        {
            ProgramName = program.ProgramName,
        };

    /// <summary>Links the build as the manifest says (no layout) and runs the workload once: null when output and exit code are the expected ones.</summary>
    private string? Check(SuiteProgram program, string work, string name, IReadOnlyList<CompiledUnit> units) =>
        _check.LinkAndCheck(program, [.. units.Select(u => u.Object)], Path.Combine(work, "check", name, program.ProgramName));

    private static ProgramOutcome RunWorkload(SuiteProgram program, string exe) => SuiteCheck.RunWorkload(program, exe);

    private List<UnitRecord> Units(SuiteProgram program, string work, IReadOnlyList<(CompileVariant Variant, CompiledUnit[] Units)> builds, ProfileSet? profile)
    {
        var records = new UnitRecord[program.Units.Count];
        Parallel.For(0, program.Units.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, i =>
        {
            var summary = profile?.DataFor(VariantCompiler.UnitAsmPath(work, i))?.Summarize();
            float[] features = new float[VariantFeatures.UnitWidth];
            int instructions = 0;
            var estimates = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (variant, units) in builds)
            {
                try
                {
                    var file = AsmReader.ReadFile(units[i].Assembly);
                    estimates[variant.Name] = Math.Round(UnitCostEstimate.Cycles(file), 1);
                    if (variant == VariantTable.Base)
                    {
                        features = VariantFeatures.OfUnit(file, summary, profile?.ProgramTotal ?? 0);
                        instructions = file.Instructions.Length;
                    }
                }
                catch (AsmReadException)
                {
                    // The unit's assembly is outside the model (rare): no estimate for this variant.
                }
            }
            double share = summary is not null && profile is { ProgramTotal: > 0 } p ? (double)summary.TotalCount / p.ProgramTotal : 0;
            records[i] = new UnitRecord(program.Units[i].Origin, features, share, instructions, estimates);
        });
        return [.. records];
    }
}
