using CompilerLLM.Caching;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher.Tests;

/// <summary>
/// <c>-MMD</c> units: the launcher compiles with <c>-MD</c> for the direct shortcut, and the dependency file the user
/// gets must be, byte for byte, the one <c>gcc -c … -MMD</c> writes, whether it was made from the full list (every file
/// plainly a system or a user one) or by GCC's preprocessor (anything uncertain).
/// </summary>
public sealed class UserDependencyTests : IDisposable
{
    private readonly LauncherSandbox _box = new();

    public void Dispose() => _box.Dispose();

    /// <summary>A case: files (path=text, "|"-separated; "@SYS@" is the sandbox's system tree), the command line, and whether the full list decides it.</summary>
    public static TheoryData<string, string, string, bool> Cases => new()
    {
        { "system headers only", "k.c=#include <stdio.h>\n#include <stdint.h>\nint main(void){return 0;}\n", "-O2 -MMD -c k.c -o k.o", true },
        { "-I dir", "k.c=#include <stdio.h>\n#include \"a.h\"\nint main(void){return A;}\n|inc/a.h=#define A 0\n", "-O2 -Iinc -MMD -c k.c -o k.o", true },
        { "-I ./dir and -I.", "k.c=#include \"a.h\"\n#include \"b.h\"\nint main(void){return A+B;}\n|inc/a.h=#define A 0\n|b.h=#define B 0\n", "-O2 -I./inc -I. -MMD -c k.c -o k.o", true },
        { "-iquote", "k.c=#include <stdlib.h>\n#include \"q.h\"\nint main(void){return Q;}\n|quoted/q.h=#define Q 0\n", "-O2 -iquote quoted -MMD -MF deps/k.dep -c k.c -o k.o", true },
        { "-isystem left out", "k.c=#include <s.h>\n#include \"a.h\"\nint main(void){return S+A;}\n|inc/a.h=#define A 0\n|@SYS@/s.h=#include <stdint.h>\n#define S 0\n", "-O2 -Iinc -isystem @SYS@ -MMD -c k.c -o k.o", true },
        { "-idirafter", "k.c=#include <late.h>\nint main(void){return L;}\n|@SYS@/late/late.h=#define L 0\n", "-O2 -idirafter @SYS@/late -MMD -c k.c -o k.o", true },
        // A relative system directory, and the source's directory is the working one: its paths could be either.
        { "relative -idirafter", "k.c=#include <late.h>\nint main(void){return L;}\n|late/late.h=#define L 0\n", "-O2 -idirafter late -MMD -c k.c -o k.o", false },
        { "-I a subdirectory of an -isystem one", "k.c=#include <top.h>\n#include <inner.h>\nint main(void){return T+I;}\n|@SYS@/top.h=#define T 0\n|@SYS@/sub/inner.h=#define I 0\n", "-O2 -isystem @SYS@ -I@SYS@/sub -MMD -c k.c -o k.o", false },
        { "-I a system directory", "k.c=#include <stdio.h>\nint main(void){return 0;}\n", "-O2 -I/usr/include -MMD -c k.c -o k.o", false },
        { "-MP", "k.c=#include <stdio.h>\n#include \"a.h\"\n#include \"b.h\"\nint main(void){return A+B;}\n|inc/a.h=#define A 0\n|inc/b.h=#define B 0\n", "-O2 -Iinc -MMD -MP -c k.c -o k.o", true },
        { "-MT and -MQ with $ and spaces", "k.c=#include \"a.h\"\n#include <stdio.h>\nint main(void){return A;}\n|inc/a.h=#define A 0\n", "-O2 -Iinc -MMD -MP '-MTa$b c' -MQ 'x$ y#z' -c k.c -o k.o", true },
        { "long paths wrap", "k.c=#include <stdio.h>\n#include \"a_rather_long_header_name_for_wrapping_one.h\"\n#include \"a_rather_long_header_name_for_wrapping_two.h\"\n#include \"x.h\"\nint main(void){return 0;}\n"
            + "|some/deeply/nested/include/directory/a_rather_long_header_name_for_wrapping_one.h=\n|some/deeply/nested/include/directory/a_rather_long_header_name_for_wrapping_two.h=\n|some/deeply/nested/include/directory/x.h=\n",
            "-O2 -Isome/deeply/nested/include/directory -MMD -MP -MQ build/objects/with/a/long/directory/name/k.o -c k.c -o k.o", true },
        { "a space and a # in a header's name", "k.c=#include \"my dir/a b.h\"\n#include \"c#d.h\"\nint main(void){return 0;}\n|my dir/a b.h=\n|c#d.h=\n", "-O2 -MMD -MP -c k.c -o k.o", true },
        { "../ from a header", "k.c=#include \"a.h\"\nint main(void){return X;}\n|inc/a.h=#include \"../x.h\"\n|x.h=#define X 0\n", "-O2 -Iinc -MMD -c k.c -o k.o", true },
        { "source in a subdirectory", "src/k.c=#include \"k.h\"\n#include <string.h>\nint main(void){return K;}\n|src/k.h=#define K 0\n", "-O2 -MMD -c src/k.c -o obj/k.o", true },
        { "#include_next", "k.c=#include <stdio.h>\nint main(void){return MINE;}\n|inc/stdio.h=#include_next <stdio.h>\n#define MINE 0\n", "-O2 -Iinc -MMD -c k.c -o k.o", false },
        { "a user header included from a system header", "k.c=#include <s.h>\nint main(void){return S+C;}\n|@SYS@/s.h=#include <cfg.h>\n#define S 0\n|inc/cfg.h=#define C 0\n", "-O2 -Iinc -isystem @SYS@ -MMD -c k.c -o k.o", false },
        { "the system-header pragma", "k.c=#include \"a.h\"\nint main(void){return A+B;}\n|a.h=#pragma GCC system_header\n#include \"b.h\"\n#define A 0\n|b.h=#define B 0\n", "-O2 -MMD -c k.c -o k.o", false },
        { "an absolute include", "k.c=#include \"@SYS@/s.h\"\nint main(void){return S;}\n|@SYS@/s.h=#define S 0\n", "-O2 -isystem @SYS@ -MMD -c k.c -o k.o", false },
        { "a computed include", "k.c=#define HEADER \"a.h\"\n#include HEADER\n#include <stdio.h>\nint main(void){return A;}\n|inc/a.h=#define A 0\n", "-O2 -Iinc -MMD -c k.c -o k.o", false },
        { "a forced include", "k.c=int main(void){return F;}\n|cfg/f.h=#include <stdio.h>\n#define F 0\n", "-O2 -include cfg/f.h -MMD -c k.c -o k.o", true },
        { "a joined forced include by an absolute path", "k.c=int main(void){return F;}\n|@SYS@/f.h=#define F 0\n", "-O2 -isystem @SYS@ -include@SYS@/f.h -MMD -c k.c -o k.o", false },
        { "C++", "k.cc=#include <cstddef>\n#include \"a.hh\"\nint main(){return A;}\n|inc/a.hh=constexpr int A = 0;\n", "-O2 -Iinc -MMD -MP -c k.cc -o k.o", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_launchers_dependency_file_is_gccs(string name, string files, string commandLine, bool fromFullList)
    {
        commandLine = Prepare(files, commandLine);
        string depsFile = DependencyFileOf(commandLine);
        Assert.True(_box.Gcc(commandLine).Succeeded, name);
        byte[] expected = _box.Bytes(depsFile);
        File.Delete(_box.File(depsFile));

        // Made from the full list exactly when every file is plainly a system or a user one, and then GCC's text.
        string? derived = Derive(commandLine);
        Assert.Equal(fromFullList, derived is not null);
        if (derived is not null) Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), derived);

        // The launcher, compiling and then from the shortcut: GCC's file either way.
        for (int run = 0; run < 2; run++)
        {
            var result = _box.Cc("gcc", commandLine);
            Assert.True(result.Succeeded, result.StandardError);
            Assert.Equal(expected, _box.Bytes(depsFile));
            File.Delete(_box.File(depsFile));
        }
        Assert.Contains("not compiled: its source and included files are unchanged", _box.Log);
    }

