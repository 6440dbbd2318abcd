using System.Diagnostics;
using CompilerLLM.Assembly;
using CompilerLLM.Caching;
using CompilerLLM.Timing;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Pipeline;

/// <summary>A unit as tune mode gets it: the unit and the variant decision the compile step made for it (zero-shot).</summary>
public sealed record TuneUnit(TranslationUnit Unit, VariantDecision Decision);

/// <summary>What tune mode did to a program (written as <c>tune.json</c>): every tuned unit's outcome and the cost.</summary>
/// <param name="Units">Every tuned unit's outcome, by source.</param>
/// <param name="BenchmarkRuns">Runs of the benchmark command in this build (0 when every decision came from the cache).</param>
/// <param name="TestRuns">Runs of the test command that gated the final assignment.</param>
/// <param name="BenchmarkFailure">Why nothing was tuned, when the benchmark does not run on the zero-shot build.</param>
public sealed record TuneSummary(IReadOnlyDictionary<string, TuneOutcome> Units, int BenchmarkRuns, int TestRuns, string? BenchmarkFailure)
{
    public int Changed => Units.Values.Count(o => o.Chosen != o.ZeroShot);

    public int FromCache => Units.Values.Count(o => o.FromCache);
}

/// <summary>What <see cref="VariantTuner.Tune"/> returns: the final decision per unit, the records of this build's measurements, the summary, and the units the test command sent back to their zero-shot choice.</summary>
public sealed record TuneResult(IReadOnlyList<VariantDecision> Decisions, IReadOnlyList<TuneRecord> Records, TuneSummary Summary, IReadOnlyList<string> TestCulprits, TimeSpan Elapsed);

