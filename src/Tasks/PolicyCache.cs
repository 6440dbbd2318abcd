using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// One policy instance per build node and policy key, kept for the whole build through
/// <see cref="IBuildEngine4.RegisterTaskObject"/> (so every project and every TU of a node share one
/// loaded model). Diagnostics raised while loading are returned to the first caller only.
/// </summary>
public static class PolicyCache
{
    private static readonly object Gate = new();

    public static PolicyInstance GetOrLoad(IBuildEngine engine, string key, List<PendingDiagnostic> diagnostics)
    {
        string cacheKey = "CompilerLLM.Build.Policy|" + key;
        if (engine is not IBuildEngine4 cache) return PolicySelection.Load(key, diagnostics);
        lock (Gate)
        {
            if (cache.GetRegisteredTaskObject(cacheKey, RegisteredTaskObjectLifetime.Build) is PolicyInstance cached)
                return cached;
            var loaded = PolicySelection.Load(key, diagnostics);
            cache.RegisterTaskObject(cacheKey, loaded, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
            return loaded;
        }
    }
}
