using CompilerLLM.Training.Learning;
using CompilerLLM.Training.Onnx;
using CompilerLLM.Variants;

namespace CompilerLLM.Launcher.Tests;

/// <summary>The launcher compiles each unit with the variant a model chooses (zero-shot, no profile), from the cache on the second build.</summary>
public sealed class VariantLauncherTests : IDisposable
{
    private readonly LauncherSandbox _box = new();

    public void Dispose() => _box.Dispose();

    private string ModelPreferring(string variant)
    {
        var w = new float[VariantFeatures.Width];
        w[VariantFeatures.UnitWidth + VariantFeatures.Variants.ToList().FindIndex(v => v.Name == variant)] = 1;
        string path = Path.Combine(_box.Path, $"prefer-{variant}.onnx");
        File.WriteAllBytes(path, MlpOnnxWriter.Write([new DenseLayerWeights(VariantFeatures.Width, 1, w, [0f], Activation.None)], "features", "scores",
            VariantPolicy.Contract.Metadata(), "test variant model"));
        return path;
    }

    [Fact]
    public void The_chosen_variant_is_compiled_optimized_and_cached()
    {
        _box.Write("k.c", Sources.Kernel);
        var extra = new Dictionary<string, string?> { ["COMPILERLLM_VARIANTS"] = ModelPreferring("unroll") };
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o k.o", extra).Succeeded);
        Assert.Contains("variant unroll", _box.Log);
        // Our object behaves like GCC's, and it is not GCC's -O2 object: unrolled (and rewritten).
        Assert.True(_box.Gcc("-O2 -c k.c -o plain.o").Succeeded);
        Assert.NotEqual(_box.Bytes("plain.o"), _box.Bytes("k.o"));
        Assert.True(_box.Gcc("-o ours k.o").Succeeded);
        Assert.True(_box.Gcc("-o plain plain.o").Succeeded);
        Assert.Equal(_box.Run(_box.File("plain"), []).StandardOutput, _box.Run(_box.File("ours"), []).StandardOutput);

        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o again.o", extra).Succeeded);
        Assert.Equal(_box.Bytes("k.o"), _box.Bytes("again.o"));
        Assert.Contains("variant unroll (cache)", _box.Log);

        // base: the user's flags (the rewrites alone), a different cache entry.
        Assert.True(_box.Cc("gcc", "-O2 -c k.c -o based.o", new Dictionary<string, string?> { ["COMPILERLLM_VARIANTS"] = "base" }).Succeeded);
        Assert.NotEqual(_box.Bytes("k.o"), _box.Bytes("based.o"));
    }
}
