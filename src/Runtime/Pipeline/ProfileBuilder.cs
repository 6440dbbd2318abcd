using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Pipeline;

/// <summary>What a profile build did: the profile (null when none could be made), and why not.</summary>
public sealed record ProfileOutcome(ProfileSet? Profile, string? Failure, int Units, int UnitsWithData, TimeSpan Elapsed);

/// <summary>
/// The project's profile, made the way GCC makes one: every unit compiled with <c>-fprofile-generate</c> (each object
/// named as <see cref="ProfileSet"/> expects), the artifact linked (or archived, with GCC's profiling runtime added
/// so that a test program linking the library finds it), put where the workload expects the artifact for the run
/// (the artifact that was there comes back afterwards), and the project's training workload run once. The <c>.gcda</c> files it leaves are the profile; a failure anywhere is an
/// outcome (the build goes on without a profile), never an exception.
/// </summary>
public sealed class ProfileBuilder(Gcc gcc)
{
    public ProfileOutcome Build(IReadOnlyList<TranslationUnit> units, NativeOutputKind kind, string artifactPath, IReadOnlyList<string> linkFlags,
        string workload, string workingDirectory, TimeSpan timeout, string profileDirectory, int parallelism = 0)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ProfileOutcome Fail(string why) => new(null, why, units.Count, 0, clock.Elapsed);
        string dir = Path.GetFullPath(profileDirectory);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        string[] generate = [$"-fprofile-generate={dir}", "-fprofile-update=single"];

        var objects = new string[units.Count];
        var failures = new string?[units.Count];
        Parallel.For(0, units.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount }, i =>
        {
            var unit = units[i];
            string obj = ProfileSet.InstrumentedObjectOf(unit.Files.Asm);
            Directory.CreateDirectory(Path.GetDirectoryName(obj)!);
            var r = gcc.Invoke(["-c", .. Gcc.WithoutDependencyOptions(unit.Arguments), .. generate, unit.Source, "-o", obj]);
            objects[i] = obj;
            if (!r.Succeeded) failures[i] = $"{unit.Source}: {UnitBuilder.FirstErrorLine(r.StandardError)}";
        });
        if (failures.FirstOrDefault(f => f is not null) is { } failure) return Fail("the instrumented compile failed: " + failure);

        string artifact = Path.Combine(dir, "instrumented" + Path.GetExtension(artifactPath));
        var linked = kind switch
        {
            NativeOutputKind.StaticLibrary => Archive(objects, artifact),
            _ => gcc.Link(kind, objects, artifact, [.. linkFlags, "-fprofile-generate"]),
        };
        if (!linked.Succeeded) return Fail("the instrumented link failed: " + UnitBuilder.FirstErrorLine(linked.StandardError));
        // The instrumented artifact stands where the workload expects the artifact, for the run only: the one that
        // was there (with its time, so incremental builds see nothing new) comes back afterwards.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(artifactPath))!);
        string saved = Path.Combine(dir, "saved-artifact");
        bool hadArtifact = File.Exists(artifactPath);
        if (hadArtifact) File.Move(artifactPath, saved, overwrite: true);
        ProgramOutcome run;
        try
        {
            File.Copy(artifact, artifactPath, overwrite: true);
            run = UserProgram.RunShell(workload, workingDirectory, timeout,
                new Dictionary<string, string?> { ["COMPILERLLM_ARTIFACT"] = Path.GetFullPath(artifactPath), ["COMPILERLLM_PROFILE_RUN"] = "1" });
        }
        finally
        {
            File.Delete(artifactPath);
            if (hadArtifact) File.Move(saved, artifactPath);
        }
        if (run.TimedOut) return Fail($"the training workload did not finish within {timeout.TotalSeconds:0} s");
        if (run.ExitCode != 0) return Fail($"the training workload exited with code {run.ExitCode}");
        var profile = new ProfileSet(dir);
        int withData = units.Count(u => profile.DataFor(u.Files.Asm) is not null);
        if (withData == 0) return Fail("the training workload left no profile data (did it run the artifact?)");
        return new ProfileOutcome(profile, null, units.Count, withData, clock.Elapsed);
    }

    /// <summary>An instrumented static library carries GCC's profiling runtime, so programs linking it need no <c>-lgcov</c>.</summary>
    private ProcessResult Archive(string[] objects, string archive)
    {
        var runtime = gcc.Probe(["-print-file-name=libgcov.a"]);
        string libgcov = runtime.StandardOutput.Trim();
        var members = new List<string>(objects);
        if (runtime.Succeeded && File.Exists(libgcov))
        {
            string extract = Path.Combine(Path.GetDirectoryName(archive)!, "libgcov");
            Directory.CreateDirectory(extract);
            if (gcc.ExtractArchive(libgcov, extract).Succeeded) members.AddRange(Directory.GetFiles(extract, "*.o").Order(StringComparer.Ordinal));
        }
        return gcc.Link(NativeOutputKind.StaticLibrary, members, archive, []);
    }
}
