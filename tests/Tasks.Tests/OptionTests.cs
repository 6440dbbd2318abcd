using CompilerLLM.Pipeline;

namespace CompilerLLM.Build.Tasks.Tests;

public class OptionTests
{
    [Theory]
    [InlineData("-O2", new[] { "-O2" })]
    [InlineData("  -O2   -g ", new[] { "-O2", "-g" })]
    [InlineData("-DNAME=\"a b\" '-DX=it''s'", new[] { "-DNAME=a b", "-DX=its" })]
    [InlineData(@"-I dir\ with\ spaces", new[] { "-I", "dir with spaces" })]
    [InlineData("\"\"", new[] { "" })]
    [InlineData("", new string[0])]
    public void Flags_split_like_a_shell(string text, string[] expected) =>
        Assert.Equal(expected, CommandLine.Split(text));

    [Fact]
    public void Unbalanced_quotes_are_an_error() =>
        Assert.Throws<FormatException>(() => CommandLine.Split("-DX='oops"));

    [Fact]
    public void Compiler_arguments_come_in_a_fixed_order_from_property_and_metadata()
    {
        var args = CommandLine.CompilerArguments("-O2 -g", "Application", "-Wall -fno-inline", "A=1;B;", "include;../common");
        Assert.Equal(["-O2", "-g", "-Wall", "-fno-inline", "-DA=1", "-DB", "-Iinclude", "-I../common"], args);
    }

    [Fact]
    public void Shared_libraries_get_position_independent_code_once()
    {
        Assert.Equal(["-O2", "-fPIC"], CommandLine.CompilerArguments("-O2", "SharedLibrary", null, null, null));
        Assert.Equal(["-O2", "-fpic"], CommandLine.CompilerArguments("-O2", "SharedLibrary", "-fpic", null, null));
        Assert.Equal(["-O2"], CommandLine.CompilerArguments("-O2", "StaticLibrary", null, null, null));
    }

    [Fact]
    public void Unexpanded_metadata_references_are_not_flags() =>
        Assert.Equal(["-DA"], CommandLine.CompilerArguments("", "Application", null, "A;%(PreprocessorDefinitions)", null));

