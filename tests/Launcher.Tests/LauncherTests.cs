namespace CompilerLLM.Launcher.Tests;

/// <summary>
/// compilerllm-cc in front of real gcc: invisible when off, GCC's own behaviour for everything it does not act on,
/// optimized objects that behave like GCC's, GCC's diagnostics untouched, and the cache.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly LauncherSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private static readonly Dictionary<string, string?> Off = new() { ["COMPILERLLM_OPTIMIZE"] = "false" };

    [Theory]
    [InlineData("-O2 -c k.c -o k.o")]
    [InlineData("-O2 -g -fPIC -c k.c -o k.o")]
    [InlineData("-O3 -c k.c -o k.o")]
    public void Off_the_object_is_byte_identical_to_gccs(string commandLine)
    {
        _box.Write("k.c", Sources.Kernel);
        Assert.True(_box.Cc("gcc", commandLine, Off).Succeeded);
        byte[] ours = _box.Bytes("k.o");
        Assert.True(_box.Gcc(commandLine).Succeeded);
        Assert.Equal(_box.Bytes("k.o"), ours);
        Assert.False(File.Exists(_box.LogFile)); // invisible: not even a log line
    }

    [Fact]
    public void On_the_object_is_ours_and_behaves_like_gccs()
    {
        _box.Write("k.c", Sources.Kernel);
        var r = _box.Cc("gcc", "-O2 -c k.c -o k.o");
        Assert.True(r.Succeeded, r.StandardError);
        Assert.Equal("", r.StandardError);
        Assert.True(_box.Gcc("-O2 -c k.c -o plain.o").Succeeded);
        Assert.NotEqual(_box.Bytes("plain.o"), _box.Bytes("k.o"));
        Assert.True(_box.Gcc("-o ours k.o").Succeeded);
        Assert.True(_box.Gcc("-o plain plain.o").Succeeded);
        Assert.Equal(_box.Run(_box.File("plain"), []).StandardOutput, _box.Run(_box.File("ours"), []).StandardOutput);
        Assert.Contains("CLLM7005", _box.Log);
        Assert.Contains("optimized", _box.Log);
    }

    [Fact]
    public void Gccs_warnings_and_errors_come_through_unchanged()
    {
        _box.Write("w.c", "int f(int x) { int unused; return x; }\n");
        var ours = _box.Cc("gcc", "-O2 -Wall -c w.c -o w.o");
        var gcc = _box.Gcc("-O2 -Wall -c w.c -o w2.o");
        Assert.True(ours.Succeeded);
        Assert.Contains("unused variable", gcc.StandardError);
        Assert.Equal(gcc.StandardError, ours.StandardError);

        _box.Write("e.c", "int f(void) { return undeclared; }\n");
        var ourError = _box.Cc("gcc", "-O2 -c e.c -o e.o");
        var gccError = _box.Gcc("-O2 -c e.c -o e.o");
        Assert.Equal(gccError.ExitCode, ourError.ExitCode);
        Assert.NotEqual(0, ourError.ExitCode);
        Assert.Equal(gccError.StandardError, ourError.StandardError);
        Assert.False(File.Exists(_box.File("e.o")));
    }

    [Theory]
    [InlineData("-E k.c")]
    [InlineData("-S -O2 k.c -o -")]
    [InlineData("-O2 -M k.c")]
    [InlineData("-dumpfullversion")]
    public void What_it_does_not_act_on_is_exactly_gccs_output(string commandLine)
    {
        _box.Write("k.c", Sources.Kernel);
        var ours = _box.Cc("gcc", commandLine);
        var gcc = _box.Gcc(commandLine);
        Assert.Equal(gcc.ExitCode, ours.ExitCode);
        Assert.Equal(gcc.StandardOutput, ours.StandardOutput);
        Assert.Equal(gcc.StandardError, ours.StandardError);
    }

    [Fact]
    public void Standard_input_and_response_files_pass_through()
    {
        var ours = _box.Cc("gcc", "-O2 -x c -c - -o stdin.o", stdin: Sources.Kernel);
        Assert.True(ours.Succeeded, ours.StandardError);
        Assert.True(_box.Gcc("-O2 -x c -c - -o plain.o", stdin: Sources.Kernel).Succeeded);
        Assert.Equal(_box.Bytes("plain.o"), _box.Bytes("stdin.o"));

        _box.Write("k.c", Sources.Kernel);
        _box.Write("args.rsp", "-O2 -c k.c -o rsp.o");
        Assert.True(_box.Cc("gcc", "@args.rsp").Succeeded);
        Assert.True(_box.Gcc("-O2 -c k.c -o plain2.o").Succeeded);
        Assert.Equal(_box.Bytes("plain2.o"), _box.Bytes("rsp.o"));
    }

    [Fact]
    public void Linking_through_the_launcher_works()
    {
        _box.Write("k.c", Sources.Kernel);
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o k.o").Succeeded);
        var link = _box.Cc("gcc", "k.o -o prog");
        Assert.True(link.Succeeded, link.StandardError);
        Assert.Equal(0, _box.Run(_box.File("prog"), []).ExitCode);
    }

    [Fact]
    public void A_dependency_file_is_the_one_gcc_writes()
    {
        _box.Write("k.c", Sources.Kernel);
        Directory.CreateDirectory(_box.File("obj"));
        Assert.True(_box.Cc("gcc", "-O2 -MMD -MP -c k.c -o obj/k.o").Succeeded);
        string ours = File.ReadAllText(_box.File("obj/k.d"));
        Assert.True(_box.Gcc("-O2 -MMD -MP -c k.c -o obj/k.o").Succeeded);
        Assert.Equal(File.ReadAllText(_box.File("obj/k.d")), ours);
    }

    [Fact]
    public void Several_sources_in_one_compile_are_each_optimized_with_gccs_dependency_files()
    {
        // lz4's library Makefile: $(CC) $(CFLAGS) -c lz4.c lz4hc.c … (one object per source, in the current directory).
        _box.Write("k.c", Sources.Kernel);
        _box.Write("h.c", "unsigned helper(const unsigned *a, int n) { unsigned s = 0; for (int i = 0; i < n; i++) s += a[i] * 5u; return s; }\n");
        var r = _box.Cc("gcc", "-O2 -MMD -c k.c h.c");
        Assert.True(r.Succeeded, r.StandardError);
        Assert.Equal("", r.StandardError);
        Assert.Equal(2, _box.Log.Split('\n').Count(l => l.Contains("CLLM7005")));
        string ourK = File.ReadAllText(_box.File("k.d")), ourH = File.ReadAllText(_box.File("h.d"));
        File.Move(_box.File("k.o"), _box.File("ours-k.o"));
        File.Move(_box.File("h.o"), _box.File("ours-h.o"));

        Assert.True(_box.Gcc("-O2 -MMD -c k.c h.c").Succeeded);
        Assert.Equal(File.ReadAllText(_box.File("k.d")), ourK);
        Assert.Equal(File.ReadAllText(_box.File("h.d")), ourH);
        Assert.True(_box.Gcc("-o ours ours-k.o ours-h.o").Succeeded);
        Assert.True(_box.Gcc("-o plain k.o h.o").Succeeded);
        Assert.Equal(_box.Run(_box.File("plain"), []).StandardOutput, _box.Run(_box.File("ours"), []).StandardOutput);
    }

    [Fact]
    public void Several_sources_with_an_error_in_one_fail_as_gcc_does_and_the_others_are_built()
    {
        _box.Write("k.c", Sources.Kernel);
        _box.Write("bad.c", "int f(void) { return undeclared; }\n");
        _box.Write("w.c", "int g(int x) { int unused; return x * 3; }\n");
        var ours = _box.Cc("gcc", "-O2 -Wall -c k.c bad.c w.c");
        Assert.True(File.Exists(_box.File("k.o")) && File.Exists(_box.File("w.o")));
        Assert.False(File.Exists(_box.File("bad.o")));
        File.Delete(_box.File("k.o"));
        File.Delete(_box.File("w.o"));
        var gcc = _box.Gcc("-O2 -Wall -c k.c bad.c w.c");
        Assert.NotEqual(0, gcc.ExitCode);
        Assert.Equal(gcc.ExitCode, ours.ExitCode);
        Assert.Equal(gcc.StandardError, ours.StandardError);
        Assert.Contains("unused variable", ours.StandardError);
        Assert.True(File.Exists(_box.File("k.o")) && File.Exists(_box.File("w.o")));
    }

    [Fact]
    public void A_second_compile_comes_from_the_cache_with_the_same_object()
    {
        _box.Write("k.c", Sources.Kernel);
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o first.o").Succeeded);
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o second.o").Succeeded);
        Assert.Equal(_box.Bytes("first.o"), _box.Bytes("second.o"));
        Assert.Contains("(cache)", _box.Log);
        var report = _box.Run(LauncherSandbox.Launcher, ["--report", _box.Work]);
        Assert.Contains("2 unit(s), 2 optimized, 0 unchanged, 0 fallback(s)", report.StandardOutput);
        Assert.Contains("1 from cache", report.StandardOutput);
    }

    [Fact]
    public void A_configuration_problem_is_logged_with_its_line_and_the_launcher_steps_aside()
    {
        _box.Write("k.c", Sources.Kernel);
        string config = _box.Write("bad.conf", "# comment\npolicy = all\ncache_size = lots\n");
        var extra = new Dictionary<string, string?> { ["COMPILERLLM_CONFIG"] = config };
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o k.o", extra).Succeeded);
        Assert.True(_box.Gcc("-O2 -c k.c -o plain.o").Succeeded);
        Assert.Equal(_box.Bytes("plain.o"), _box.Bytes("k.o"));
        Assert.Contains($"CLLM7001: {config}:3: cache_size 'lots' is not a size", _box.Log);
        var show = _box.Run(LauncherSandbox.Launcher, ["--show-config"], extra);
        Assert.Equal(1, show.ExitCode);
        Assert.Contains($"{config}:3: error CLLM7001", show.StandardError);
    }
}
