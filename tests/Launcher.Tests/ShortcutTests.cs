namespace CompilerLLM.Launcher.Tests;

/// <summary>
/// The direct shortcut: a unit the cache holds is restored without running GCC, with GCC's diagnostics and dependency
/// file as a compile gives them; a changed source or included file, another directory under -g, profile inputs, time
/// macros and changed system headers of -MMD units keep it from hitting wrongly.
/// </summary>
public sealed class ShortcutTests : IDisposable
{
    private readonly LauncherSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private const string Found = "not compiled: its source and included files are unchanged";

    private static readonly Dictionary<string, string?> NoCache = new() { ["COMPILERLLM_CACHE"] = "false" };

    private int Shortcuts => _box.Log.Split('\n').Count(l => l.Contains(Found));

    [Fact]
    public void A_unit_the_cache_holds_comes_back_without_a_compile_with_gccs_warnings_and_dependencies()
    {
        _box.Write("k.c", Sources.Kernel.Replace("long sum3(", "static int unused_fn(void) { int u; return 0; }\nlong sum3("));
        var first = _box.Cc("gcc", "-O2 -Wall -MD -c k.c -o k.o");
        Assert.True(first.Succeeded, first.StandardError);
        Assert.Contains("unused", first.StandardError);
        byte[] objectBytes = _box.Bytes("k.o");
        string deps = File.ReadAllText(_box.File("k.d"));
        File.Delete(_box.File("k.o"));
        File.Delete(_box.File("k.d"));
        Assert.Equal(0, Shortcuts);

        var second = _box.Cc("gcc", "-O2 -Wall -MD -c k.c -o k.o");
        Assert.True(second.Succeeded, second.StandardError);
        Assert.Equal(1, Shortcuts);
        Assert.Equal(first.StandardError, second.StandardError);
        Assert.Equal(objectBytes, _box.Bytes("k.o"));
        Assert.Equal(deps, File.ReadAllText(_box.File("k.d")));

        // A changed source is compiled again, and its object is what a build without the cache gives.
        _box.Write("k.c", Sources.Kernel.Replace("* 3", "* 5"));
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o k.o").Succeeded);
        Assert.Equal(1, Shortcuts);
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o fresh.o", NoCache).Succeeded);
        Assert.Equal(_box.Bytes("fresh.o"), _box.Bytes("k.o"));
    }

    [Fact]
    public void Under_g3_a_changed_macro_that_no_code_uses_is_not_a_hit()
    {
        _box.Write("m.c", "#define LEVEL 1\n" + Sources.Kernel);
        Assert.True(_box.Cc("gcc", "-O2 -g3 -c m.c -o m.o").Succeeded);
        _box.Write("m.c", "#define LEVEL 2\n" + Sources.Kernel);
        Assert.True(_box.Cc("gcc", "-O2 -g3 -c m.c -o m.o").Succeeded);
        Assert.Equal(0, Shortcuts);
        Assert.True(_box.Cc("gcc", "-O2 -g3 -c m.c -o fresh.o", NoCache).Succeeded);
        Assert.Equal(_box.Bytes("fresh.o"), _box.Bytes("m.o"));
    }

    [Fact]
    public void Under_g_the_same_source_in_another_directory_gets_its_own_object()
    {
        _box.Write("a/k.c", Sources.Kernel);
        _box.Write("b/k.c", Sources.Kernel);
        // Compiled in a/ and then in b/ (as make -C would): the same preprocessed text, another directory.
        Assert.True(_box.RunIn(_box.File("a"), LauncherSandbox.Launcher, ["gcc", "-O2", "-g", "-c", "k.c", "-o", "k.o"]).Succeeded);
        var inDirB = _box.RunIn(_box.File("b"), LauncherSandbox.Launcher, ["gcc", "-O2", "-g", "-c", "k.c", "-o", "k.o"]);
        Assert.True(inDirB.Succeeded, inDirB.StandardError);
        var freshB = _box.RunIn(_box.File("b"), LauncherSandbox.Launcher, ["gcc", "-O2", "-g", "-c", "k.c", "-o", "fresh.o"], NoCache);
        Assert.True(freshB.Succeeded);
        Assert.Equal(_box.Bytes("b/fresh.o"), _box.Bytes("b/k.o"));
        Assert.NotEqual(_box.Bytes("a/k.o"), _box.Bytes("b/k.o")); // the debug information names each directory
        Assert.Equal(0, Shortcuts);
    }

