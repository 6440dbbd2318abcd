using CompilerLLM.Tests.Shared;

namespace CompilerLLM.Architecture.Tests;

/// <summary>
/// Dependencies point one way. Between our assemblies: the toolchain depends on nothing of ours, the engine on the
/// toolchain, the lab on both, the two fronts (the MSBuild tasks and the compiler launcher) on the engine and the
/// toolchain (never the lab), the CLI and the trainer on everything below them. Inside the engine, each namespace uses only the layers under it. Both tables
/// are the architecture as data (ARCHITECTURE.md draws the same picture); a new assembly or namespace must be
/// added to them.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Each assembly of ours and the assemblies of ours it may reference.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedReferences = new Dictionary<string, string[]>
    {
        ["CompilerLLM.Toolchain"] = [],
        ["CompilerLLM.Runtime"] = ["CompilerLLM.Toolchain"],
        ["CompilerLLM.Lab"] = ["CompilerLLM.Runtime", "CompilerLLM.Toolchain"],
        ["CompilerLLM.Build.Tasks"] = ["CompilerLLM.Runtime", "CompilerLLM.Toolchain"],
        ["compilerllm-cc"] = ["CompilerLLM.Runtime", "CompilerLLM.Toolchain"],
        ["compilerllm"] = ["compilerllm-cc", "CompilerLLM.Lab", "CompilerLLM.Runtime", "CompilerLLM.Toolchain"],
        ["compilerllm-train"] = ["CompilerLLM.Lab", "CompilerLLM.Runtime", "CompilerLLM.Toolchain"],
    };

    /// <summary>The engine's namespaces, lowest first, each with the namespaces of the engine it may use.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> EngineLayers = new Dictionary<string, string[]>
    {
        ["CompilerLLM.Assembly"] = [],
        ["CompilerLLM.Caching"] = [],
        ["CompilerLLM.Cost"] = [],
        ["CompilerLLM.Inference.OnnxRuntime"] = [],
        ["CompilerLLM.Timing"] = [],
        ["CompilerLLM.Analysis"] = ["CompilerLLM.Assembly"],
        ["CompilerLLM.Verification"] = ["CompilerLLM.Analysis", "CompilerLLM.Assembly"],
        ["CompilerLLM.Rewriting"] = ["CompilerLLM.Assembly", "CompilerLLM.Analysis", "CompilerLLM.Cost", "CompilerLLM.Verification"],
        ["CompilerLLM.Inference"] = ["CompilerLLM.Assembly", "CompilerLLM.Analysis", "CompilerLLM.Cost", "CompilerLLM.Rewriting", "CompilerLLM.Inference.OnnxRuntime"],
        ["CompilerLLM.Variants"] = ["CompilerLLM.Assembly", "CompilerLLM.Analysis", "CompilerLLM.Inference", "CompilerLLM.Inference.OnnxRuntime"],
        ["CompilerLLM.Pipeline"] = ["CompilerLLM.Assembly", "CompilerLLM.Analysis", "CompilerLLM.Caching", "CompilerLLM.Cost", "CompilerLLM.Verification",
            "CompilerLLM.Rewriting", "CompilerLLM.Inference", "CompilerLLM.Inference.OnnxRuntime", "CompilerLLM.Variants", "CompilerLLM.Timing"],
    };

    public static TheoryData<string> Assemblies() => [.. AllowedReferences.Keys];

    private static AssemblyDependencies Read(string assembly) =>
        AssemblyDependencies.Read(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void An_assembly_references_only_the_layers_below_it(string assembly)
    {
        var ours = Read(assembly).References.Where(AllowedReferences.ContainsKey).Order(StringComparer.Ordinal).ToList();
        var forbidden = ours.Except(AllowedReferences[assembly]).ToList();
        Assert.True(forbidden.Count == 0, $"{assembly} references {string.Join(", ", forbidden)}, which it must not (allowed: {string.Join(", ", AllowedReferences[assembly])})");
    }

    [Fact]
    public void Every_assembly_of_ours_is_in_the_table()
    {
        var built = Directory.GetFiles(AppContext.BaseDirectory, "*.dll").Select(Path.GetFileNameWithoutExtension)
            .Where(n => n!.StartsWith("CompilerLLM.", StringComparison.Ordinal) || n.StartsWith("compilerllm", StringComparison.Ordinal))
            .Where(n => !n!.EndsWith(".Tests", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(AllowedReferences.Keys.Order(StringComparer.Ordinal), built.Order(StringComparer.Ordinal));
    }

    /// <summary>The engine layer a namespace belongs to: the longest table entry it equals or is inside of.</summary>
    private static string? LayerOf(string ns) =>
        EngineLayers.Keys.Where(l => ns == l || ns.StartsWith(l + ".", StringComparison.Ordinal)).MaxBy(l => l.Length);

    [Fact]
    public void Inside_the_engine_each_namespace_uses_only_the_layers_under_it()
    {
        var engine = Read("CompilerLLM.Runtime");
        var ours = engine.Namespaces.Where(n => n.StartsWith("CompilerLLM", StringComparison.Ordinal)).ToList();
        var unknown = ours.Where(n => LayerOf(n) is null).ToList();
        Assert.True(unknown.Count == 0, $"namespaces missing from the engine's layer table: {string.Join(", ", unknown)}");
        var violations = new List<string>();
        foreach (string ns in ours)
        {
            string layer = LayerOf(ns)!;
            foreach (string used in engine.Uses[ns].Where(u => u.StartsWith("CompilerLLM", StringComparison.Ordinal)))
            {
                string usedLayer = LayerOf(used)!;
                if (usedLayer != layer && !EngineLayers[layer].Contains(usedLayer)) violations.Add($"{ns} uses {used}");
            }
        }
        Assert.True(violations.Count == 0, "engine layering broken:\n" + string.Join("\n", violations.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void The_reader_sees_real_dependencies()
    {
        // The check must be able to fail: the pipeline really does use the rewriting layer and the toolchain.
        var engine = Read("CompilerLLM.Runtime");
        Assert.Contains("CompilerLLM.Rewriting", engine.Uses["CompilerLLM.Pipeline"]);
        Assert.Contains("CompilerLLM.Toolchain", engine.References);
        Assert.Contains("CompilerLLM.Lab", Read("compilerllm").References);
    }
}
