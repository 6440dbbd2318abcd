namespace CompilerLLM.Toolchain.Tests;

/// <summary>Which compiler invocations the launcher acts on, and the compilation to assembly it derives from them.</summary>
public sealed class CompileInvocationTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-invocation-");

    public void Dispose() => _temp.Dispose();

    private static string[] Words(string commandLine) => [.. ShellWords.Split(commandLine)];

    [Theory]
    [InlineData("-c x.c -o x.o", "x.c", "x.o", "")]
    [InlineData("-O2 -g -c src/x.c", "src/x.c", "x.o", "-O2 -g")]
    [InlineData("-c -o out/x.o -Iinclude -DA=1 x.c -Wall", "x.c", "out/x.o", "-Iinclude -DA=1 -Wall")]
    [InlineData("-c x.c -oobj/x.o", "x.c", "obj/x.o", "")]
    [InlineData("-include cfg.h -c x.c", "x.c", "x.o", "-include cfg.h")]
    [InlineData("-I notasource.c -c x.c", "x.c", "x.o", "-I notasource.c")]
    [InlineData("-c x.cpp -std=c++17", "x.cpp", "x.o", "-std=c++17")]
    [InlineData("-c x.i", "x.i", "x.o", "")]
    [InlineData("-c -Wa,--noexecstack -g3 -fPIC x.c", "x.c", "x.o", "-Wa,--noexecstack -g3 -fPIC")]
    [InlineData("-O2 -fprofile-update=atomic -fno-stack-usage -c x.c", "x.c", "x.o", "-O2 -fprofile-update=atomic -fno-stack-usage")]
    [InlineData("-c x.c -flto=none", "x.c", "x.o", "-flto=none")]
    [InlineData("-c -MD -MF x.dep -MT tgt x.c", "x.c", "x.o", "-MD -MF x.dep -MT tgt")]
    [InlineData("-c -MMD -MP x.c -o d/y.o", "x.c", "d/y.o", "-MMD -MP -MF d/y.d -MQ d/y.o")]
    public void A_compile_to_object_is_taken_apart(string commandLine, string source, string obj, string assemblyArguments)
    {
        var invocation = CompileInvocation.Classify(Words(commandLine), out _);
        Assert.NotNull(invocation);
        Assert.Equal(source, invocation.Source);
        Assert.Equal(obj, invocation.Object);
        Assert.Equal(Words(assemblyArguments), invocation.AssemblyArguments);
    }

    [Theory]
    [InlineData("x.o y.o -o prog", PassReason.NotCompileToObject)]
    [InlineData("x.c -o prog", PassReason.NotCompileToObject)]
    [InlineData("--version", PassReason.DriverMode)]
    [InlineData("-E x.c", PassReason.NoObjectOutput)]
    [InlineData("-S x.c", PassReason.NoObjectOutput)]
    [InlineData("-M x.c", PassReason.NoObjectOutput)]
    [InlineData("-MM -c x.c", PassReason.NoObjectOutput)]
    [InlineData("-fsyntax-only x.c", PassReason.NoObjectOutput)]
    [InlineData("@args.rsp", PassReason.ResponseFile)]
    [InlineData("-c x.c @more", PassReason.ResponseFile)]
    [InlineData("-x c -c x.txt", PassReason.ExplicitLanguage)]
    [InlineData("-xc -c x.c", PassReason.ExplicitLanguage)]
    [InlineData("-c a.c b.c", PassReason.SeveralSources)]
    [InlineData("-c -", PassReason.StandardInput)]
    [InlineData("-c x.c -o -", PassReason.ObjectToStandardOutput)]
    [InlineData("-c x.s", PassReason.NoSource)]
    [InlineData("-c x.S -o x.o", PassReason.NoSource)]
    [InlineData("-c", PassReason.NoSource)]
    [InlineData("-flto -c x.c", PassReason.LinkTimeOptimization)]
    [InlineData("-flto=auto -c x.c", PassReason.LinkTimeOptimization)]
    [InlineData("-m32 -c x.c", PassReason.NotX8664)]
    [InlineData("-mx32 -c x.c", PassReason.NotX8664)]
    [InlineData("-save-temps -c x.c", PassReason.DriverMode)]
    [InlineData("-save-temps=obj -c x.c", PassReason.DriverMode)]
    [InlineData("-O2 -g -gsplit-dwarf -c x.c -o x.o", PassReason.FilesNamedAfterObject)]
    [InlineData("-O2 --coverage -c x.c", PassReason.FilesNamedAfterObject)]
    [InlineData("-fprofile-arcs -ftest-coverage -c x.c", PassReason.FilesNamedAfterObject)]
    [InlineData("-ftest-coverage -c x.c", PassReason.FilesNamedAfterObject)]
    [InlineData("-O2 -fprofile-generate -c x.c", PassReason.FilesNamedAfterObject)]
    [InlineData("-O2 -fprofile-use=prof -fprofile-partial-training -c x.c", PassReason.FilesNamedAfterObject)]
    [InlineData("-O2 -fstack-usage -c x.c", PassReason.FilesNamedAfterObject)]
    [InlineData("-fcallgraph-info=su -c x.c", PassReason.FilesNamedAfterObject)]
    [InlineData("-fdump-tree-optimized -c x.c", PassReason.FilesNamedAfterObject)]
    public void Anything_else_passes_through_with_its_reason(string commandLine, PassReason expected)
    {
        Assert.Null(CompileInvocation.Classify(Words(commandLine), out var reason));
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData("-MD")]
    [InlineData("-MMD -MP")]
    [InlineData("-MD -MT custom-target")]
    [InlineData("-MMD -MF deps/x.dep")]
    [InlineData("-MD -MQ 'weird$name.o'")]
    public void The_dependency_file_is_the_one_gcc_c_writes(string dependencyOptions)
    {
        // Real gcc: the original command, then the launcher's way (to assembly, then assembled); same .d bytes.
        File.WriteAllText(_temp.File("x.c"), "#include <stdio.h>\nint main(void) { puts(\"x\"); return 0; }\n");
        Directory.CreateDirectory(_temp.File("out"));
        Directory.CreateDirectory(_temp.File("deps"));
        var original = Words($"-O2 {dependencyOptions} -c x.c -o out/x.o");
        Run(original);
        string dependencyFile = original.Contains("-MF") ? "deps/x.dep" : "out/x.d";
        byte[] expected = File.ReadAllBytes(_temp.File(dependencyFile));
        File.Delete(_temp.File(dependencyFile));

        var invocation = CompileInvocation.Classify(original, out _)!;
        var gcc = new Gcc(ToolchainOptions.Default, _temp.Path);
        Assert.True(gcc.CompileToAssembly(invocation.Source, invocation.AssemblyArguments, "out/tmp.s").Succeeded);
        Assert.Equal(expected, File.ReadAllBytes(_temp.File(dependencyFile)));
    }

    private void Run(string[] args)
    {
        var r = new Gcc(ToolchainOptions.Default, _temp.Path).Probe(args);
        Assert.True(r.Succeeded, r.StandardError);
    }

    [Theory]
    [InlineData("-O3 -c a.c b.c", "-O3 -c a.c|-O3 -c b.c", "a.o|b.o")]
    [InlineData("-c lib/a.c -Ilib lib/b.c -MMD -fPIC", "-c lib/a.c -Ilib -MMD -fPIC|-c -Ilib lib/b.c -MMD -fPIC", "a.o|b.o")]
    [InlineData("-c -I x.c a.c b.cpp", "-c -I x.c a.c|-c -I x.c b.cpp", "a.o|b.o")]
    public void Several_sources_without_an_output_split_into_one_command_each(string commandLine, string commands, string objects)
    {
        var parts = CompileInvocation.SplitSources(Words(commandLine));
        Assert.NotNull(parts);
        Assert.Equal(commands.Split('|').Select(Words), parts.Select(p => p.Arguments.ToArray()));
        Assert.Equal(objects.Split('|'), parts.Select(p => p.Invocation.Object));
    }

    [Theory]
    [InlineData("-c a.c")]                   // one source: Classify's
    [InlineData("a.c b.c -o prog")]          // linking
    [InlineData("-c a.c b.c -o x.o")]        // GCC's own error to give
    [InlineData("-c -MMD -MF d.d a.c b.c")]  // one dependency file for both
    [InlineData("-c -MD -MT t a.c b.c")]
    [InlineData("-c a.c sub/a.c")]           // one object name for both
    [InlineData("-c a.c b.c -flto")]         // a source that alone would pass too
    public void Several_sources_that_cannot_be_split_faithfully_are_not(string commandLine) =>
        Assert.Null(CompileInvocation.SplitSources(Words(commandLine)));

    [Theory]
    [InlineData("x.o", "x.d")]
    [InlineData("out/x.o", "out/x.d")]
    [InlineData("out.dir/x", "out.dir/x.d")]
    [InlineData("x.obj.o", "x.obj.d")]
    public void The_default_dependency_file_is_named_after_the_object(string obj, string expected) =>
        Assert.Equal(expected, CompileInvocation.DependencyFileOf(obj));
}

public sealed class GccArgumentTests
{
    [Theory]
    [InlineData("-O2 -g -Iinclude -I other -DX=1 -D Y -UZ -include cfg.h -isystem /s -MMD -MP -MF x.d -MQ x.o -fPIC -Wa,--noexecstack",
        "-O2 -g -fPIC -Wa,--noexecstack")]
    [InlineData("-O3 -march=x86-64-v3", "-O3 -march=x86-64-v3")]
    public void Only_what_can_change_the_assembling_is_kept(string args, string expected) =>
        Assert.Equal(ShellWords.Split(expected), Gcc.ArgumentsForAssembly(ShellWords.Split(args)));
}
