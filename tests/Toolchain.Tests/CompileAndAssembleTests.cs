namespace CompilerLLM.Toolchain.Tests;

/// <summary>
/// Compiling and assembling at once (cc1 writing into a FIFO read by the file and by <c>as</c>) gives cc1's text byte
/// for byte and the object <c>gcc -c</c> makes, for texts far larger than a pipe holds and for every kind of flag that
/// changes the <c>as</c> command; a source that does not compile leaves no object and GCC's own error; a text the
/// assembler rejects is the assembler's failure with its words; without a direct <c>as</c> command it steps aside.
/// </summary>
public sealed class CompileAndAssembleTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-pipe-tests-");

    public void Dispose() => _temp.Dispose();

    /// <summary>Enough functions that the -g text (about 1 MB) is many times a pipe's 64 KB.</summary>
    private static string Source()
    {
        var text = new System.Text.StringBuilder("#include <stdio.h>\nstatic int table[64];\n");
        for (int f = 0; f < 300; f++)
            text.Append($"int work{f}(int n) {{ int s = {f}; for (int i = 0; i < n; i++) {{ table[i & 63] += i ^ {f}; s += table[(i * 7) & 63]; }} return s; }}\n");
        text.Append("int main(int argc, char **argv) { (void)argv; printf(\"%d\\n\", work7(argc * 1000)); return 0; }\n");
        return text.ToString();
    }

    [Theory]
    [InlineData("-O2")]
    [InlineData("-O2 -g")]
    [InlineData("-O3 -g -fPIC -Wa,--noexecstack")]
    [InlineData("-O2 -MD -MF deps.d -MT k.o")]
    public void The_text_is_cc1s_and_the_object_is_gcc_cs(string flags)
    {
        File.WriteAllText(_temp.File("k.c"), Source());
        var args = ShellWords.Split(flags);
        var gcc = new Gcc(ToolchainOptions.Default with { MemoDirectory = _temp.File("memo") }, _temp.Path);
        Assert.True(gcc.CompileToAssembly("k.c", args, "plain.s").Succeeded);
        Assert.True(gcc.Invoke(["-c", .. args, "k.c", "-o", "plain.o"]).Succeeded);

        var both = gcc.CompileAndAssemble("k.c", args, _temp.File("k.s"), _temp.File("k.o"));
        Assert.NotNull(both);
        Assert.True(both.Compiler.Succeeded, both.Compiler.StandardError);
        Assert.NotNull(both.Assembler);
        Assert.True(both.Assembler.Succeeded, both.Assembler.StandardError);
        Assert.Equal(File.ReadAllBytes(_temp.File("plain.s")), File.ReadAllBytes(_temp.File("k.s")));
        Assert.Equal(File.ReadAllBytes(_temp.File("plain.o")), File.ReadAllBytes(_temp.File("k.o")));
        Assert.False(File.Exists(_temp.File("k.s.fifo")));
        if (flags.Contains("-g")) Assert.True(new FileInfo(_temp.File("k.s")).Length > 16 * 65536);
    }

    [Fact]
    public void A_source_that_does_not_compile_leaves_gccs_error_and_no_object()
    {
        File.WriteAllText(_temp.File("bad.c"), Source() + "int broken(void) { return undeclared_name; }\n");
        var gcc = new Gcc(ToolchainOptions.Default, _temp.Path);
        var both = gcc.CompileAndAssemble("bad.c", ["-O2", "-g"], _temp.File("bad.s"), _temp.File("bad.o"));
        Assert.NotNull(both);
        Assert.False(both.Compiler.Succeeded);
        Assert.Contains("undeclared_name", both.Compiler.StandardError);
        Assert.Null(both.Assembler);
        Assert.False(File.Exists(_temp.File("bad.o")));
    }

    [Fact]
    public void A_text_the_assembler_rejects_is_its_failure_in_its_words()
    {
        File.WriteAllText(_temp.File("asm.c"), Source() + "void odd(void) { __asm__(\"notaninstruction %eax\"); }\n");
        var gcc = new Gcc(ToolchainOptions.Default, _temp.Path);
        var both = gcc.CompileAndAssemble("asm.c", ["-O2"], _temp.File("asm.s"), _temp.File("asm.o"));
        Assert.NotNull(both);
        Assert.True(both.Compiler.Succeeded);
        Assert.NotNull(both.Assembler);
        Assert.False(both.Assembler.Succeeded);
        Assert.Contains("notaninstruction", both.Assembler.StandardError);
        Assert.Contains("notaninstruction", File.ReadAllText(_temp.File("asm.s"))); // the text is whole all the same
    }

    [Fact]
    public void Without_a_direct_assembler_command_it_steps_aside()
    {
        File.WriteAllText(_temp.File("k.c"), Source());
        var gcc = new Gcc(ToolchainOptions.Default with { AssembleDirectly = false }, _temp.Path);
        Assert.Null(gcc.CompileAndAssemble("k.c", ["-O2"], _temp.File("k.s"), _temp.File("k.o")));
        Assert.False(File.Exists(_temp.File("k.s")));
        Assert.False(File.Exists(_temp.File("k.s.fifo")));
    }
}