    [Theory]
    [InlineData(null, "default")]
    [InlineData("", "default")]
    [InlineData("Default", "default")]
    [InlineData("ALL", "all")]
    [InlineData(" none ", "none")]
    public void Policy_keywords_parse(string? value, string key)
    {
        var diagnostics = new List<PendingDiagnostic>();
        Assert.Equal(key, PolicySelection.Parse(value, "/project", diagnostics)!.ToString());
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void A_model_path_is_resolved_against_the_project()
    {
        var diagnostics = new List<PendingDiagnostic>();
        Assert.Equal(new PolicyRequest(PolicyKind.Model, "/project/models/p.onnx"), PolicySelection.Parse("models/p.onnx", "/project", diagnostics));
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void An_unknown_policy_is_misuse()
    {
        var diagnostics = new List<PendingDiagnostic>();
        Assert.Null(PolicySelection.Parse("greedy", "/project", diagnostics));
        var d = Assert.Single(diagnostics);
        Assert.Equal("CLLM1001", d.Descriptor.Code);
        Assert.Contains("greedy", d.Descriptor.Render(d.Args));
    }

    [Fact]
    public void Policies_load_to_optimizer_options()
    {
        var diagnostics = new List<PendingDiagnostic>();
        var all = PolicySelection.Load(PolicyRequest.All, diagnostics);
        var none = PolicySelection.Load(PolicyRequest.None, diagnostics);
        Assert.Empty(diagnostics);
        using var byDefault = PolicySelection.Load(PolicyRequest.Default, diagnostics);
        Assert.Equal("CLLM5002", Assert.Single(diagnostics).Descriptor.Code);
        Assert.Equal(PolicyKind.All, all.Kind);
        Assert.Equal(PolicyKind.None, none.Kind);
        Assert.Equal(PolicyKind.Model, byDefault.Kind);
        Assert.NotNull(byDefault.Model);
        Assert.Equal("onnx:" + byDefault.Model!.ModelSha256, byDefault.Identity);
        Assert.Same(byDefault.Model, PolicySelection.ToOptions(byDefault, false, null).Model);
        Assert.NotEqual(all.Identity, none.Identity);

        var options = PolicySelection.ToOptions(none, validateWithSmt: true, " f ");
        Assert.Equal(PolicyKind.None, options.Policy);
        Assert.True(options.ValidateWithSmt);
        Assert.Equal("f", (options.BeforeApply as FaultInjection)?.Function);
        Assert.Null((PolicySelection.ToOptions(all, false, "  ").BeforeApply as FaultInjection)?.Function);
    }

    [Fact]
    public void A_bad_or_missing_model_is_a_coded_warning_and_an_unoptimized_build()
    {
        using var dir = new TempDir();
        string garbage = dir.Write("m.onnx", "not really a model");
        var diagnostics = new List<PendingDiagnostic>();
        var p = PolicySelection.Load(new PolicyRequest(PolicyKind.Model, garbage), diagnostics);
        var warning = Assert.Single(diagnostics);
        Assert.Equal("CLLM2004", warning.Descriptor.Code);
        Assert.Equal(PolicyKind.None, p.Kind);
        Assert.Null(p.Model);

        diagnostics.Clear();
        var missing = PolicySelection.Load(new PolicyRequest(PolicyKind.Model, dir.File("missing.onnx")), diagnostics);
        Assert.Equal("CLLM2005", Assert.Single(diagnostics).Descriptor.Code);
        Assert.Equal(PolicyKind.None, missing.Kind);

        // A real model given by path loads like the default one.
        string copy = dir.File("copy.onnx");
        File.Copy(PolicySelection.DefaultModelPath, copy);
        diagnostics.Clear();
        using var good = PolicySelection.Load(new PolicyRequest(PolicyKind.Model, copy), diagnostics);
        Assert.Equal(PolicyKind.Model, good.Kind);
        Assert.DoesNotContain(diagnostics, d => d.Descriptor.Code.StartsWith("CLLM2", StringComparison.Ordinal));
    }

    [Fact]
    public void An_onnx_runtime_override_is_used_and_a_bad_one_is_a_coded_warning()
    {
        using var dir = new TempDir();
        var diagnostics = new List<PendingDiagnostic>();
        string real = CompilerLLM.Inference.OnnxRuntime.OrtLibrary.Default.LibraryPath;
        var key = PolicySelection.Parse("default", dir.Path, diagnostics, real);
        Assert.Equal(real, key!.OnnxRuntimePath);
        using (var good = PolicySelection.Load(key, diagnostics))
            Assert.Equal(PolicyKind.Model, good.Kind);
        Assert.Equal(key, PolicySelection.Parse("default", dir.Path, [], real)); // the same key: one load per node

        diagnostics.Clear();
        var bad = PolicySelection.Parse("default", dir.Path, diagnostics, "no/such/libonnxruntime.so.1");
        var p = PolicySelection.Load(bad!, diagnostics);
        Assert.Equal(PolicyKind.None, p.Kind);
        var warning = Assert.Single(diagnostics, d => d.Descriptor.Code == "CLLM2004");
        Assert.Contains("ONNX Runtime is not available", string.Join(" ", warning.Args));
        // built-in policies need no ONNX Runtime at all
        Assert.Equal(PolicyRequest.All, PolicySelection.Parse("all", dir.Path, [], "no/such/lib.so"));
    }

    [Fact]
    public void The_policy_is_loaded_once_per_node()
    {
        var engine = new RecordingBuildEngine();
        var first = new List<PendingDiagnostic>();
        var a = PolicyCache.GetOrLoad(engine, PolicyRequest.Default, first);
        var second = new List<PendingDiagnostic>();
        var b = PolicyCache.GetOrLoad(engine, PolicyRequest.Default, second);
        Assert.Same(a, b);
        Assert.Single(first);
        Assert.Empty(second);
        Assert.NotSame(a, PolicyCache.GetOrLoad(new RecordingBuildEngine(), PolicyRequest.Default, []));
    }

    [Theory]
    [InlineData("src/a.c", "src/a")]
    [InlineData("a.c", "a")]
    [InlineData("../shared/x.c", "__/shared/x")]
    [InlineData("lib/x.y.c", "lib/x.y")]
    public void Intermediate_names_keep_folders_apart(string source, string stem) =>
        Assert.Equal(stem, PlanTranslationUnits.IntermediateStem("/work/p", source));
}
