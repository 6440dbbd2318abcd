using System.Reflection;

namespace CompilerLLM.Pipeline;

/// <summary>
/// The version of the engine's code: its informational version and the module ids of the engine and toolchain
/// assemblies (builds are deterministic, so a module id is a hash of the code: it changes with any rule, pass or
/// tool invocation). Part of every stamp and cache key whose output the engine determines.
/// </summary>
public static class EngineIdentity
{
    public static string Value { get; } = Compute();

    private static string Compute()
    {
        var engine = typeof(EngineIdentity).Assembly;
        var toolchain = typeof(Toolchain.Gcc).Assembly;
        string version = engine.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        return $"{version};{engine.ManifestModule.ModuleVersionId:N};{toolchain.ManifestModule.ModuleVersionId:N}";
    }
}