    /// <summary>Writes the case's files (the system tree in the sandbox) and returns its command line.</summary>
    private string Prepare(string files, string commandLine)
    {
        string system = _box.File("sysroot-ish");
        foreach (string file in files.Split('|'))
        {
            int eq = file.IndexOf('=');
            string path = file[..eq].Replace("@SYS@", system), text = file[(eq + 1)..].Replace("@SYS@", system);
            if (Path.IsPathRooted(path)) { Directory.CreateDirectory(Path.GetDirectoryName(path)!); File.WriteAllText(path, text); }
            else _box.Write(path, text);
        }
        Directory.CreateDirectory(_box.File("deps"));
        Directory.CreateDirectory(_box.File("obj"));
        return commandLine.Replace("@SYS@", system);
    }

    private static string DependencyFileOf(string commandLine)
    {
        var args = ShellWords.Split(commandLine);
        int mf = args.IndexOf("-MF");
        return mf >= 0 ? args[mf + 1] : CompileInvocation.DependencyFileOf(args[args.IndexOf("-o") + 1]);
    }

    /// <summary>What <see cref="UserDependencyFile"/> makes from the compile's full list (null: not certain), as the launcher compiles.</summary>
    private string? Derive(string commandLine)
    {
        var invocation = CompileInvocation.Classify(ShellWords.Split(commandLine), out _)!;
        var gcc = new Gcc(ToolchainOptions.Default, _box.Work);
        var cache = new UnitCache(new ContentCache(_box.File("derive-cache"), 1 << 26), "test");
        var shortcut = DirectShortcut.For(cache, gcc, _box.Work, invocation)!;
        string full = _box.File("full.deps");
        var compiled = gcc.CompileToAssembly(invocation.Source, shortcut.CompileArguments(full), _box.File("unit.s"));
        Assert.True(compiled.Succeeded, compiled.StandardError);
        return new UserDependencyFile(gcc, _box.Work, invocation, null).Derive(full);
    }
}

