namespace CompilerLLM.Launcher.Tests;

/// <summary>
/// The replay command on a real make project: a fault injected into one unit is caught by the project's own test
/// command, bisected to that unit, GCC's object goes back for it, and the rebuilt project passes its tests.
/// </summary>
public sealed class ReplayTests : IDisposable
{
    private readonly LauncherSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private void WriteProject()
    {
        for (int i = 0; i < 4; i++)
        {
            _box.Write($"u{i}.c", $$"""
                #include <stdint.h>
                uint64_t unit{{i}}(const uint32_t *p, int n)
                {
                    uint64_t h = {{i + 7}};
                    for (int k = 0; k < n; k++) { h ^= p[k] + 1; h *= 1099511628211ull; h += h >> 13; h += 1; }
                    return h;
                }
                """);
        }
        _box.Write("main.c", """
            #include <stdio.h>
            #include <stdint.h>
            uint64_t unit0(const uint32_t *, int); uint64_t unit1(const uint32_t *, int);
            uint64_t unit2(const uint32_t *, int); uint64_t unit3(const uint32_t *, int);
            int main(void)
            {
                uint32_t d[500];
                for (int i = 0; i < 500; i++) d[i] = (uint32_t)(i * 2654435761u);
                printf("%llu %llu %llu %llu\n", (unsigned long long)unit0(d, 500), (unsigned long long)unit1(d, 500),
                       (unsigned long long)unit2(d, 500), (unsigned long long)unit3(d, 500));
                return 0;
            }
            """);
        _box.Write("Makefile", "OBJS = u0.o u1.o u2.o u3.o main.o\nprog: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\n%.o: %.c\n\t$(CC) -O2 -c -o $@ $<\n"
            + "check: prog\n\t./prog > out.txt && cmp out.txt expected.txt\n");
    }

    [Fact]
    public void A_fault_in_one_unit_is_found_by_the_tests_bisected_and_undone()
    {
        WriteProject();
        Assert.True(_box.Run("make", ["-s", "CC=gcc", "prog"]).Succeeded);
        File.Copy(_box.File("prog"), _box.File("gcc-prog"));
        File.WriteAllText(_box.File("expected.txt"), _box.Run(_box.File("gcc-prog"), []).StandardOutput);
        _box.Run("make", ["-s", "clean"]);
        foreach (string o in Directory.GetFiles(_box.Work, "*.o")) File.Delete(o);
        File.Delete(_box.File("prog"));

        var fault = new Dictionary<string, string?> { ["COMPILERLLM_FAULT_INJECTION"] = "unit2" };
        var build = _box.Run("make", ["-s", $"CC={LauncherSandbox.Launcher} gcc", "prog"], fault);
        Assert.True(build.Succeeded, build.StandardError);
        Assert.False(_box.Run("make", ["-s", "check"]).Succeeded); // the fault shows in the project's own test

        var replay = _box.Run(LauncherSandbox.Launcher, ["--replay", "--build", "make -s prog", "--test", "make -s check"]);
        Assert.True(replay.Succeeded, replay.StandardOutput + replay.StandardError);
        Assert.Contains("culprit " + _box.File("u2.o"), replay.StandardOutput);
        Assert.Contains("replay: 1 culprit(s) of 5 unit(s) fell back; the rebuilt project behaves like GCC's build", replay.StandardOutput);

        Assert.True(_box.Run("make", ["-s", "check"]).Succeeded);
        Assert.True(_box.Run("gcc", ["-O2", "-c", "-o", "plain-u2.o", "u2.c"]).Succeeded);
        Assert.Equal(_box.Bytes("plain-u2.o"), _box.Bytes("u2.o"));                        // GCC's object is back for the culprit
        Assert.True(_box.Run("gcc", ["-O2", "-c", "-o", "plain-u1.o", "u1.c"]).Succeeded);
        Assert.NotEqual(_box.Bytes("plain-u1.o"), _box.Bytes("u1.o"));                     // the others stay optimized
        var report = _box.Run(LauncherSandbox.Launcher, ["--report", _box.Work]);
        Assert.Contains("1 fallback(s)", report.StandardOutput);
        Assert.Contains("u2.o: fallback: test replay", report.StandardOutput);
    }

    [Fact]
    public void A_correct_build_replays_identically_and_keeps_every_optimized_unit()
    {
        WriteProject();
        Assert.True(_box.Run("make", ["-s", "CC=gcc", "prog"]).Succeeded);
        File.WriteAllText(_box.File("expected.txt"), _box.Run(_box.File("prog"), []).StandardOutput);
        foreach (string o in Directory.GetFiles(_box.Work, "*.o")) File.Delete(o);
        File.Delete(_box.File("prog"));
        Assert.True(_box.Run("make", ["-s", $"CC={LauncherSandbox.Launcher} gcc", "prog"]).Succeeded);
        var before = Directory.GetFiles(_box.Work, "*.o").ToDictionary(f => f, File.ReadAllBytes);
        var replay = _box.Run(LauncherSandbox.Launcher, ["--replay", "--build", "make -s prog", "--test", "make -s check"]);
        Assert.True(replay.Succeeded, replay.StandardOutput + replay.StandardError);
        Assert.Contains("replay: identical", replay.StandardOutput);
        foreach (var (path, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(path));
    }
}