    [Theory]
    [InlineData("-O2 -fprofile-use -Wno-missing-profile")]
    [InlineData("-O2 --coverage")]
    [InlineData("-O2 -g -gsplit-dwarf")]
    [InlineData("-O2 -fstack-usage")]
    public void A_unit_whose_files_gcc_names_after_the_object_is_gccs_own(string flags)
    {
        // Compiled to assembly under the launcher's own name, the profile, the coverage notes, the split debug info
        // and the stack usage would be looked for or written under that name: GCC compiles these units itself.
        _box.Write("k.c", Sources.Kernel);
        for (int i = 0; i < 2; i++)
            Assert.True(_box.Cc("gcc", $"{flags} -c k.c -o k.o").Succeeded);
        Assert.Equal(0, Shortcuts);
        Assert.DoesNotContain("k.o", _box.Log);
        byte[] launched = _box.Bytes("k.o");
        if (flags.Contains("coverage"))
        {
            // The coverage stamp is the compile's clock, so two compiles differ; the notes are GCC's, beside the object.
            Assert.True(System.IO.File.Exists(_box.File("k.gcno")));
            Assert.True(launched.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(_box.File("k.gcda"))) >= 0); // counts go beside it
        }
        else
        {
            Assert.True(_box.Gcc($"{flags} -c k.c -o k.o").Succeeded);
            Assert.Equal(_box.Bytes("k.o"), launched);
        }
        if (flags.Contains("split-dwarf")) Assert.True(System.IO.File.Exists(_box.File("k.dwo")));
        if (flags.Contains("stack-usage")) Assert.True(System.IO.File.Exists(_box.File("k.su")));
    }

    [Fact]
    public void A_unit_found_by_its_assembly_gets_a_shortcut_too()
    {
        _box.Write("k.c", Sources.Kernel);
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o first.o").Succeeded);
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o second.o").Succeeded); // another object: its entry is found after gcc -S
        Assert.Equal(0, Shortcuts);
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o second.o").Succeeded);
        Assert.Equal(1, Shortcuts);
        Assert.Equal(_box.Bytes("first.o"), _box.Bytes("second.o"));
    }

    [Fact]
    public void A_changed_header_is_compiled_again()
    {
        _box.Write("inc/scale.h", "#define SCALE 3\n");
        _box.Write("k.c", "#include \"scale.h\"\n" + Sources.Kernel.Replace("* 3", "* SCALE"));
        Assert.True(_box.Cc("gcc", "-O2 -Iinc -c k.c -o k.o").Succeeded);
        Assert.True(_box.Cc("gcc", "-O2 -Iinc -c k.c -o k.o").Succeeded);
        Assert.Equal(1, Shortcuts);
        _box.Write("inc/scale.h", "#define SCALE 5\n");
        Assert.True(_box.Cc("gcc", "-O2 -Iinc -c k.c -o k.o").Succeeded);
        Assert.Equal(1, Shortcuts);
        Assert.True(_box.Cc("gcc", "-O2 -Iinc -c k.c -o fresh.o", NoCache).Succeeded);
        Assert.Equal(_box.Bytes("fresh.o"), _box.Bytes("k.o"));
    }

    [Fact]
    public void An_MMD_unit_comes_back_without_a_compile_with_gccs_warnings_and_its_user_headers_only()
    {
        _box.Write("inc/scale.h", "#define SCALE 3\n");
        _box.Write("k.c", "#include \"scale.h\"\n" + Sources.Kernel.Replace("* 3", "* SCALE").Replace("long sum3(", "static int unused_fn(void) { int u; return 0; }\nlong sum3("));
        const string command = "-O2 -Wall -Iinc -MMD -MP -c k.c -o k.o";
        Assert.True(_box.Gcc(command).Succeeded);
        byte[] gccDeps = _box.Bytes("k.d");
        Assert.DoesNotContain("stdio.h", File.ReadAllText(_box.File("k.d")));

        var first = _box.Cc("gcc", command);
        Assert.True(first.Succeeded, first.StandardError);
        Assert.Contains("unused", first.StandardError);
        Assert.Equal(gccDeps, _box.Bytes("k.d"));
        byte[] objectBytes = _box.Bytes("k.o");
        File.Delete(_box.File("k.o"));
        File.Delete(_box.File("k.d"));
        Assert.Equal(0, Shortcuts);

        var second = _box.Cc("gcc", command);
        Assert.True(second.Succeeded, second.StandardError);
        Assert.Equal(1, Shortcuts);
        Assert.Equal(first.StandardError, second.StandardError);
        Assert.Equal(objectBytes, _box.Bytes("k.o"));
        Assert.Equal(gccDeps, _box.Bytes("k.d"));
    }

    [Fact]
    public void A_changed_system_header_of_an_MMD_unit_is_compiled_again()
    {
        // -isystem: GCC leaves the header out of the user's list, yet the shortcut must see it change.
        string system = _box.File("sys");
        _box.Write("sys/scale.h", "#define SCALE 3\n");
        _box.Write("k.c", "#include <scale.h>\n" + Sources.Kernel.Replace("* 3", "* SCALE"));
        string command = $"-O2 -isystem {system} -MMD -c k.c -o k.o";
        Assert.True(_box.Cc("gcc", command).Succeeded);
        Assert.Equal("k.o: k.c\n", File.ReadAllText(_box.File("k.d")));
        Assert.True(_box.Cc("gcc", command).Succeeded);
        Assert.Equal(1, Shortcuts);
        _box.Write("sys/scale.h", "#define SCALE 5\n");
        Assert.True(_box.Cc("gcc", command).Succeeded);
        Assert.Equal(1, Shortcuts);
        Assert.True(_box.Cc("gcc", $"-O2 -isystem {system} -c k.c -o fresh.o", NoCache).Succeeded);
        Assert.Equal(_box.Bytes("fresh.o"), _box.Bytes("k.o"));
        Assert.Equal("k.o: k.c\n", File.ReadAllText(_box.File("k.d")));
    }

    [Theory]
    [InlineData("#include \"@ABS@/inc/a.h\"\n")] // an absolute include
    [InlineData("#define HEADER \"a.h\"\n#include HEADER\n")] // a computed include
    public void An_MMD_unit_whose_headers_only_gcc_can_sort_gets_gccs_file_and_a_shortcut(string prefix)
    {
        _box.Write("inc/a.h", "#define SCALE 3\n");
        _box.Write("k.c", prefix.Replace("@ABS@", _box.Work) + Sources.Kernel.Replace("* 3", "* SCALE"));
        const string command = "-O2 -Iinc -MMD -MP -c k.c -o k.o";
        Assert.True(_box.Gcc(command).Succeeded);
        byte[] gccDeps = _box.Bytes("k.d");
        for (int run = 0; run < 2; run++)
        {
            File.Delete(_box.File("k.d"));
            Assert.True(_box.Cc("gcc", command).Succeeded);
            Assert.Equal(gccDeps, _box.Bytes("k.d"));
        }
        Assert.Equal(1, Shortcuts);
    }

    [Fact]
    public void A_dependency_file_asked_of_the_preprocessor_directly_is_gccs()
    {
        // -Wp,-MD,file (Kbuild): the launcher cannot see it, so it adds nothing of its own to the compile.
        _box.Write("k.c", Sources.Kernel);
        Assert.True(_box.Gcc("-O2 -Wp,-MD,gcc.d -c k.c -o k.o").Succeeded);
        for (int run = 0; run < 2; run++)
        {
            Assert.True(_box.Cc("gcc", "-O2 -Wp,-MD,launcher.d -c k.c -o k.o").Succeeded);
            Assert.Equal(_box.Bytes("gcc.d"), _box.Bytes("launcher.d"));
        }
        Assert.Equal(0, Shortcuts);
    }

    [Theory]
    [InlineData("-O2 -MD -MMD -c k.c -o k.o", "")] // both lists asked for: GCC's business which one wins
    [InlineData("-O2 -c k.c -o k.o", "static const char when[] __attribute__((used)) = __TIME__;\n")]
    public void No_shortcut_where_the_included_files_cannot_tell(string commandLine, string prefix)
    {
        _box.Write("k.c", prefix + Sources.Kernel);
        Assert.True(_box.Cc("gcc", commandLine).Succeeded);
        Assert.True(_box.Cc("gcc", commandLine).Succeeded);
        Assert.Equal(0, Shortcuts);
    }
}

/// <summary>Reading GCC's dependency files: continuations, escaped spaces and dollars, -MP's phony rules.</summary>
public sealed class DependencyListTests
{
    [Theory]
    [InlineData("k.o: k.c /usr/include/stdio.h\n", "k.c|/usr/include/stdio.h")]
    [InlineData("k.o: k.c \\\n  inc/a.h \\\n  inc/b.h\n", "k.c|inc/a.h|inc/b.h")]
    [InlineData("k.o: k.c my\\ dir/a.h cost$$.h\n", "k.c|my dir/a.h|cost$.h")]
    [InlineData("k.o: k.c inc/a.h\ninc/a.h:\n", "k.c|inc/a.h")]
    [InlineData("build/k.o: k.c\r\n", "k.c")]
    public void Prerequisites_of_the_first_rule(string text, string expected) =>
        Assert.Equal(expected.Split('|'), DependencyList.Parse(text));

    [Fact]
    public void A_file_without_a_rule_is_an_error() => Assert.Throws<FormatException>(() => DependencyList.Parse("nothing here\n"));
}
