using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.EndToEnd.Tests;

/// <summary>
/// Every speed claim must be about what users get: `compilerllm eval` builds a program exactly as the package does.
/// One translation unit, built by the packed package in a user's project and by eval from the same folder with the
/// same flags and policy: GCC's objects are byte-identical, and so are ours. With <c>-g</c>, so that the debug
/// information (the source path as GCC was given it, the directory it ran in, the assembler's DWARF options) is
/// compared too.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class EvalIdentityTests(PackageFixture fixture)
{
    private const string Program = """
        #include <stdio.h>
        #include <stdint.h>
        static uint32_t mix(uint32_t h, uint32_t v) { h ^= v; h *= 16777619u; return h + (h >> 7); }
        int main(void)
        {
            uint32_t h = 2166136261u;
            long sum = 0;
            for (uint32_t i = 0; i < 200000; i++) { h = mix(h, i * 3u); sum += (long)(h & 1023) * 5 + (i & 7); }
            printf("%u %ld\n", h, sum);
            return 0;
        }
        """;

    [Fact]
    public void Eval_and_the_package_build_byte_identical_objects_for_gccs_build_and_ours()
    {
        var suite = new TestProject(fixture, "eval-identity");
        string program = Path.Combine(suite.Directory, "prog");
        suite.Write("prog/prog.c", Program);
        suite.Write("prog/program.json", """{ "sources": ["prog.c"], "cflags": "-std=gnu11", "expected_exit": 0 }""");
        suite.Write("prog/project.csproj", $"""
            <Project Sdk="Microsoft.Build.NoTargets/3.7.0">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <CompilerLlmOptimize>true</CompilerLlmOptimize>
                <CompilerLlmCFlags>-O2 -g -std=gnu11</CompilerLlmCFlags>
                <CompilerLlmPolicy>all</CompilerLlmPolicy>
                <!-- eval builds with the suite's flags: the package must too (no variant choice) -->
                <CompilerLlmVariants>base</CompilerLlmVariants>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CompilerLLM.Build" Version="{fixture.Version}" PrivateAssets="all" />
                <ClCompile Include="prog.c" />
              </ItemGroup>
            </Project>
            """);
        var build = fixture.Dotnet(program, "build", "project.csproj", "-c", "Release", "-nr:false", "--nologo");
        Assert.True(build.Succeeded, build.StandardOutput + build.StandardError);

        string work = Path.Combine(suite.Directory, "eval-work");
        string cli = Path.Combine(AppContext.BaseDirectory, "compilerllm.dll");
        var eval = ProcessRunner.Run(new ProcessSpec("dotnet", [cli, "eval", suite.Directory, "--baseline-flags", "-O2 -g", "--policy", "all", "--work", work])
        {
            Timeout = TimeSpan.FromMinutes(5),
            Environment = new Dictionary<string, string?> { ["COMPILERLLM_CACHE"] = Path.Combine(suite.Directory, "cache") },
        });
        Assert.True(eval.Succeeded, eval.StandardOutput + eval.StandardError);
        Assert.Contains("eval: compile 1/1, tests 1/1", eval.StandardOutput);

        string package = Path.Combine(program, "obj", "Release", "net10.0", "compilerllm");
        string units = Path.Combine(work, "prog", "units");
        byte[] gccByPackage = File.ReadAllBytes(Path.Combine(package, "prog.o"));
        byte[] oursByPackage = File.ReadAllBytes(Path.Combine(package, "prog.opt.o"));
        Assert.NotEqual(gccByPackage, oursByPackage); // the unit was rewritten, so the comparison of ours means something
        Assert.Equal(gccByPackage, File.ReadAllBytes(Path.Combine(units, "0-prog.o")));
        Assert.Equal(oursByPackage, File.ReadAllBytes(Path.Combine(units, "0-prog.opt.o")));
    }
}
