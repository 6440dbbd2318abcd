namespace CompilerLLM.Inference.OnnxRuntime;

/// <summary>Where the files shipped beside the engine (the policy model, ONNX Runtime) are.</summary>
internal static class EngineFiles
{
    /// <summary>
    /// The engine assembly's folder: inside MSBuild that is the package's tasks folder, while the application's base
    /// directory is the SDK's. In a native (AOT) launcher the assembly has no file of its own and the files sit
    /// beside the executable, which is the application's base directory.
    /// </summary>
    public static string Directory { get; } = Find();

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "Empty in a single-file or native app: the fallback is the application's folder.")]
    private static string Find()
    {
        string location = typeof(EngineFiles).Assembly.Location;
        return string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location) ?? AppContext.BaseDirectory;
    }
}