/// <summary>GCC 12's layout of a dependency file: read and written again byte for byte, with names dropped.</summary>
public sealed class MakeRuleTests
{
    [Theory]
    [InlineData("k.o: k.c\n")]
    [InlineData("k.o: k.c inc/a.h\ninc/a.h:\n")]
    [InlineData("a$b c x\\ y: k.c /usr/include/stdio.h \\\n /usr/include/x86_64-linux-gnu/bits/libc-header-start.h\n")]
    [InlineData("k.o: k.c my\\ dir/a\\ b.h c\\#d.h cost$$.h\nmy\\ dir/a\\ b.h:\nc\\#d.h:\ncost$$.h:\n")]
    public void Gccs_text_comes_back(string text) => Assert.Equal(text, MakeRule.Parse(text)!.Write());

    [Theory]
    [InlineData("k.o: k.c inc/a.h")] // no newline at the end
    [InlineData("k.o: k.c  inc/a.h\n")] // two spaces
    [InlineData("k.o: k.c a: b\n")] // a colon in a name
    [InlineData("k.o: k.c a.h \\\n b.h\n")] // wrapped where GCC would not
    public void Other_text_is_refused(string text) => Assert.Null(MakeRule.Parse(text));

    [Fact]
    public void Dropping_names_wraps_again_at_column_72()
    {
        string a = $"/usr/{new string('a', 30)}.h", b = new string('b', 30) + ".h", c = new string('c', 30) + ".h";
        var rule = MakeRule.Parse($"k.o: k.c {a} \\\n {b} {c}\n{a}:\n{b}:\n{c}:\n")!;
        Assert.NotNull(rule);
        Assert.Equal($"k.o: k.c {b} \\\n {c}\n{b}:\n{c}:\n", rule.With([rule.Prerequisites[0], b, c]).Write());
    }

    [Theory]
    [InlineData("my\\ dir/a\\ b.h", "my dir/a b.h")]
    [InlineData("c\\#d.h", "c#d.h")]
    [InlineData("cost$$.h", "cost$.h")]
    [InlineData("back\\\\\\ slash", "back\\ slash")]
    [InlineData("plain\\name", "plain\\name")]
    public void Names_are_unmunged(string token, string name) => Assert.Equal(name, MakeRule.Unmunge(token));
}

/// <summary>What the texts of included files say about GCC's choice of system files, read without preprocessing.</summary>
public sealed class IncludeScanTests
{
    [Theory]
    [InlineData("#include <stdio.h>\n#  include \"a.h\"\n#include_next <b.h>\n", false)]
    [InlineData("#includes are fine in prose\n#define X 1\n", false)]
    [InlineData("#include HEADER\n", true)]
    [InlineData("  #  include_next MACRO(x)\n", true)]
    [InlineData("#include \"/abs/a.h\"\n", true)]
    [InlineData("#include </abs/a.h>\n", true)]
    [InlineData("#/**/include <a.h>\n", true)]
    [InlineData("%:include <a.h>\n", true)]
    public void Unplain_includes(string text, bool expected) =>
        Assert.Equal(expected, IncludeScan.HasUnplainInclude(System.Text.Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("#define A 1\n", false)]
    [InlineData("#pragma GCC system_header\n", true)]
    [InlineData("_Pragma(\"GCC system_header\")\n", true)]
    [InlineData("# 1 \"x.h\" 1 3\n", true)]
    public void Files_that_can_make_later_files_system(string text, bool expected) =>
        Assert.Equal(expected, IncludeScan.CanMarkSystem(System.Text.Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("#include <cfg.h>\n", "cfg.h", true)]
    [InlineData("#include \"sub/cfg.h\"\n", "cfg.h", true)]
    [InlineData("#include <mycfg.h>\n", "cfg.h", false)]
    [InlineData("/* cfg.h is ours */\n", "cfg.h", false)]
    public void A_system_header_that_may_include_a_user_one(string text, string name, bool expected) =>
        Assert.Equal(expected, IncludeScan.MayName(System.Text.Encoding.UTF8.GetBytes(text), name));
}
