using CompilerLLM.Inference;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Pipeline;

/// <summary>The one parser of the policy setting, as the CLI, the MSBuild tasks and eval all use it.</summary>
public sealed class PolicyRequestTests
{
    [Theory]
    [InlineData("none", PolicyKind.None)]
    [InlineData("NONE", PolicyKind.None)]
    [InlineData("all", PolicyKind.All)]
    [InlineData(" ALL ", PolicyKind.All)]
    [InlineData("default", PolicyKind.Model)]
    [InlineData("Default", PolicyKind.Model)]
    [InlineData("", PolicyKind.Model)]
    [InlineData(null, PolicyKind.Model)]
    public void Keywords_are_case_insensitive_and_empty_is_the_default(string? text, PolicyKind kind)
    {
        Assert.True(PolicyRequest.TryParse(text, "/project", out var request, out string? error), error);
        Assert.Equal(kind, request.Kind);
        if (kind == PolicyKind.Model) Assert.Equal(RewritePolicy.DefaultModelPath, request.ModelPath);
        else Assert.Null(request.ModelPath);
    }

    [Theory]
    [InlineData("models/p.onnx", "/project/models/p.onnx")]
    [InlineData("models/p.model", "/project/models/p.model")]   // a directory separator makes it a path
    [InlineData("/abs/p.ONNX", "/abs/p.ONNX")]
    [InlineData("p.onnx", "/project/p.onnx")]
    public void Model_paths_are_resolved_against_the_callers_directory(string text, string expected)
    {
        Assert.True(PolicyRequest.TryParse(text, "/project", out var request, out string? error), error);
        Assert.Equal(new PolicyRequest(PolicyKind.Model, expected), request);
        Assert.Equal(expected, request.ToString());
    }

    [Fact]
    public void An_existing_file_is_a_path_even_without_the_extension()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("mymodel"), "x");
        Assert.True(PolicyRequest.TryParse("mymodel", dir.Path, out var request, out _));
        Assert.Equal(dir.File("mymodel"), request.ModelPath);
    }

    [Theory]
    [InlineData("greedy")]
    [InlineData("defualt")]
    public void Anything_else_is_refused_naming_the_value_and_the_forms(string text)
    {
        Assert.False(PolicyRequest.TryParse(text, "/project", out _, out string? error));
        Assert.Equal($"unknown policy '{text}' (expected {PolicyRequest.Expected})", error);
    }

    [Fact]
    public void Equal_requests_are_one_cache_key_and_the_runtime_override_belongs_only_to_models()
    {
        Assert.True(PolicyRequest.TryParse("default", "/p", out var a, out _, "lib/libonnxruntime.so.1"));
        Assert.True(PolicyRequest.TryParse(" DEFAULT", "/p", out var b, out _, "./lib/libonnxruntime.so.1"));
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal("/p/lib/libonnxruntime.so.1", a.OnnxRuntimePath);
        Assert.True(PolicyRequest.TryParse("all", "/p", out var all, out _, "lib/libonnxruntime.so.1"));
        Assert.Same(PolicyRequest.All, all);
        Assert.NotEqual(a, PolicyRequest.Default);
    }

    [Fact]
    public void Built_in_policies_load_without_onnx_runtime_and_models_fail_with_their_reason()
    {
        Assert.Same(LoadedPolicy.All, PolicyRequest.All.Load());
        Assert.Same(LoadedPolicy.None, PolicyRequest.None.Load());
        var missing = new PolicyRequest(PolicyKind.Model, "/no/such/model.onnx");
        var e = Assert.Throws<PolicyLoadException>(() => missing.Load());
        Assert.Equal(PolicyLoadFailure.ModelFile, e.Failure);
        var badRuntime = PolicyRequest.Default with { OnnxRuntimePath = "/no/such/libonnxruntime.so.1" };
        Assert.Equal(PolicyLoadFailure.Runtime, Assert.Throws<PolicyLoadException>(() => badRuntime.Load()).Failure);
        using var shipped = PolicyRequest.Default.Load();
        Assert.Equal(PolicyKind.Model, shipped.Kind);
        Assert.Equal("onnx:" + shipped.Model!.ModelSha256, shipped.Identity);
    }
}
