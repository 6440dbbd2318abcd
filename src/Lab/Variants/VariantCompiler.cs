using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Lab.Variants;

/// <summary>A unit compiled with one variant: its assembly and object (in the content cache).</summary>
public sealed record CompiledUnit(string Assembly, string Object);

/// <summary>
/// Compiles a suite program's units the way the package does: the manifest's arguments, then the base flags (-O3),
/// then the variant's <see cref="CompileVariant.FlagsWith"/>; <c>gcc -S</c> and assembly through the driver with the
/// unit's arguments (<see cref="Gcc.Assemble"/>). Profile variants use the program's profile made as the engine's
/// <see cref="ProfileBuilder"/> makes one (instrumented objects named by <see cref="ProfileSet"/>, -fprofile-update=single,
/// the workload run once), and their assembly is written where <see cref="ProfileSet.ProfileUseAssemblyOf"/> says so
/// GCC finds each unit's <c>.gcda</c>. Results are cached by content under <c>CACHE/objects</c>: the compiler's identity,
/// the unit's directory, source bytes and arguments, the flags, and for profile variants the unit's profile bytes.
/// </summary>
public sealed class VariantCompiler(ToolchainOptions toolchain, string cacheDirectory, IReadOnlyList<string> baseFlags, int parallelism)
{
    private readonly Gcc _gcc = new(toolchain);
    private readonly string _cache = Path.GetFullPath(cacheDirectory);

    /// <summary>The unit's stand-in assembly path in the program's work folder: names its profile files (<see cref="ProfileSet"/>).</summary>
    public static string UnitAsmPath(string work, int index) => Path.Combine(work, "units", string.Create(CultureInfo.InvariantCulture, $"u{index:D3}.s"));

    /// <summary>The unit's arguments with the base flags: what "the user's flags" are for the engine here.</summary>
    public IReadOnlyList<string> ArgumentsOf(SuiteUnit unit) => [.. unit.Arguments, .. baseFlags];

    /// <summary>Every unit with <paramref name="variant"/>, or the first failure.</summary>
    public (CompiledUnit[]? Units, string? Failure) CompileAll(SuiteProgram program, string work, CompileVariant variant, ProfileSet? profile)
    {
        if (variant.NeedsProfile && profile is null) return (null, "no profile");
        var units = new CompiledUnit?[program.Units.Count];
        var failures = new string?[program.Units.Count];
        Parallel.For(0, program.Units.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i =>
        {
            try
            {
                (units[i], failures[i]) = Compile(program.Units[i], UnitAsmPath(work, i), variant, profile);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                failures[i] = e.Message;
            }
        });
        string? failure = failures.Select((f, i) => f is null ? null : $"{program.Units[i].Origin}: {f}").FirstOrDefault(f => f is not null);
        return failure is null ? ([.. units.Select(u => u!)], null) : (null, failure);
    }

