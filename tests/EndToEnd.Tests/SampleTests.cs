namespace CompilerLLM.Build.EndToEnd.Tests;

/// <summary>The repository's samples, copied out and built from the packed feed with the optimizer on.</summary>
[Collection(PackageCollection.Name)]
public sealed class SampleTests(PackageFixture fixture)
{
    private TestProject CopySample(string name)
    {
        var p = new TestProject(fixture, name);
        string from = Path.Combine(fixture.RepositoryRoot, "samples", name);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.Split('/')[0] is "bin" or "obj") continue;
            string target = relative.EndsWith(".csproj", StringComparison.Ordinal) ? "project.csproj" : relative;
            p.Write(target, File.ReadAllText(file));
        }
        return p;
    }

    [Fact]
    public void The_codec_application_self_tests_identically_when_optimized()
    {
        var p = CopySample("codec");
        var build = p.BuildSucceeding("-c", "Release", $"-p:CompilerLlmPackageVersion={fixture.Version}");
        Assert.Empty(build.WarningCodes);
        var summary = Assert.Single(build.Lines("CLLM5001"));
        Assert.Contains("8 translation unit(s)", summary);
        Assert.Contains("test replay: identical", summary);
        Assert.DoesNotContain(" 0 rewrites applied", summary);
        var run = p.RunSucceeding(p.NativeOutput(), "--self-test");
        Assert.Contains("self-test: 46 checks, 0 failures", run.StandardOutput);
    }

    [Fact]
    public void The_imagekit_static_library_passes_its_test_program_when_optimized()
    {
        var p = CopySample("imagekit");
        var build = p.BuildSucceeding("-c", "Release", $"-p:CompilerLlmPackageVersion={fixture.Version}");
        Assert.Empty(build.WarningCodes);
        Assert.Contains("test replay: identical", Assert.Single(build.Lines("CLLM5001")));
        string library = p.NativeOutput(name: "libimagekit.a");
        Assert.Contains("!<arch>", File.ReadAllText(library)[..8]);
        p.RunSucceeding("gcc", "-O2", "-Iinclude", "tests/test_imagekit.c", library, "-lm", "-o", "check");
        Assert.Contains("0 failures", p.RunSucceeding(Path.Combine(p.Directory, "check")).StandardOutput);
    }
}
