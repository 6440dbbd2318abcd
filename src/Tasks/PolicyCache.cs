using CompilerLLM.Pipeline;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// One loaded policy per build node and <see cref="PolicyRequest"/>, kept for the whole build through
/// <see cref="IBuildEngine4.RegisterTaskObject"/> (so every project and every TU of a node share one loaded model;
/// MSBuild disposes it when the build ends). Diagnostics raised while loading are returned to the first caller only.
/// </summary>
public static class PolicyCache
{
    private static readonly object Gate = new();

    public static LoadedPolicy GetOrLoad(IBuildEngine engine, PolicyRequest request, List<PendingDiagnostic> diagnostics)
    {
        if (engine is not IBuildEngine4 cache) return PolicySelection.Load(request, diagnostics);
        var key = (typeof(PolicyCache), request);
        lock (Gate)
        {
            if (cache.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is LoadedPolicy cached)
                return cached;
            var loaded = PolicySelection.Load(request, diagnostics);
            cache.RegisterTaskObject(key, loaded, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
            return loaded;
        }
    }
}
