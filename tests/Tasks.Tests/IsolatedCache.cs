using System.Runtime.CompilerServices;

namespace CompilerLLM.Build.Tasks.Tests;

/// <summary>The tasks' content cache goes to a folder of this test run, never the user's own cache.</summary>
internal static class IsolatedCache
{
    [ModuleInitializer]
    internal static void Initialize() =>
        Environment.SetEnvironmentVariable("COMPILERLLM_CACHE_DIR", Directory.CreateTempSubdirectory("cllm-tasks-cache-").FullName);
}
