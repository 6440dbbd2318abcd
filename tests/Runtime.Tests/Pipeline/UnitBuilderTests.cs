using CompilerLLM.Caching;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Pipeline;

/// <summary>The engine's per-unit entry point with real gcc and as, with and without the content cache.</summary>
public sealed class UnitBuilderTests : IDisposable
{
    private const string Source = """
        unsigned mix(unsigned h, const unsigned char *p, int n)
        {
            for (int i = 0; i < n; i++) { h ^= p[i]; h *= 16777619u; h += h >> 7; }
            return h;
        }
        long sum3(long *a, int n) { long s = 0; for (int i = 0; i < n; i++) s += a[i] * 3; return s; }
        """;

    private readonly TempDirectory _temp = new("compilerllm-unit-tests-");
    private readonly UnitBuilder _builder;

    public UnitBuilderTests()
    {
        File.WriteAllText(_temp.File("mix.c"), Source);
        _builder = new UnitBuilder(new Gcc(ToolchainOptions.Default, _temp.Path));
    }

    public void Dispose() => _temp.Dispose();

    private TranslationUnit Unit(string name, params string[] args) => new("mix.c", args, UnitFiles.At(_temp.File(name)));

    private static readonly OptimizerOptions All = new() { Policy = PolicyKind.All };

    private byte[] GccCompile(params string[] args)
    {
        var r = new Gcc(ToolchainOptions.Default, _temp.Path).Probe(["-c", .. args, "mix.c", "-o", "plain.o"]);
        Assert.True(r.Succeeded, r.StandardError);
        return File.ReadAllBytes(_temp.File("plain.o"));
    }

    [Fact]
    public void Gccs_object_equals_gcc_c_and_ours_differs_by_the_rewrites()
    {
        var unit = Unit("a", "-O2", "-g");
        Assert.True(_builder.Compile(unit).Succeeded);
        Assert.Equal(GccCompile("-O2", "-g"), File.ReadAllBytes(unit.Files.Object));
        var report = _builder.Optimize(unit, All);
        Assert.Equal(UnitStatus.Optimized, report.Status);
        Assert.True(report.Applied > 0);
        Assert.False(report.FromCache);
        Assert.NotEqual(File.ReadAllBytes(unit.Files.Object), File.ReadAllBytes(unit.Files.OptimizedObject));
    }

    [Fact]
    public void A_second_build_of_the_same_unit_comes_from_the_cache_with_the_same_bytes()
    {
        var cache = new UnitCache(new ContentCache(_temp.File("cache"), 1 << 24), "policy all");
        var first = Unit("first", "-O2");
        Assert.True(_builder.Compile(first, assembleGccObject: false).Succeeded);
        Assert.False(File.Exists(first.Files.Object));
        var built = _builder.Optimize(first, All, cache);
        Assert.False(built.FromCache);
        Assert.Equal(GccCompile("-O2"), File.ReadAllBytes(first.Files.Object)); // assembled on the miss

        var second = Unit("second", "-O2");
        Assert.True(_builder.Compile(second, assembleGccObject: false).Succeeded);
        var restored = _builder.Optimize(second, All, cache);
        Assert.True(restored.FromCache);
        Assert.Equal(built.Applied, restored.Applied);
        Assert.Equal(File.ReadAllBytes(first.Files.Object), File.ReadAllBytes(second.Files.Object));
        Assert.Equal(File.ReadAllBytes(first.Files.OptimizedObject), File.ReadAllBytes(second.Files.OptimizedObject));
        Assert.Equal(File.ReadAllText(first.Files.OptimizedAsm), File.ReadAllText(second.Files.OptimizedAsm));
    }

    [Fact]
    public void The_key_of_a_units_assembly_file_is_the_key_of_its_text_ascii_or_not()
    {
        var cache = new UnitCache(new ContentCache(_temp.File("cache"), 1 << 24), "policy all");
        var unit = Unit("keyed", "-O2", "-g");
        Assert.True(_builder.Compile(unit, assembleGccObject: false).Succeeded);
        var gcc = _builder.Gcc;
        Assert.Equal(cache.KeyOf(unit, File.ReadAllText(unit.Files.Asm), gcc), cache.KeyOfFile(unit, unit.Files.Asm, gcc));

        File.AppendAllText(unit.Files.Asm, "# caf\u00e9\n"); // not ASCII: read as text, the same key as the text's
        var text = File.ReadAllText(unit.Files.Asm);
        Assert.Equal(cache.KeyOf(unit, text, gcc), cache.KeyOfFile(unit, unit.Files.Asm, gcc));
        Assert.NotEqual(cache.KeyOf(unit, text + "\n", gcc), cache.KeyOfFile(unit, unit.Files.Asm, gcc));
    }

    [Fact]
    public void Other_flags_or_another_configuration_miss()
    {
        var store = new ContentCache(_temp.File("cache"), 1 << 24);
        var a = Unit("a", "-O2");
        _builder.Compile(a, assembleGccObject: false);
        _builder.Optimize(a, All, new UnitCache(store, "policy all"));

        var b = Unit("b", "-O2", "-fno-omit-frame-pointer");
        _builder.Compile(b, assembleGccObject: false);
        Assert.False(_builder.Optimize(b, All, new UnitCache(store, "policy all")).FromCache);

        var c = Unit("c", "-O2");
        _builder.Compile(c, assembleGccObject: false);
        Assert.False(_builder.Optimize(c, All, new UnitCache(store, "policy all; validate smt")).FromCache);
        Assert.True(_builder.Optimize(c, All, new UnitCache(store, "policy all")).FromCache);
    }

    [Fact]
    public void A_unit_that_falls_back_keeps_gccs_files_and_is_not_cached()
    {
        var store = new ContentCache(_temp.File("cache"), 1 << 24);
        var unit = Unit("bad", "-O2");
        Assert.True(_builder.Compile(unit).Succeeded);
        File.AppendAllText(unit.Files.Asm, "\n\tmovl %eax\n"); // GAS rejects it: the model cannot be built
        var report = _builder.Optimize(unit, All, new UnitCache(store, "x"));
        Assert.Equal(UnitStatus.FellBack, report.Status);
        Assert.Equal(UnitFallback.UnreadableAssembly, report.Fallback);
        Assert.Equal(File.ReadAllBytes(unit.Files.Object), File.ReadAllBytes(unit.Files.OptimizedObject));
        Assert.Equal(0, store.Measure().Entries);
    }
}
