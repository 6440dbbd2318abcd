using CompilerLLM.Training.Learning;
using CompilerLLM.Training.Onnx;
using CompilerLLM.Variants;

namespace CompilerLLM.Build.EndToEnd.Tests;

/// <summary>
/// The packed package choosing how each unit is compiled: a profile build from the test command, the profile-use
/// variant chosen and replayed, a profile that does not match a unit, a workload that fails, and the size objective.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class VariantTests(PackageFixture fixture)
{
    private const string Optimized = "<CompilerLlmOptimize>true</CompilerLlmOptimize>\n<CompilerLlmTestCommand>$(NativeOutputPath)</CompilerLlmTestCommand>";

    /// <summary>A variant model (the real contract) that scores one variant above every other, whatever the unit.</summary>
    internal static string ModelPreferring(TestProject p, string variant)
    {
        int width = VariantFeatures.Width;
        var w = new float[width];
        w[VariantFeatures.UnitWidth + VariantFeatures.Variants.ToList().FindIndex(v => v.Name == variant)] = 1;
        byte[] onnx = MlpOnnxWriter.Write([new DenseLayerWeights(width, 1, w, [0f], Activation.None)], "features", "scores",
            VariantPolicy.Contract.Metadata(), "test variant model");
        string path = Path.Combine(p.Directory, $"prefer-{variant}.onnx");
        File.WriteAllBytes(path, onnx);
        return path;
    }

    private TestProject NewProgram(string name, string properties)
    {
        var p = new TestProject(fixture, name);
        Programs.WriteSources(p);
        p.WriteProject(properties, Programs.Items);
        return p;
    }

    [Fact]
    public void The_test_command_profiles_the_build_and_the_profile_use_variant_is_compiled_and_replayed()
    {
        var p = NewProgram("variants-pgo", Optimized + "\n<CompilerLlmVariants>prefer-pgo.onnx</CompilerLlmVariants>");
        ModelPreferring(p, "pgo");
        var build = p.BuildSucceeding("-c", "Release");
        Assert.Empty(build.WarningCodes);
        Assert.True(build.Ran("CompilerLlmProfile"));
        Assert.Contains(build.Lines("CLLM5006"), l => l.Contains("Profile: 3 of 3 translation unit(s) ran in the training workload"));
        string summary = Assert.Single(build.Lines("CLLM5001"));
        Assert.Contains("test replay: identical", summary);
        Assert.Contains("variants: 3 pgo", summary);
        string obj = p.IntermediateDirectory();
        foreach (string file in Programs.Files)
        {
            string stem = Path.Combine(obj, Path.ChangeExtension(file, null));
            Assert.True(File.Exists(stem + ".var.o"), file);
            Assert.NotEqual(File.ReadAllText(stem + ".s"), File.ReadAllText(stem + ".var.s")); // profile use changed GCC's code
        }
        // The artifact is the optimized program, not the instrumented one (no profiling runtime left in it).
        var symbols = p.RunSucceeding("nm", [p.NativeOutput()]).StandardOutput;
        Assert.DoesNotContain("__gcov", symbols);

        // Nothing changed: the profile is not made again, nothing is compiled again.
        var again = p.BuildSucceeding("-c", "Release");
        Assert.True(again.Skipped("CompilerLlmProfile"));
        Assert.Contains("variants: 3 pgo", Assert.Single(again.Lines("CLLM5001")));
    }

    [Fact]
    public void A_profile_that_does_not_match_a_unit_is_a_coded_warning_and_the_unit_keeps_its_flags()
    {
        var p = NewProgram("variants-stale", Optimized + "\n<CompilerLlmVariants>prefer-pgo.onnx</CompilerLlmVariants>");
        ModelPreferring(p, "pgo");
        p.BuildSucceeding("-c", "Release");
        // The source changes (a new loop) while the profile stays as it was (its stamp looks newer than the edit, as
        // when a profile is older than a change that no training run has seen yet).
        p.Write("src/hash.c", """
            #include "hash.h"
            uint32_t fnv1a(const unsigned char *d, size_t n)
            {
                uint32_t h = 2166136261u;
                for (size_t i = 0; i < n; i++) { h ^= d[i]; h *= 16777619u; for (int k = 0; k < (d[i] & 3); k++) h += (uint32_t)k; }
                return h;
            }
            """);
        File.SetLastWriteTimeUtc(Path.Combine(p.IntermediateDirectory(), "profile.stamp"), DateTime.UtcNow.AddMinutes(5));
        var build = p.BuildSucceeding("-c", "Release");
        var warning = Assert.Single(build.Lines("CLLM2010"));
        Assert.Contains("src/hash.c", warning);
        Assert.Contains("pgo not used", warning);
        string summary = Assert.Single(build.Lines("CLLM5001"));
        Assert.Contains("test replay: identical", summary);
        Assert.Contains("variants: 2 pgo", summary); // the two units the profile still matches keep profile use
        Assert.True(build.Skipped("CompilerLlmProfile"));
    }

    [Fact]
    public void A_failing_training_workload_is_a_coded_warning_and_a_build_without_a_profile()
    {
        var p = NewProgram("variants-noprofile", Optimized + "\n<CompilerLlmVariants>prefer-pgo.onnx</CompilerLlmVariants>"
            + "\n<CompilerLlmProfileWorkload>$(NativeOutputPath) --fail</CompilerLlmProfileWorkload>");
        ModelPreferring(p, "pgo");
        var build = p.BuildSucceeding("-c", "Release");
        Assert.Contains(build.Lines("CLLM2009"), l => l.Contains("exited with code 1"));
        string summary = Assert.Single(build.Lines("CLLM5001"));
        Assert.Contains("test replay: identical", summary);
        Assert.DoesNotContain("pgo", summary); // without a profile there is no profile variant to choose
    }

    [Fact]
    public void The_size_objective_takes_the_smallest_code_per_unit_and_passes_the_tests()
    {
        var p = NewProgram("variants-size", Optimized + "\n<CompilerLlmObjective>size</CompilerLlmObjective><CompilerLlmCFlags>-O3</CompilerLlmCFlags>");
        var build = p.BuildSucceeding("-c", "Release");
        Assert.False(build.Ran("CompilerLlmProfile"));
        string summary = Assert.Single(build.Lines("CLLM5001"));
        Assert.Contains("test replay: identical", summary);
        Assert.Contains("variants:", summary);
        string obj = p.IntermediateDirectory();
        foreach (string file in Programs.Files)
        {
            string stem = Path.Combine(obj, Path.ChangeExtension(file, null));
            string os = Path.Combine(p.Directory, "os.o");
            p.RunSucceeding("gcc", ["-c", .. Programs.Arguments(file, "-O3"), "-Os", file, "-o", os]);
            long oursCode = CodeBytes(p, File.Exists(stem + ".var.o") ? stem + ".var.o" : stem + ".o");
            Assert.True(oursCode <= CodeBytes(p, os), $"{file}: {oursCode} bytes of code, -Os gives {CodeBytes(p, os)}");
            // What is linked: the chosen variant with the rewrites on top, none of which may make the code longer.
            long linked = CodeBytes(p, stem + ".opt.o");
            Assert.True(linked <= oursCode, $"{file}: the rewrites took the code from {oursCode} to {linked} bytes");
            Assert.DoesNotContain("\"sizeDelta\": -", File.ReadAllText(stem + ".report.json"));
        }
    }

    private static long CodeBytes(TestProject p, string obj) =>
        p.RunSucceeding("size", ["-A", obj]).StandardOutput.Split('\n')
            .Where(l => l.StartsWith(".text", StringComparison.Ordinal))
            .Sum(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>The package's content cache: a clean rebuild takes every optimized unit from it, byte for byte.</summary>
[Collection(PackageCollection.Name)]
public sealed class CacheTests(PackageFixture fixture)
{
    [Fact]
    public void A_clean_rebuild_takes_every_optimized_unit_from_the_cache()
    {
        var p = new TestProject(fixture, "cache-rebuild");
        Programs.WriteSources(p);
        p.WriteProject("<CompilerLlmOptimize>true</CompilerLlmOptimize>\n<CompilerLlmTestCommand>$(NativeOutputPath)</CompilerLlmTestCommand>\n"
            + "<CompilerLlmCacheDirectory>cache</CompilerLlmCacheDirectory>", Programs.Items);
        var first = p.BuildSucceeding("-c", "Release");
        string obj = p.IntermediateDirectory();
        var objects = Programs.Files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(obj, Path.ChangeExtension(f, ".opt.o"))));
        Assert.True(Directory.Exists(Path.Combine(p.Directory, "cache")));

        Directory.Delete(obj, recursive: true);
        var second = p.BuildSucceeding("-c", "Release");
        Assert.Equal(Assert.Single(first.Lines("CLLM5001")).Split("optimizer")[0], Assert.Single(second.Lines("CLLM5001")).Split("optimizer")[0]);
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(obj, "report.json")));
        var units = report.RootElement.GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(3, units.Count);
        Assert.All(units, u => Assert.True(u.GetProperty("fromCache").GetBoolean()));
        foreach (var (file, bytes) in objects) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(obj, Path.ChangeExtension(file, ".opt.o"))));
    }
}
