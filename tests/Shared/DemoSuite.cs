using System.Text.Json;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.TestSupport;

/// <summary>
/// A one-program development suite written like the real suite's manifests (scripts/devsuite/README.md): the program
/// <c>demo</c> of two units in different folders of a source tree (<c>app/main.c</c> compiled with <c>-O2 -DX=1</c>,
/// <c>lib/kernel.c</c> with <c>-O2</c>), a wrapper script that runs it and prints <c>done</c>, the workload argument
/// <see cref="Argument"/>, and an expected output.
/// </summary>
public static class DemoSuite
{
    public const string Argument = "20000000";

    /// <summary>A kernel for <c>lib/kernel.c</c>: <c>kernel(n, seed)</c> runs an LCG n times (one hot loop, work ∝ n).</summary>
    public const string Kernel = """
        unsigned kernel(unsigned n, unsigned x) {
            unsigned acc = 0;
            for (unsigned i = 0; i < n; i++) { x = x * 1103515245u + 12345u; acc += (x >> 16) % 7u; }
            return acc;
        }
        """;

    /// <summary>
    /// Writes the suite under <paramref name="root"/>/suite and returns that folder. <paramref name="expected"/> null:
    /// the output of a plain -O2 build of the two sources (built under <paramref name="root"/>/reference).
    /// </summary>
    public static string Write(string root, string main, string kernel, string? expected = null)
    {
        string suite = Path.Combine(root, "suite"), src = Path.Combine(suite, "src", "demo"), program = Path.Combine(suite, "demo");
        Directory.CreateDirectory(Path.Combine(src, "app"));
        Directory.CreateDirectory(Path.Combine(src, "lib"));
        Directory.CreateDirectory(Path.Combine(program, "work"));
        File.WriteAllText(Path.Combine(src, "app", "main.c"), main);
        File.WriteAllText(Path.Combine(src, "lib", "kernel.c"), kernel);
        File.WriteAllText(Path.Combine(program, "run.sh"), "\"$@\"; echo done\n");
        if (expected is null)
        {
            string reference = Path.Combine(root, "reference");
            Directory.CreateDirectory(reference);
            string exe = Path.Combine(reference, "demo");
            var r = ProcessRunner.Run(new ProcessSpec("gcc", ["-O2", "-o", exe, Path.Combine(src, "app", "main.c"), Path.Combine(src, "lib", "kernel.c")]));
            Assert.True(r.Succeeded, r.StandardError);
            expected = UserProgram.Run(exe, [Argument]).StandardOutput + "done\n";
        }
        File.WriteAllText(Path.Combine(program, "expected.stdout"), expected);
        var manifest = new
        {
            schema = 1, name = "demo", package = "demo-src",
            units = new[]
            {
                new { source = "main.c", directory = "../src/demo/app", arguments = new[] { "-O2", "-DX=1" }, @object = "obj/u000.o", origin = "app/main.c" },
                new { source = "kernel.c", directory = "../src/demo/lib", arguments = new[] { "-O2" }, @object = "obj/u001.o", origin = "lib/kernel.c" },
            },
            link = new { directory = ".", arguments = new[] { "-O2", "obj/u000.o", "obj/u001.o", "-lm" }, output = "bin/demo" },
            workload = new { directory = "work", args = new[] { Argument }, stdin = (string?)null, wrapper = "run.sh", env = new Dictionary<string, string> { ["LC_ALL"] = "C" }, timeout_seconds = 60 },
            expected = new { stdout = "expected.stdout", exit_code = 0 },
            baseline = new { cpu_seconds = 0.1 },
        };
        File.WriteAllText(Path.Combine(program, "suite.json"), JsonSerializer.Serialize(manifest));
        return suite;
    }
}