    private (CompiledUnit?, string?) Compile(SuiteUnit unit, string unitAsm, CompileVariant variant, ProfileSet? profile)
    {
        var args = ArgumentsOf(unit);
        var flags = variant.FlagsWith(profile?.Directory);
        string profileBytes = "";
        if (variant.NeedsProfile)
        {
            string gcda = Analysis.GcovData.FileFor(profile!.Directory, ProfileSet.InstrumentedObjectOf(unitAsm));
            profileBytes = File.Exists(gcda) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(gcda))) : "none";
        }
        string key = Key(unit, args, flags, profileBytes);
        string dir = Path.Combine(_cache, "objects", key[..2]);
        var cached = new CompiledUnit(Path.Combine(dir, key + ".s"), Path.Combine(dir, key + ".o"));
        if (File.Exists(cached.Object) && File.Exists(cached.Assembly)) return (cached, null);
        Directory.CreateDirectory(dir);
        var gcc = new Gcc(toolchain, unit.Directory);
        // Profile use: the output is named like the instrumented object, so GCC finds that unit's .gcda.
        string output = variant.NeedsProfile ? ProfileSet.ProfileUseAssemblyOf(unitAsm) : cached.Assembly + $".{Environment.ProcessId}.tmp.s";
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var compiled = gcc.CompileToAssembly(unit.Source, [.. args, .. flags], output);
        if (!compiled.Succeeded) return (null, UnitBuilder.FirstErrorLine(compiled.StandardError));
        string tempObj = cached.Object + $".{Environment.ProcessId}.tmp.o";
        var assembled = gcc.Assemble(output, args, tempObj);
        if (!assembled.Succeeded) return (null, UnitBuilder.FirstErrorLine(assembled.StandardError));
        if (variant.NeedsProfile) File.Copy(output, cached.Assembly, overwrite: true);
        else File.Move(output, cached.Assembly, overwrite: true);
        File.Move(tempObj, cached.Object, overwrite: true);
        return (cached, null);
    }

    private string Key(SuiteUnit unit, IReadOnlyList<string> args, IReadOnlyList<string> flags, string profileBytes)
    {
        var text = new StringBuilder();
        text.Append(_gcc.Identity).Append('\n').Append(unit.Directory).Append('\n').Append(unit.Source).Append('\n');
        text.Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(unit.Directory, unit.Source))))).Append('\n');
        foreach (string a in args) text.Append(a).Append('\0');
        text.Append('\n');
        foreach (string f in flags) text.Append(f).Append('\0');
        text.Append('\n').Append(profileBytes);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The program's profile: every unit compiled with <c>-fprofile-generate=DIR -fprofile-update=single</c> to its
    /// <see cref="ProfileSet.InstrumentedObjectOf"/>, linked with <c>-fprofile-generate</c>, <paramref name="runWorkload"/>
    /// run once (the lab passes the program's training input, <see cref="SuiteProgram.ForTraining"/>). Kept with a stamp
    /// naming that input (<see cref="TrainingInput.Identity"/>), so a rerun reuses it and a profile of another input is
    /// made again. Returns the profile or why there is none.
    /// </summary>
    public (ProfileSet? Profile, string? Failure) Profile(SuiteProgram program, string work, Func<string, ProgramOutcome> runWorkload)
    {
        string dir = Path.Combine(work, "profile-data"), stamp = Path.Combine(dir, "complete");
        string identity = TrainingInput.Identity(program.Training);
        if (File.Exists(stamp) && File.ReadAllText(stamp) == identity) return (new ProfileSet(dir), null);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        string[] generate = [$"-fprofile-generate={Path.GetFullPath(dir)}", "-fprofile-update=single"];
        var objects = new string[program.Units.Count];
        var failures = new string?[program.Units.Count];
        Parallel.For(0, program.Units.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i =>
        {
            var unit = program.Units[i];
            objects[i] = ProfileSet.InstrumentedObjectOf(UnitAsmPath(work, i));
            Directory.CreateDirectory(Path.GetDirectoryName(objects[i])!);
            var r = new Gcc(toolchain, unit.Directory).Invoke(["-c", .. Gcc.WithoutDependencyOptions(ArgumentsOf(unit)), .. generate, unit.Source, "-o", objects[i]]);
            if (!r.Succeeded) failures[i] = $"{unit.Origin}: {UnitBuilder.FirstErrorLine(r.StandardError)}";
        });
        if (failures.FirstOrDefault(f => f is not null) is { } failure) return (null, "the instrumented compile failed: " + failure);
        string exe = Path.Combine(work, "instrumented", program.ProgramName); // named as the build names it: some programs act on their name
        Directory.CreateDirectory(Path.GetDirectoryName(exe)!);
        var link = new Gcc(toolchain, program.LinkDirectory).Invoke([.. LinkArguments(program, objects), .. baseFlags, "-fprofile-generate", "-o", exe]);
        if (!link.Succeeded) return (null, "the instrumented link failed: " + UnitBuilder.FirstErrorLine(link.StandardError));
        var run = runWorkload(exe);
        if (run.TimedOut || run.ExitCode != program.ExpectedExitCode) return (null, $"the instrumented workload failed (exit {run.ExitCode})");
        File.WriteAllText(stamp, identity);
        return (new ProfileSet(dir), null);
    }

    /// <summary>The manifest's link arguments with each unit's object replaced by <paramref name="objects"/>[unit].</summary>
    public static IReadOnlyList<string> LinkArguments(SuiteProgram program, IReadOnlyList<string> objects)
    {
        var byArgument = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < program.Units.Count; i++) byArgument[program.Units[i].ObjectArgument] = objects[i];
        return [.. program.LinkArguments.Select(a => byArgument.TryGetValue(a, out string? o) ? o : a)];
    }
}
