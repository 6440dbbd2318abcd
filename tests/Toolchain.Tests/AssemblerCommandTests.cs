using CompilerLLM.Toolchain;

namespace CompilerLLM.Toolchain.Tests;

/// <summary>
/// Assembling with the driver's own <c>as</c> command gives the driver's object, byte for byte, for every kind of
/// flag that changes what the driver tells <c>as</c>; the remembered command is the one asked for; a plan that is not
/// one <c>as</c> run goes through the driver.
/// </summary>
public sealed class AssemblerCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-as-tests-");

    public void Dispose() => _temp.Dispose();

    private const string Source = """
        #include <stdio.h>
        static int table[64];
        int work(int n) { int s = 0; for (int i = 0; i < n; i++) { table[i & 63] += i; s += table[(i * 7) & 63]; } return s; }
        int main(int argc, char **argv) { (void)argv; printf("%d\n", work(argc * 1000)); return 0; }
        """;

    [Theory]
    [InlineData("-O2")]
    [InlineData("-O2 -g")]
    [InlineData("-O3 -g -gdwarf-4 -fPIC")]
    [InlineData("-O2 -g3 -gz")]
    [InlineData("-O2 -Wa,--noexecstack -Wa,-mrelax-relocations=no")]
    [InlineData("-O2 -m64 -ffunction-sections -Wa,--gdwarf-sections -g")]
    [InlineData("-Os -MD -MF deps.d -I include -DX=1")]
    public void The_direct_command_writes_the_drivers_object(string flags)
    {
        File.WriteAllText(_temp.File("k.c"), Source);
        var args = ShellWords.Split(flags);
        var plain = new Gcc(ToolchainOptions.Default with { AssembleDirectly = false }, _temp.Path);
        Assert.True(plain.CompileToAssembly("k.c", args, "k.s").Succeeded);
        Assert.True(plain.Assemble("k.s", args, "driver.o").Succeeded);
        string memo = _temp.File("memo");
        var direct = new Gcc(ToolchainOptions.Default with { MemoDirectory = memo }, _temp.Path);
        Assert.True(direct.Assemble("k.s", args, "direct.o").Succeeded);
        Assert.Equal(File.ReadAllBytes(_temp.File("driver.o")), File.ReadAllBytes(_temp.File("direct.o")));
        var command = AssemblerCommand.For(direct, Gcc.WithoutDependencyOptions(args).ToList(), "in.s", "out.o", memo);
        Assert.NotNull(command);
        Assert.Equal("as", Path.GetFileName(command[0]));
        Assert.Contains("in.s", command);
        Assert.Contains("out.o", command);
        Assert.Single(Directory.GetFiles(Path.Combine(memo, "assembler"))); // remembered for the next process
    }

    [Fact]
    public void The_remembered_command_is_read_back_and_a_torn_one_is_asked_again()
    {
        var gcc = new Gcc(ToolchainOptions.Default, _temp.Path);
        string memo = _temp.File("memo");
        var args = new[] { "-O2", "-g", "-Wa,--noexecstack" };
        var first = AssemblerCommand.For(gcc, args, "a.s", "a.o", memo);
        Assert.NotNull(first);
        string file = Directory.GetFiles(Path.Combine(memo, "assembler")).Single();
        Assert.Contains("--noexecstack", File.ReadAllText(file));
        Assert.Contains("--gdwarf-5", File.ReadAllText(file));
        // As another process: the remembered file is read back (a planted word shows it was used, not asked again).
        AssemblerCommand.ForgetInProcess();
        File.WriteAllText(file, File.ReadAllText(file).Replace("--noexecstack", "--noexecstack-planted"));
        Assert.Contains("--noexecstack-planted", AssemblerCommand.For(gcc, args, "a.s", "a.o", memo)!);
        // A torn file (no end mark) is not a command: the driver is asked again and the file rewritten.
        AssemblerCommand.ForgetInProcess();
        File.WriteAllText(file, "as command\n--64\n");
        Assert.Equal(first, AssemblerCommand.For(gcc, args, "a.s", "a.o", memo));
        Assert.EndsWith("end", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("-E")] // the driver plans no run at all
    [InlineData("-S")]
    public void A_plan_that_is_not_one_as_run_goes_through_the_driver(string flag)
    {
        var gcc = new Gcc(ToolchainOptions.Default, _temp.Path);
        Assert.Null(AssemblerCommand.For(gcc, ["-O2", flag], "a.s", "a.o", null));
    }
}
