using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher.Tests;

/// <summary>
/// The bad-input list: for each, what the launcher does. In every case the build gets a correct object (GCC's own or
/// an optimized one that behaves like it) or GCC's own failure, never one of ours.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly LauncherSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private void AssertSameBehaviour(string obj, string plainObj)
    {
        Assert.True(_box.Gcc($"-o ours {obj}").Succeeded);
        Assert.True(_box.Gcc($"-o plain {plainObj}").Succeeded);
        var ours = _box.Run(_box.File("ours"), []);
        var plain = _box.Run(_box.File("plain"), []);
        Assert.Equal(plain.ExitCode, ours.ExitCode);
        Assert.Equal(plain.StandardOutput, ours.StandardOutput);
    }

    [Fact]
    public void Inline_assembly_is_kept_verbatim_and_the_rest_is_optimized()
    {
        _box.Write("a.c", """
            #include <stdio.h>
            static inline unsigned rotl(unsigned x, unsigned char n) { __asm__("roll %1, %0" : "+r"(x) : "c"(n)); return x; }
            int main(void) { unsigned s = 1; for (int i = 0; i < 100; i++) s = rotl(s + i, (unsigned char)(i & 7)); printf("%u\n", s); return 0; }
            """);
        Assert.True(_box.Cc("gcc", "-O2 -c a.c -o a.o").Succeeded);
        Assert.True(_box.Gcc("-O2 -c a.c -o plain.o").Succeeded);
        AssertSameBehaviour("a.o", "plain.o");
        Assert.Contains("CLLM7005", _box.Log);
    }

    [Fact]
    public void Incbin_finds_its_file_relative_to_the_build_directory()
    {
        _box.Write("blob.bin", "0123456789abcdef");
        _box.Write("b.c", """
            #include <stdio.h>
            __asm__(".section .rodata\n.global blob\nblob:\n.incbin \"blob.bin\"\n.byte 0\n.text\n");
            extern const char blob[];
            int main(void) { int s = 0; for (int i = 0; blob[i]; i++) s += blob[i] * (i + 1); printf("%s %d\n", blob, s); return 0; }
            """);
        var r = _box.Cc("gcc", "-O2 -c b.c -o b.o");
        Assert.True(r.Succeeded, r.StandardError);
        Assert.True(_box.Gcc("-O2 -c b.c -o plain.o").Succeeded);
        AssertSameBehaviour("b.o", "plain.o");
    }

    [Fact]
    public void Incbin_changed_between_builds_is_never_served_stale_by_the_cache()
    {
        // The included bytes are in neither the preprocessed source nor the assembly text that key the cache.
        _box.Write("blob.bin", "first");
        _box.Write("b.c", """
            #include <stdio.h>
            __asm__(".section .rodata\n.global blob\nblob:\n.incbin \"blob.bin\"\n.byte 0\n.text\n");
            extern const char blob[];
            int main(void) { puts(blob); return 0; }
            """);
        Assert.True(_box.Cc("gcc", "-O2 -c b.c -o b.o").Succeeded);
        _box.Write("blob.bin", "second");
        Assert.True(_box.Cc("gcc", "-O2 -c b.c -o b.o").Succeeded);
        Assert.True(_box.Gcc("-o b b.o").Succeeded);
        Assert.Equal("second\n", _box.Run(_box.File("b"), []).StandardOutput);
    }

    [Fact]
    public void Macro_debug_information_g3_is_kept()
    {
        _box.Write("k.c", Sources.Kernel);
        Assert.True(_box.Cc("gcc", "-O2 -g3 -c k.c -o k.o").Succeeded);
        Assert.True(_box.Gcc("-O2 -g3 -c k.c -o plain.o").Succeeded);
        AssertSameBehaviour("k.o", "plain.o");
        // The macro table GCC wrote is in our object too.
        var sections = _box.Run("readelf", ["-S", _box.File("k.o")]).StandardOutput;
        Assert.Contains(".debug_macro", sections);
    }

    [Theory]
    [InlineData("-O2 -flto -c k.c -o k.o")]
    [InlineData("-O2 -m32 -c k.c -o k.o")]
    public void Lto_and_32_bit_targets_pass_through_to_gcc(string commandLine)
    {
        _box.Write("k.c", Sources.Kernel);
        var ours = _box.Cc("gcc", commandLine);
        byte[]? ourObject = File.Exists(_box.File("k.o")) ? _box.Bytes("k.o") : null;
        File.Delete(_box.File("k.o"));
        var gcc = _box.Gcc(commandLine);
        Assert.Equal(gcc.ExitCode, ours.ExitCode); // -m32 may fail here (no multilib): then it fails the same way
        Assert.Equal(gcc.StandardError, ours.StandardError);
        Assert.DoesNotContain("CLLM7005", _box.Log);
        if (!gcc.Succeeded) return;
        if (commandLine.Contains("-flto"))
        {
            // GCC's LTO objects differ from run to run (random section-name suffixes): ours must be one of them.
            File.WriteAllBytes(_box.File("ours.o"), ourObject!);
            Assert.Contains(".gnu.lto_", _box.Run("readelf", ["-S", _box.File("ours.o")]).StandardOutput);
        }
        else Assert.Equal(_box.Bytes("k.o"), ourObject);
    }

    [Fact]
    public void Clang_as_the_compiler_passes_through()
    {
        string? clang = ProcessRunner.FindOnPath("clang") ?? ProcessRunner.FindOnPath("clang-14");
        Assert.NotNull(clang); // scripts/setup.sh installs clang-14
        _box.Write("k.c", Sources.Kernel);
        Assert.True(_box.Cc(clang, "-O2 -c k.c -o k.o").Succeeded);
        Assert.True(_box.Run(clang, ["-O2", "-c", "k.c", "-o", "plain.o"]).Succeeded);
        Assert.Equal(_box.Bytes("plain.o"), _box.Bytes("k.o"));
        Assert.Contains("not GCC; compiling unchanged", _box.Log);
    }

    [Fact]
    public void A_missing_assembler_fails_exactly_as_gcc_alone_fails()
    {
        // PATH holds gcc only: GCC itself cannot run `as`. The launcher's compile to assembly works, its engine cannot
        // find `as` either, so it steps aside and GCC fails on its own, with its own message and exit code.
        CompileWithoutAssembler(variants: null);
        Assert.Contains("GCC's own assembly does not assemble", _box.Log);
    }

    [Fact]
    public void A_missing_assembler_with_the_variant_model_fails_exactly_as_gcc_alone_fails()
    {
        // The variant step reads GCC's assembly with `as` first: a missing `as` there must step aside too, not crash.
        CompileWithoutAssembler(variants: "default");
        Assert.Contains("CLLM7003", _box.Log);
    }

    /// <summary>Compiles with a PATH that holds gcc only (no `as`), through the launcher and with gcc alone: both fail alike.</summary>
    private void CompileWithoutAssembler(string? variants)
    {
        string bin = Path.Combine(_box.Path, "bin");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "gcc"), ProcessRunner.FindOnPath("gcc")!);
        _box.Write("k.c", Sources.Kernel);
        var extra = new Dictionary<string, string?> { ["PATH"] = bin };
        if (variants is not null) extra["COMPILERLLM_VARIANTS"] = variants;
        var ours = _box.Cc("gcc", "-O2 -c k.c -o k.o", extra);
        var gcc = _box.Run("gcc", ["-O2", "-c", "k.c", "-o", "k.o"], extra);
        Assert.NotEqual(0, gcc.ExitCode);
        Assert.Equal(gcc.ExitCode, ours.ExitCode);
        Assert.Equal(gcc.StandardError, ours.StandardError);
    }

    [Fact]
    public void A_read_only_cache_directory_costs_the_cache_only()
    {
        _box.Write("k.c", Sources.Kernel);
        // /proc refuses new files and directories even to root; the log goes elsewhere.
        var extra = new Dictionary<string, string?> { ["COMPILERLLM_CACHE_DIR"] = "/proc/compilerllm", ["COMPILERLLM_LOG_FILE"] = _box.LogFile };
        var r = _box.Cc("gcc", "-O2 -c k.c -o k.o", extra);
        Assert.True(r.Succeeded, r.StandardError);
        Assert.True(_box.Gcc("-O2 -c k.c -o plain.o").Succeeded);
        AssertSameBehaviour("k.o", "plain.o");
        Assert.NotEqual(_box.Bytes("plain.o"), _box.Bytes("k.o")); // still optimized
    }

    [RootFact]
    public void A_full_disk_under_the_cache_gives_gccs_object()
    {
        string mount = Path.Combine(_box.Path, "full");
        Directory.CreateDirectory(mount);
        Assert.True(_box.Run("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", mount]).Succeeded);
        try
        {
            File.WriteAllBytes(Path.Combine(mount, "filler"), new byte[12 * 1024]);
            _box.Write("k.c", Sources.Kernel);
            var extra = new Dictionary<string, string?> { ["COMPILERLLM_CACHE_DIR"] = mount, ["COMPILERLLM_LOG_FILE"] = _box.LogFile };
            var r = _box.Cc("gcc", "-O2 -c k.c -o k.o", extra);
            Assert.True(r.Succeeded, r.StandardError);
            Assert.True(_box.Gcc("-O2 -c k.c -o plain.o").Succeeded);
            AssertSameBehaviour("k.o", "plain.o");
        }
        finally
        {
            _box.Run("umount", [mount]);
        }
    }
}

/// <summary>A fact that needs root (mounting a tmpfs); skipped, with the reason, elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();

    public RootFactAttribute()
    {
        if (geteuid() != 0) Skip = "needs root to mount a small tmpfs";
    }
}