/// <summary>
/// Tune mode: after the zero-shot choice of every unit's variant, the hottest units (by their share of the profile, or
/// every unit up to <see cref="TuneOptions.MaxUnits"/> without one) get their policy's best alternatives measured with
/// the project's benchmark (<see cref="IAssignmentTimer"/>: the program linked with the candidate assignment and timed
/// against the current one under the timing protocol). A unit takes an alternative only when the whole interval of its
/// speedup lies above 1 + margin (the best such, by its interval's lower end); otherwise it keeps its zero-shot choice.
/// Units are visited hottest first and the assignment is updated as they go, so each measurement is against the program
/// as it will be. The final assignment must behave like GCC's build of the project's flags under the test command;
/// units that make it differ (found by bisection) go back to their zero-shot choice. Decisions are cached by content
/// (<see cref="TuneCache"/>), so an unchanged program is not measured again.
/// </summary>
public sealed class VariantTuner(UnitBuilder builder, TuneOptions options, IAssignmentTimer timer, TuneCache? cache = null,
    TuneCandidateInjection? injection = null, int parallelism = 0)
{
    private const string BaseName = "base";

    /// <summary>The key of a program: every unit's source, arguments and GCC assembly with the project's flags, the tools and the link.</summary>
    public static string ProgramKey(IReadOnlyList<TranslationUnit> units, Gcc gcc, TuneOptions options)
    {
        var parts = new List<(string, string)> { ("tools", gcc.Identity), ("kind", options.Kind.ToString()), ("link", string.Join('\n', options.LinkFlags)) };
        foreach (var u in units)
        {
            parts.Add(("unit", u.Source));
            parts.Add(("arguments", string.Join('\n', u.Arguments)));
            parts.Add(("assembly", File.ReadAllText(u.Files.Asm)));
        }
        return CacheKey.Of([.. parts]).Hex;
    }

    /// <param name="units">Every unit of the program, in link order, each with its zero-shot decision.</param>
    /// <param name="profile">The project's profile (null: none).</param>
    /// <param name="configuration">The variant model's and the profile's identity (part of every cache key).</param>
    public TuneResult Tune(IReadOnlyList<TuneUnit> units, ProfileSet? profile, string configuration)
    {
        // The timer and the gate put candidates where the commands expect the artifact; the artifact comes back afterwards.
        using var slot = new ArtifactSlot(options.ArtifactPath, options.WorkDirectory);
        return TuneIn(slot, units, profile, configuration);
    }

    private TuneResult TuneIn(ArtifactSlot slot, IReadOnlyList<TuneUnit> units, ProfileSet? profile, string configuration)
    {
        var clock = Stopwatch.StartNew();
        int n = units.Count;
        var zeroShot = units.Select(u => u.Decision.ZeroShot()).ToArray();
        var assignment = zeroShot.Select(d => d.Variant).ToArray();
        string program = ProgramKey([.. units.Select(u => u.Unit)], builder.Gcc, options);
        string cacheConfiguration = options.Identity + "\n" + configuration;
        var hot = HotUnits(zeroShot, profile);
        var candidates = new List<CompileVariant>[n];
        for (int i = 0; i < n; i++) candidates[i] = hot.Contains(i) ? CandidatesOf(zeroShot[i]) : [];

        // Every object a measurement may need, compiled up front in parallel (GCC's only: tune mode times variants, not rewrites).
        var objects = new Dictionary<string, string?>[n];
        var failures = new Dictionary<string, string>[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount }, i =>
        {
            objects[i] = [];
            failures[i] = [];
            foreach (var v in candidates[i].Prepend(Find(assignment[i])!).DistinctBy(v => v.Name))
            {
                string? failure = v.Name == BaseName ? null : builder.CompileVariantTo(units[i].Unit, v, profile, units[i].Unit.Files.TuneAsm(v.Name), units[i].Unit.Files.TuneObject(v.Name));
                objects[i][v.Name] = failure is null ? ObjectOf(units[i].Unit, v.Name) : null;
                if (failure is not null) failures[i][v.Name] = failure;
            }
        });
        // A zero-shot variant that no longer compiles is left to the compile step's own fallback: tune mode leaves such a unit alone.
        for (int i = 0; i < n; i++)
            if (objects[i][assignment[i]] is null) { hot.Remove(i); candidates[i] = []; }
        string Current(int i) => objects[i][assignment[i]]!;

        var outcomes = new Dictionary<int, TuneOutcome>();
        var keys = new Dictionary<int, CacheKey>();
        var records = new List<TuneRecord>();
        string? benchmarkFailure = null;
        bool checkedBenchmark = false;
        foreach (int i in hot)
        {
            var key = TuneCache.KeyOf(program, units[i].Unit.Source, assignment, candidates[i], cacheConfiguration);
            keys[i] = key;
            if (cache?.TryGet(key) is { } cached && (cached.Chosen == cached.ZeroShot || objects[i].GetValueOrDefault(cached.Chosen) is not null))
            {
                outcomes[i] = cached;
                assignment[i] = cached.Chosen;
                continue;
            }
            if (!checkedBenchmark)
            {
                checkedBenchmark = true;
                benchmarkFailure = timer.Check([.. Enumerable.Range(0, n).Select(Current)]);
                if (benchmarkFailure is not null) break;
            }
            var measured = new List<MeasuredVariant>();
            var timed = new List<(CompileVariant Variant, string[] Objects)>();
            var current = Enumerable.Range(0, n).Select(Current).ToArray();
            foreach (var c in candidates[i])
            {
                if (objects[i][c.Name] is not { } candidateObject)
                {
                    measured.Add(new MeasuredVariant(c.Name, null, null, null, 0, TuneVerdict.DoesNotCompile, failures[i][c.Name]));
                    continue;
                }
                if (SameBytes(candidateObject, Current(i)))
                {
                    measured.Add(new MeasuredVariant(c.Name, 1, 1, 1, 0, TuneVerdict.Identical));
                    continue;
                }
                var trial = current.ToArray();
                trial[i] = candidateObject;
                // One plain run first: a candidate whose program does not link or whose benchmark fails is not timed.
                if (timer.Check(trial) is { } broken)
                {
                    measured.Add(new MeasuredVariant(c.Name, null, null, null, 0, TuneVerdict.BenchmarkFailed, broken));
                    continue;
                }
                timed.Add((c, trial));
            }
            if (timed.Count > 0)
            {
                var results = timer.Compare(current, [.. timed.Select(t => (IReadOnlyList<string>)t.Objects)]);
                for (int k = 0; k < timed.Count; k++)
                {
                    var t = results[k];
                    measured.Add(t.Failure is not null
                        ? new MeasuredVariant(timed[k].Variant.Name, null, null, null, t.Rounds, TuneVerdict.BenchmarkFailed, t.Failure)
                        : new MeasuredVariant(timed[k].Variant.Name, t.Speedup, t.Low, t.High, t.Rounds, VerdictOf(t)) { LogRatios = t.LogRatios });
                }
            }
            var best = measured.Where(m => m.Verdict == TuneVerdict.Faster).OrderByDescending(m => m.Low).ThenBy(m => m.Variant, StringComparer.Ordinal).FirstOrDefault();
            var marked = measured.Select(m => m.Verdict == TuneVerdict.Faster && m != best ? m with { Verdict = TuneVerdict.FasterNotBest } : m).ToList();
            outcomes[i] = new TuneOutcome(assignment[i], best?.Variant ?? assignment[i], marked);
            assignment[i] = outcomes[i].Chosen;
        }

        var culprits = Gate(slot, units, zeroShot, assignment, objects, outcomes, out int testRuns);
        foreach (var (i, outcome) in outcomes.Where(o => !o.Value.FromCache))
        {
            cache?.Save(keys[i], outcome);
            records.AddRange(RecordsOf(program, units[i].Unit, zeroShot[i], outcome, profile));
        }
        var decisions = Enumerable.Range(0, n).Select(i => outcomes.TryGetValue(i, out var o) ? zeroShot[i].Tuned(o) : zeroShot[i]).ToArray();
        // The final variant's files are where the optimizer starts from.
        for (int i = 0; i < n; i++)
        {
            if (decisions[i].IsBase || objects[i].GetValueOrDefault(decisions[i].Variant) is null) continue;
            var files = units[i].Unit.Files;
            Outputs.CopyIfDifferent(files.TuneAsm(decisions[i].Variant), files.VariantAsm);
            Outputs.CopyIfDifferent(files.TuneObject(decisions[i].Variant), files.VariantObject);
        }
        var summary = new TuneSummary(outcomes.OrderBy(o => o.Key).ToDictionary(o => units[o.Key].Unit.Source, o => o.Value), timer.Runs, testRuns, benchmarkFailure);
        return new TuneResult(decisions, records, summary, [.. culprits.Select(i => units[i].Unit.Source)], clock.Elapsed);
    }

    /// <summary>The timing protocol's own verdict (one definition of "beyond the noise margin").</summary>
    private TuneVerdict VerdictOf(TimedComparison t) => TimingStatistics.Verdict(t.Speedup, t.Low, t.High, options.Margin) switch
    {
        TimingVerdict.Faster => TuneVerdict.Faster,
        TimingVerdict.Slower => TuneVerdict.Slower,
        _ => TuneVerdict.NotClear,
    };

    /// <summary>The units worth measuring, hottest first: by profile share (above <see cref="TuneOptions.MinimumShare"/>) when there is a profile, else in order.</summary>
    private List<int> HotUnits(VariantDecision[] decisions, ProfileSet? profile)
    {
        var all = Enumerable.Range(0, decisions.Length);
        if (profile is { ProgramTotal: > 0 } p && decisions.Any(d => d.Profile is not null))
        {
            double Share(int i) => decisions[i].Profile is { } up ? (double)up.TotalCount / p.ProgramTotal : 0;
            return [.. all.Where(i => Share(i) >= options.MinimumShare).OrderByDescending(Share).ThenBy(i => i).Take(options.MaxUnits)];
        }
        return [.. all.Take(options.MaxUnits)];
    }

    /// <summary>The policy's best-scored variants other than the zero-shot choice (and the test seam's), at most <see cref="TuneOptions.Candidates"/>.</summary>
    private List<CompileVariant> CandidatesOf(VariantDecision zeroShot)
    {
        var list = (zeroShot.Scores ?? new Dictionary<string, float>())
            .Where(s => s.Key != zeroShot.Variant)
            .OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => VariantTable.Find(s.Key)).OfType<CompileVariant>()
            .Take(options.Candidates).ToList();
        if (injection is not null) list.Add(injection.Variant);
        return list;
    }

    private CompileVariant? Find(string name) => VariantTable.Find(name) ?? (injection?.Variant.Name == name ? injection.Variant : null);

    private static string ObjectOf(TranslationUnit unit, string variant) => variant == BaseName ? unit.Files.Object : unit.Files.TuneObject(variant);

    private static bool SameBytes(string a, string b) => a == b || File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));

    /// <summary>
    /// The test command on the final assignment (GCC's objects of each unit's variant) against GCC's build of the project's
    /// flags; when they differ, bisection over the units tune mode changed, and those that make the difference go back to
    /// their zero-shot choice (their outcome says why). Returns the culprits.
    /// </summary>
    private List<int> Gate(ArtifactSlot slot, IReadOnlyList<TuneUnit> units, VariantDecision[] zeroShot, string[] assignment, Dictionary<string, string?>[] objects,
        Dictionary<int, TuneOutcome> outcomes, out int testRuns)
    {
        testRuns = 0;
        int n = units.Count;
        var changed = Enumerable.Range(0, n).Where(i => assignment[i] != zeroShot[i].Variant).ToList();
        if (changed.Count == 0 || string.IsNullOrWhiteSpace(options.TestCommand)) return [];
        // Decisions from the cache were gated when they were made, on this very program and test command (both in the key).
        if (changed.All(i => outcomes[i].FromCache)) return [];
        int runs = 0;
        ProgramOutcome? Run(string name, IReadOnlyList<string> objs)
        {
            string output = Path.Combine(options.WorkDirectory, name + Path.GetExtension(options.ArtifactPath));
            if (!builder.Gcc.Link(options.Kind, objs, output, options.LinkFlags).Succeeded) return null;
            runs++;
            slot.Place(output);
            return UserProgram.RunShell(options.TestCommand!, options.WorkingDirectory, options.Timeout,
                new Dictionary<string, string?> { ["COMPILERLLM_ARTIFACT"] = slot.Path });
        }
        Directory.CreateDirectory(options.WorkDirectory);
        var reference = Run("tune-gcc", [.. units.Select(u => u.Unit.Files.Object)]);
        if (reference is null || reference.TimedOut) { testRuns = runs; return []; }
        bool Good(IReadOnlySet<int> tuned)
        {
            var objs = Enumerable.Range(0, n).Select(i => objects[i][tuned.Contains(i) ? assignment[i] : zeroShot[i].Variant]!).ToList();
            return Run("tune-gate", objs)?.SameBehaviourAs(reference) == true;
        }
        var culprits = new List<int>();
        if (!Good(changed.ToHashSet()))
        {
            var found = Bisector.FindCulprits(changed.Count, set => Good(set.Select(k => changed[k]).ToHashSet()));
            culprits = [.. found.Culprits.Select(k => changed[k])];
            foreach (int i in culprits)
            {
                var o = outcomes[i];
                outcomes[i] = o with
                {
                    Chosen = o.ZeroShot,
                    Measured = [.. o.Measured.Select(m => m.Variant == o.Chosen ? m with { Verdict = TuneVerdict.TestDiffers } : m)],
                };
                assignment[i] = o.ZeroShot;
            }
        }
        testRuns = runs;
        return culprits;
    }

    private IEnumerable<TuneRecord> RecordsOf(string program, TranslationUnit unit, VariantDecision zeroShot, TuneOutcome outcome, ProfileSet? profile)
    {
        float[] features;
        try
        {
            features = VariantFeatures.OfUnit(AsmReader.Read(unit.Files.Asm, File.ReadAllText(unit.Files.Asm)), zeroShot.Profile, profile?.ProgramTotal ?? 0);
        }
        catch (AsmReadException)
        {
            features = [];
        }
        double? share = zeroShot.Profile is { } p && profile is { ProgramTotal: > 0 } ps ? (double)p.TotalCount / ps.ProgramTotal : null;
        foreach (var m in outcome.Measured)
        {
            var flags = Find(m.Variant)?.Flags ?? [];
            yield return new TuneRecord(TuneRecord.CurrentSchema, program, unit.Source, VariantFeatures.Version, features, share, outcome.ZeroShot, m.Variant,
                flags, m.Speedup, m.Low, m.High, m.LogRatios, m.Rounds, options.Margin, m.Verdict, m.Variant == outcome.Chosen, options.BenchmarkCommand);
        }
    }
}
