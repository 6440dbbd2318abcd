using System.Text.Json;

namespace CompilerLLM.Build.EndToEnd.Tests;

[Collection(PackageCollection.Name)]
public sealed class PackageTests(PackageFixture fixture)
{
    private const string TestCommand = "<CompilerLlmTestCommand>$(NativeOutputPath)</CompilerLlmTestCommand>";

    private TestProject NewProgram(string name, string properties)
    {
        var p = new TestProject(fixture, name);
        Programs.WriteSources(p);
        p.WriteProject(properties, Programs.Items);
        return p;
    }

    /// <summary>The program built by plain gcc from the same sources and flags, and its output.</summary>
    private static string PlainOutput(TestProject p, string flags)
    {
        var objects = new List<string>();
        foreach (string file in Programs.Files)
        {
            string obj = Path.Combine(p.Directory, "plain-" + Path.GetFileNameWithoutExtension(file) + ".o");
            p.RunSucceeding("gcc", ["-c", .. Programs.Arguments(file, flags), file, "-o", obj]);
            objects.Add(obj);
        }
        p.RunSucceeding("gcc", ["-o", "plain-program", .. objects]);
        return p.RunSucceeding(Path.Combine(p.Directory, "plain-program")).StandardOutput;
    }

    [Fact]
    public void The_package_holds_the_task_its_dependencies_and_the_targets_but_no_msbuild()
    {
        string nupkg = Directory.GetFiles(fixture.Feed, "*.nupkg").Single();
        using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string expected in new[]
                 {
                     "build/CompilerLLM.Build.props", "build/CompilerLLM.Build.targets", "buildTransitive/CompilerLLM.Build.props",
                     "buildTransitive/CompilerLLM.Build.targets", "tasks/net10.0/CompilerLLM.Build.Tasks.dll", "tasks/net10.0/CompilerLLM.Build.Tasks.deps.json",
                     "tasks/net10.0/CompilerLLM.Runtime.dll", "tasks/net10.0/Iced.dll", "tasks/net10.0/libonnxruntime.so.1", "docs/msbuild.md",
                 })
            Assert.Contains(expected, names);
        Assert.DoesNotContain(names, n => n.Contains("Microsoft.Build", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n.StartsWith("lib/", StringComparison.Ordinal));
        string nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
        Assert.Contains("<developmentDependency>true</developmentDependency>", nuspec);
        Assert.Contains("<id>CompilerLLM.Build</id>", nuspec);
        Assert.Equal(File.Exists(Path.Combine(fixture.RepositoryRoot, "src/Runtime/Inference/Model/policy.onnx")), names.Contains("tasks/net10.0/policy.onnx"));
    }

    /// <summary>The managed code beside the tasks: the tasks, the engine, the toolchain and Iced. Nothing else.</summary>
    private static readonly string[] PackedAssemblies =
        ["CompilerLLM.Build.Tasks.dll", "CompilerLLM.Runtime.dll", "CompilerLLM.Toolchain.dll", "Iced.dll"];

