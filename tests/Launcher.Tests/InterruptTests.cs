using System.Diagnostics;
using CompilerLLM.Caching;

namespace CompilerLLM.Launcher.Tests;

/// <summary>
/// Builds interrupted at random moments (SIGINT and SIGKILL to the whole make process group, ten times, sharing one
/// cache) and then completed give the objects of an uninterrupted build, and the cache holds no torn entry.
/// </summary>
public sealed class InterruptTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly LauncherSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private const int Units = 4;

    private static string Unit(int i) => $$"""
        #include <stdint.h>
        uint64_t unit{{i}}(const uint32_t *p, int n)
        {
            uint64_t h = {{i + 1}}469598103934665603ull;
            for (int k = 0; k < n; k++) { h ^= p[k] + (uint64_t)k * {{i + 3}}; h *= 1099511628211ull; h += h >> {{i + 5}}; }
            return h;
        }
        """;

    private void WriteProject(string dir)
    {
        for (int i = 0; i < Units; i++) _box.Write($"{dir}/u{i}.c", Unit(i));
        _box.Write($"{dir}/main.c", $$"""
            #include <stdio.h>
            #include <stdint.h>
            {{string.Join("\n", Enumerable.Range(0, Units).Select(i => $"uint64_t unit{i}(const uint32_t *p, int n);"))}}
            int main(void)
            {
                uint32_t data[1000];
                for (int i = 0; i < 1000; i++) data[i] = (uint32_t)(i * 2654435761u);
                {{string.Join("\n    ", Enumerable.Range(0, Units).Select(i => $"printf(\"%llu\\n\", (unsigned long long)unit{i}(data, 1000));"))}}
                return 0;
            }
            """);
        _box.Write($"{dir}/Makefile", $"""
            OBJS = {string.Join(" ", Enumerable.Range(0, Units).Select(i => $"u{i}.o"))} main.o
            prog: $(OBJS)
            {'\t'}$(CC) -o $@ $(OBJS)
            %.o: %.c
            {'\t'}$(CC) -O2 -MMD -MP -c -o $@ $<
            -include $(OBJS:.o=.d)
            """);
    }

    private Process StartMake(string dir, string cache)
    {
        var psi = new ProcessStartInfo("setsid", ["make", "-s", "-j2", $"CC={LauncherSandbox.Launcher} gcc"])
        {
            WorkingDirectory = _box.File(dir),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (k, v) in _box.Environment) { if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v; }
        psi.Environment["COMPILERLLM_CACHE_DIR"] = cache;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private void Make(string dir, string cache)
    {
        using var p = StartMake(dir, cache);
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)));
        Assert.Equal(0, p.ExitCode);
    }

    private Dictionary<string, byte[]> Objects(string dir) =>
        Directory.GetFiles(_box.File(dir), "*.o").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void Interrupted_builds_then_completed_give_the_objects_of_an_uninterrupted_build_and_no_torn_cache_entry()
    {
        WriteProject("reference");
        var clock = Stopwatch.StartNew();
        Make("reference", Path.Combine(_box.Path, "reference-cache"));
        int span = (int)clock.ElapsedMilliseconds; // interrupt anywhere within one whole cold build
        var reference = Objects("reference");
        Assert.Equal(Units + 1, reference.Count);

        string shared = Path.Combine(_box.Path, "shared-cache");
        var random = new Random(20261207);
        var moments = new List<string>();
        for (int round = 0; round < 10; round++)
        {
            string dir = $"round{round}";
            WriteProject(dir);
            int delay = random.Next(0, span);
            string signal = round % 2 == 0 ? "INT" : "KILL";
            using (var make = StartMake(dir, shared))
            {
                Thread.Sleep(delay);
                Process.Start("kill", [$"-{signal}", "--", $"-{make.Id}"])!.WaitForExit();
                Assert.True(make.WaitForExit(TimeSpan.FromMinutes(2)));
            }
            Thread.Sleep(200); // let killed children of the group go
            moments.Add($"{signal}@{delay}ms: {Directory.GetFiles(_box.File(dir), "*.o").Length} object(s) before the rebuild");
            Make(dir, shared);
            var objects = Objects(dir);
            Assert.True(reference.Keys.Order().SequenceEqual(objects.Keys.Order()), string.Join(", ", objects.Keys));
            foreach (var (name, bytes) in reference)
                Assert.True(bytes.AsSpan().SequenceEqual(objects[name]), $"round {round} ({moments[^1]}): {name} differs from the uninterrupted build");
            Assert.Equal(reference.Count, Directory.GetFiles(_box.File(dir), "*.o").Length); // no stray object-like files
        }

        // Every entry left in the shared cache is whole: each verifies (a damaged one would read as Corrupt).
        var cache = new ContentCache(shared, 1L << 30);
        int entries = 0, unitEntries = 0;
        foreach (string bucket in Directory.GetDirectories(shared).Where(d => Path.GetFileName(d).Length == 1))
        {
            foreach (string entry in Directory.GetDirectories(bucket))
            {
                entries++;
                // A unit's entry, or a direct shortcut's (the -MMD units of this project have those too).
                string name = File.Exists(Path.Combine(entry, "direct.json")) ? "direct.json" : "opt.o";
                if (name == "opt.o") unitEntries++;
                string probe = Path.Combine(_box.Path, "probe." + name);
                Assert.Equal(CacheLookup.Hit, cache.TryGet(new CacheKey(Path.GetFileName(entry)), new Dictionary<string, string> { [name] = probe }));
            }
        }
        Assert.True(unitEntries >= Units, $"{entries} cache entries, {unitEntries} of units; moments: {string.Join("; ", moments)}");
        foreach (string m in moments) output.WriteLine(m);
        output.WriteLine($"{entries} cache entries, all whole");
    }
}
