using CompilerLLM.Toolchain;

namespace CompilerLLM.Toolchain.Tests;

/// <summary>
/// GCC's system directories for a unit's flags: the built-in ones and <c>-isystem</c>/<c>-idirafter</c> ones, never the
/// user's (<c>-I</c>, <c>-iquote</c>); remembered on disk; nothing when the report is not plainly that list.
/// </summary>
public sealed class SystemIncludeDirectoriesTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-sysdirs-tests-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void System_directories_and_not_the_users()
    {
        Directory.CreateDirectory(_temp.File("sys"));
        Directory.CreateDirectory(_temp.File("late"));
        Directory.CreateDirectory(_temp.File("inc"));
        var gcc = new Gcc(ToolchainOptions.Default, _temp.Path);
        string memo = _temp.File("memo");
        var args = ShellWords.Split($"-O2 -isystem {_temp.File("sys")} -idirafter late -Iinc -iquote inc -DX=1 -MMD -MF k.d -MQ k.o");
        var directories = SystemIncludeDirectories.For(gcc, args, SourceLanguage.C, memo)!;
        Assert.Equal(_temp.File("sys"), directories[0]);
        Assert.Contains("/usr/include", directories);
        Assert.Equal("late", directories[^1]);
        Assert.DoesNotContain("inc", directories);
        Assert.Single(Directory.GetFiles(Path.Combine(memo, "include-dirs")));

        // A new process finds it in the memo directory: the same list.
        SystemIncludeDirectories.ForgetInProcess();
        Assert.Equal(directories, SystemIncludeDirectories.For(gcc, args, SourceLanguage.C, memo));
        Assert.Contains(SystemIncludeDirectories.For(gcc, ["-O2"], SourceLanguage.CPlusPlus, null)!, d => d.Contains("c++"));
    }

    [Theory]
    [InlineData("#include \"...\" search starts here:\n#include <...> search starts here:\n /usr/include\nEnd of search list.\n", "/usr/include")]
    [InlineData("#include \"...\" search starts here:\n quoted\n#include <...> search starts here:\n /usr/include\nEnd of search list.\n", null)]
    [InlineData("#include \"...\" search starts here:\n#include <...> search starts here:\n /usr/include\n", null)]
    [InlineData("#include \"...\" search starts here:\n#include <...> search starts here:\n /Library/Frameworks (framework directory)\nEnd of search list.\n", null)]
    public void Only_a_plain_report_is_read(string report, string? expected) =>
        Assert.Equal(expected, SystemIncludeDirectories.Parse(report) is { } list ? string.Join('|', list) : null);

    [Fact]
    public void Options_that_add_user_directories_the_probe_cannot_leave_out_give_nothing()
    {
        var gcc = new Gcc(ToolchainOptions.Default, _temp.Path);
        Assert.Null(SystemIncludeDirectories.For(gcc, ["-iprefix", "/usr/", "-iwithprefixbefore", "include"], SourceLanguage.C, null));
    }
}