    [Fact]
    public void The_package_holds_the_engine_but_no_lab_or_trainer_code()
    {
        string nupkg = Directory.GetFiles(fixture.Feed, "*.nupkg").Single();
        using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
        var assemblies = zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(PackedAssemblies.Select(a => "tasks/net10.0/" + a).Order(StringComparer.Ordinal),
            assemblies.Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("Lab", StringComparison.Ordinal) || e.FullName.Contains("train", StringComparison.OrdinalIgnoreCase));

        // And inside them: no reference to the lab or the trainer, no type of theirs compiled in.
        string extracted = Path.Combine(fixture.Root, "packed-assemblies");
        Directory.CreateDirectory(extracted);
        foreach (var entry in assemblies)
        {
            string path = Path.Combine(extracted, entry.Name);
            System.IO.Compression.ZipFileExtensions.ExtractToFile(entry, path, overwrite: true);
            var d = CompilerLLM.Tests.Shared.AssemblyDependencies.Read(path);
            Assert.DoesNotContain(d.References, r => r is "CompilerLLM.Lab" or "compilerllm" or "compilerllm-train");
            Assert.DoesNotContain(d.Namespaces, n => n.StartsWith("CompilerLLM.Lab", StringComparison.Ordinal)
                || n.StartsWith("CompilerLLM.Training", StringComparison.Ordinal) || n.StartsWith("CompilerLLM.Cli", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Flag_off_gives_objects_byte_identical_to_plain_gcc()
    {
        var p = NewProgram("flag-off", "<CompilerLlmCFlags>-O2 -g</CompilerLlmCFlags>");
        var build = p.BuildSucceeding("-c", "Release");
        Assert.Empty(build.WarningCodes);
        Assert.Contains(build.Lines("CLLM5005"), l => l.Contains("optimizer off; 3 translation unit(s)"));
        Assert.False(build.Ran("CompilerLlmOptimizeAssembly"));
        string obj = p.IntermediateDirectory();
        foreach (string file in Programs.Files)
        {
            string stem = Path.ChangeExtension(file, null);
            string plain = Path.Combine(p.Directory, "plain.o");
            p.RunSucceeding("gcc", ["-c", .. Programs.Arguments(file, "-O2 -g"), file, "-o", plain]);
            Assert.True(File.ReadAllBytes(plain).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(obj, stem + ".o"))), $"{file}: object differs from gcc -c");
            Assert.False(File.Exists(Path.Combine(obj, stem + ".opt.o")));
        }
        Assert.False(File.Exists(Path.Combine(obj, "report.json")));
        Assert.Equal(PlainOutput(p, "-O2 -g"), p.RunSucceeding(p.NativeOutput()).StandardOutput);
    }

    [Fact]
    public void Flag_on_optimizes_reports_keeps_behaviour_and_rebuilds_incrementally()
    {
        // The project's flags for every unit (CompilerLlmVariants base): this test is about the rewrites' incremental path; with the
        // shipped variant model a changed source changes the profile and so every unit's profile-use compile (VariantTests).
        var p = NewProgram("flag-on", "<CompilerLlmOptimize Condition=\"'$(Configuration)' == 'Release'\">true</CompilerLlmOptimize>\n"
            + "<CompilerLlmVariants>base</CompilerLlmVariants>\n" + TestCommand);
        var first = p.BuildSucceeding("-c", "Release");
        Assert.Empty(first.WarningCodes);
        Assert.True(first.Ran("CompilerLlmOptimizeAssembly"));
        var summary = Assert.Single(first.Lines("CLLM5001"));
        Assert.Contains("3 translation unit(s)", summary);
        Assert.Contains("test replay: identical", summary);
        // The package's ONNX policy chose the rewrites (the model's hash is the policy identity).
        Assert.Contains("(policy onnx:", first.Output);

        string obj = p.IntermediateDirectory();
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(obj, "report.json"))))
        {
            Assert.Equal(3, report.RootElement.GetProperty("translationUnits").GetInt32());
            Assert.True(report.RootElement.GetProperty("rewritesApplied").GetInt32() > 0);
            Assert.Equal(0, report.RootElement.GetProperty("fallbacks").GetInt32());
            Assert.Equal("optimized", report.RootElement.GetProperty("replay").GetProperty("final").GetString());
        }
        Assert.Contains("<h1>CompilerLLM: ", File.ReadAllText(Path.Combine(obj, "report.html")));
        Assert.Contains(Programs.Files, f => !File.ReadAllBytes(Path.Combine(obj, Path.ChangeExtension(f, ".o")))
            .AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(obj, Path.ChangeExtension(f, ".opt.o")))));
        // GCC's objects stay byte-identical to gcc -c even with the optimizer on.
        string plain = Path.Combine(p.Directory, "plain.o");
        p.RunSucceeding("gcc", ["-c", .. Programs.Arguments("src/hash.c", "-O2"), "src/hash.c", "-o", plain]);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(Path.Combine(obj, "src/hash.o")));
        string expected = PlainOutput(p, "-O2");
        Assert.Equal(expected, p.RunSucceeding(p.NativeOutput()).StandardOutput);

        // Nothing changed: every heavy target is skipped, the summary is still there.
        var optTimes = Programs.Files.Select(f => File.GetLastWriteTimeUtc(Path.Combine(obj, Path.ChangeExtension(f, ".opt.o")))).ToList();
        var second = p.BuildSucceeding("-c", "Release");
        Assert.True(second.Skipped("CompilerLlmOptimizeAssembly"), "the optimize target ran again on an unchanged project");
        Assert.True(second.Skipped("CompilerLlmCompile"));
        Assert.True(second.Skipped("CompilerLlmLink"));
        Assert.Single(second.Lines("CLLM5001"));
        Assert.Equal(optTimes, Programs.Files.Select(f => File.GetLastWriteTimeUtc(Path.Combine(obj, Path.ChangeExtension(f, ".opt.o")))));

        // One source changed: only that file is compiled and optimized again.
        p.Write("src/main.c", File.ReadAllText(Path.Combine(p.Directory, "src/main.c")).Replace("total %u", "sum %u"));
        var third = p.BuildSucceeding("-c", "Release");
        Assert.True(third.Ran("CompilerLlmOptimizeAssembly"));
        Assert.Contains("compiled 1 of 3 translation unit(s)", third.DetailedLog);
        Assert.Contains("optimized 1 of 3 translation unit(s)", third.DetailedLog);
        Assert.Contains("hello, sum ", p.RunSucceeding(p.NativeOutput()).StandardOutput);
    }

    [Fact]
    public void A_corrupted_rewrite_is_caught_by_replay_bisected_to_its_file_and_fallen_back()
    {
        // The corruption needs a rewrite in fnv1a to corrupt: policy "all" guarantees one whatever the shipped model chooses.
        var p = NewProgram("fault", "<CompilerLlmOptimize>true</CompilerLlmOptimize>\n<CompilerLlmPolicy>all</CompilerLlmPolicy>\n<CompilerLlmFaultInjectionFunction>fnv1a</CompilerLlmFaultInjectionFunction>\n" + TestCommand);
        var build = p.BuildSucceeding("-c", "Release");
        Assert.Equal(["CLLM2006", "CLLM4001", "CLLM4002"], build.WarningCodes.Order());
        var culprit = Assert.Single(build.Lines("CLLM4002"));
        Assert.Contains("src/hash.c", culprit);
        Assert.Contains("fell back", Assert.Single(build.Lines("CLLM5001")));

        string obj = p.IntermediateDirectory();
        using (var replay = JsonDocument.Parse(File.ReadAllText(Path.Combine(obj, "replay.json"))))
        {
            Assert.Equal(["src/hash.c"], replay.RootElement.GetProperty("culprits").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("partially optimized", replay.RootElement.GetProperty("final").GetString());
        }
        // The corrupted object really is wrong: linked alone with the others optimized, the program misbehaves.
        var broken = p.Run("gcc", "-o", "broken", Path.Combine(obj, "src/main.opt.o"), Path.Combine(obj, "src/hash.opt.o"), Path.Combine(obj, "src/digits.opt.o"));
        Assert.True(broken.Succeeded, broken.StandardError);
        var brokenRun = p.Run(Path.Combine(p.Directory, "broken"));
        string expected = PlainOutput(p, "-O2");
        Assert.False(brokenRun.Succeeded && brokenRun.StandardOutput == expected, "fault injection did not change the program");
        // The artifact is correct and holds the other files' optimized code.
        Assert.Equal(expected, p.RunSucceeding(p.NativeOutput()).StandardOutput);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(obj, "report.json")));
        var units = report.RootElement.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("source").GetString()!, u => u.GetProperty("status").GetString());
        Assert.Equal("fallback", units["src/hash.c"]);
        Assert.NotEqual("fallback", units["src/main.c"]);
    }

    [Fact]
    public void Misuse_is_a_coded_error()
    {
        var p = NewProgram("misuse", "<CompilerLlmOptimize>true</CompilerLlmOptimize>\n<CompilerLlmPolicy>greedy</CompilerLlmPolicy>\n<NativeOutputType>Program</NativeOutputType>");
        var build = p.Build("-c", "Release");
        Assert.False(build.Succeeded);
        Assert.Equal(["CLLM1001"], build.ErrorCodes);
        Assert.Contains(build.Lines("CLLM1001"), l => l.Contains("CompilerLlmPolicy") && l.Contains("greedy"));
        Assert.Contains(build.Lines("CLLM1001"), l => l.Contains("NativeOutputType") && l.Contains("Program"));

        var q = NewProgram("bad-c", "");
        q.Write("src/digits.c", "int digits(unsigned v) { return undefined_name; }\n");
        var failed = q.Build();
        Assert.False(failed.Succeeded);
        Assert.Contains(failed.Lines("CLLM1003"), l => l.Contains("src/digits.c(1,") || l.Contains("src/digits.c(1)"));
    }

    [Fact]
    public void A_32_bit_target_builds_unoptimized_with_a_warning()
    {
        var p = new TestProject(fixture, "m32");
        p.Write("src/sum.c", "int sum(const int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }\n");
        p.WriteProject("<NativeOutputType>StaticLibrary</NativeOutputType>\n<CompilerLlmOptimize>true</CompilerLlmOptimize>\n<CompilerLlmCFlags>-O2 -m32</CompilerLlmCFlags>",
            "<ClCompile Include=\"src/sum.c\" />");
        var build = p.BuildSucceeding("-c", "Release");
        Assert.Equal(["CLLM2002"], build.WarningCodes);
        Assert.Contains("i386", Assert.Single(build.Lines("CLLM2002")));
        Assert.False(build.Ran("CompilerLlmOptimizeAssembly"));
        Assert.False(File.Exists(Path.Combine(p.IntermediateDirectory(), "src/sum.opt.o")));
        var header = p.RunSucceeding("readelf", "-h", Path.Combine(p.IntermediateDirectory(), "src/sum.o")).StandardOutput;
        Assert.Contains("ELF32", header);
        Assert.True(File.Exists(p.NativeOutput()));
    }

    [Fact]
    public void A_compiler_that_is_not_gcc_builds_unoptimized_with_a_warning()
    {
        // A driver that identifies as clang (it is gcc underneath, so the C still compiles).
        var p = NewProgram("not-gcc", "<CompilerLlmOptimize>true</CompilerLlmOptimize>\n<CompilerLlmCompiler>$(MSBuildProjectDirectory)/cc-clang</CompilerLlmCompiler>");
        string driver = p.Write("cc-clang", "#!/bin/sh\nexec gcc -D__clang__=1 \"$@\"\n");
        p.RunSucceeding("chmod", "+x", driver);
        var build = p.BuildSucceeding("-c", "Release");
        Assert.Equal(["CLLM2003"], build.WarningCodes);
        Assert.False(build.Ran("CompilerLlmOptimizeAssembly"));
        Assert.Contains(build.Lines("CLLM5005"), l => l.Contains("optimizer off"));
        Assert.Contains("hello, total", p.RunSucceeding(p.NativeOutput()).StandardOutput);
    }

    [Fact]
    public void A_shared_library_is_built_position_independent_and_replayed()
    {
        var p = new TestProject(fixture, "shared");
        p.Write("src/lib.c", "unsigned mix(unsigned x) { for (int i = 0; i < 7; i++) x = x * 2654435761u + 1; return x; }\n");
        p.Write("test/main.c", "#include <stdio.h>\nunsigned mix(unsigned);\nint main(void) { printf(\"%u %u\\n\", mix(1), mix(42)); return 0; }\n");
        p.WriteProject("""
                <NativeOutputType>SharedLibrary</NativeOutputType>
                <NativeOutputPath>$(NativeOutputDirectory)libmix.so</NativeOutputPath>
                <CompilerLlmOptimize>true</CompilerLlmOptimize>
                <CompilerLlmTestCommand>gcc test/main.c $(NativeOutputPath) -o obj/mix-test &amp;&amp; LD_LIBRARY_PATH=$(NativeOutputDirectory) obj/mix-test</CompilerLlmTestCommand>
            """, "<ClCompile Include=\"src/lib.c\" />");
        var build = p.BuildSucceeding("-c", "Release");
        Assert.Empty(build.WarningCodes);
        Assert.Contains("test replay: identical", Assert.Single(build.Lines("CLLM5001")));
        string so = p.NativeOutput(name: "libmix.so");
        Assert.Contains("DYN (Shared object file)", p.RunSucceeding("readelf", "-h", so).StandardOutput);
        Assert.Contains("-fPIC", File.ReadAllText(Path.Combine(p.IntermediateDirectory(), "src/lib.stamp")));
    }
}
