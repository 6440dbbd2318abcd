using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;


namespace CompilerLLM.Inference.OnnxRuntime;

/// <summary>
/// The official ONNX Runtime C library (<c>libonnxruntime.so.1</c>, linux-x64), loaded explicitly with
/// <see cref="NativeLibrary.Load(string)"/> and bound through <c>OrtGetApiBase()-&gt;GetApi(30)</c>.
/// <para>Resolution order: an explicit path; else the <c>COMPILERLLM_ONNXRUNTIME</c> environment variable;
/// else next to the application (<c>AppContext.BaseDirectory/runtimes/linux-x64/native/</c>, then
/// <c>AppContext.BaseDirectory</c>), then the same two places beside the engine's assembly (every build output
/// of the repository gets a copy from <c>tools/onnxruntime/</c>, the package has one in its tasks folder).
/// Any failure is an <see cref="OnnxRuntimeException"/> naming the paths tried.</para>
/// <para>One <see cref="OrtLibrary"/> per resolved path and one shared <c>OrtEnv</c> per library, created lazily
/// and thread-safely on first use and kept for the life of the process (CreateEnv costs tens of ms).</para>
/// </summary>
public sealed unsafe class OrtLibrary
{
    public const uint ApiVersion = 30;
    public const string ExpectedVersion = "1.30.0";
    public const string LibraryFileName = "libonnxruntime.so.1";
    public const string EnvironmentVariable = "COMPILERLLM_ONNXRUNTIME";
    private const string SetupHint = "run scripts/setup-onnxruntime.sh (or set " + EnvironmentVariable + " to the library path)";

    private static readonly ConcurrentDictionary<string, Lazy<OrtLibrary>> Loaded = new(StringComparer.Ordinal);
    private static readonly Lazy<OrtLibrary> DefaultLibrary = new(() => Load(null));

    private readonly Lazy<OrtEnvHandle> _env;
    private readonly Lazy<OrtMemoryInfoHandle> _cpuMemory;

    private OrtLibrary(string path, IntPtr module, void** apiTable, string version)
    {
        LibraryPath = path;
        Module = module;
        Api = new OrtApi(apiTable);
        Version = version;
        _env = new Lazy<OrtEnvHandle>(CreateEnv, LazyThreadSafetyMode.ExecutionAndPublication);
        _cpuMemory = new Lazy<OrtMemoryInfoHandle>(CreateCpuMemoryInfo, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The library resolved without an explicit path (loaded on first use).</summary>
    public static OrtLibrary Default => DefaultLibrary.Value;

    public string LibraryPath { get; }

    /// <summary><c>OrtApiBase::GetVersionString()</c>, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>How long the shared <c>CreateEnv</c> took (zero until the env exists).</summary>
    public TimeSpan EnvCreationTime { get; private set; }

    internal IntPtr Module { get; }
    internal OrtApi Api { get; }
    internal OrtEnvHandle Env => _env.Value;
    internal OrtMemoryInfoHandle CpuMemoryInfo => _cpuMemory.Value;

    /// <summary>Creates the shared env now (otherwise the first session does).</summary>
    public void EnsureEnvironment() => _ = _env.Value;

    /// <summary>
    /// Loads the library from <paramref name="explicitPath"/> or, if null, by the resolution order above.
    /// Loading the same file twice returns the same instance.
    /// </summary>
    public static OrtLibrary Load(string? explicitPath = null)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            throw new OnnxRuntimeException(OrtErrorCode.NotLoaded,
                $"the ONNX Runtime binding supports linux-x64 only (this is {RuntimeInformation.RuntimeIdentifier})");

        string path = Resolve(explicitPath);
        return Loaded.GetOrAdd(path, p => new Lazy<OrtLibrary>(() => Bind(p), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>The candidate paths, in order, for a load without explicit path (diagnostics and tests).</summary>
    public static IReadOnlyList<string> DefaultCandidates()
    {
        var list = new List<string>();
        string? fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) list.Add(Path.GetFullPath(fromEnv));
        // The application's folder (the CLI, a test host), then the engine's own (inside MSBuild,
        // AppContext.BaseDirectory is the SDK's folder; the package puts the library beside the engine).
        foreach (string folder in new[] { AppContext.BaseDirectory, EngineFiles.Directory })
        {
            if (folder.Length == 0) continue;
            foreach (string candidate in new[] { Path.Combine(folder, "runtimes", "linux-x64", "native", LibraryFileName), Path.Combine(folder, LibraryFileName) })
            {
                string full = Path.GetFullPath(candidate);
                if (!list.Contains(full)) list.Add(full);
            }
        }
        return list;
    }

    private static string Resolve(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            string full = Path.GetFullPath(explicitPath);
            if (!File.Exists(full))
                throw new OnnxRuntimeException(OrtErrorCode.NotLoaded,
                    $"ONNX Runtime library not found at {full}; {SetupHint}");
            return full;
        }

        var tried = DefaultCandidates();
        // An environment variable that names a missing file is an error, not something to fall through.
        string? fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv) && !File.Exists(tried[0]))
            throw new OnnxRuntimeException(OrtErrorCode.NotLoaded,
                $"{EnvironmentVariable}={fromEnv}: ONNX Runtime library not found at {tried[0]}; {SetupHint}");
        foreach (string candidate in tried)
        {
            if (File.Exists(candidate)) return candidate;
        }
        throw new OnnxRuntimeException(OrtErrorCode.NotLoaded,
            $"ONNX Runtime library {LibraryFileName} not found; tried: {string.Join(", ", tried)}; {SetupHint}");
    }

    private static OrtLibrary Bind(string path)
    {
        IntPtr module;
        try
        {
            using var phase = CompilerLLM.Toolchain.PhaseTimings.Start("ort.load-library");
            module = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NotLoaded,
                $"cannot load ONNX Runtime library {path}: {e.Message}; {SetupHint}", e);
        }

        if (!NativeLibrary.TryGetExport(module, "OrtGetApiBase", out IntPtr getApiBase))
        {
            NativeLibrary.Free(module);
            throw new OnnxRuntimeException(OrtErrorCode.NotLoaded,
                $"{path} is not an ONNX Runtime library (no OrtGetApiBase export); {SetupHint}");
        }

        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }
        void** apiBase = ((delegate* unmanaged[Cdecl]<void**>)getApiBase)();
        var getApi = (delegate* unmanaged[Cdecl]<uint, void**>)apiBase[0];
        var getVersion = (delegate* unmanaged[Cdecl]<byte*>)apiBase[1];
        string version = Marshal.PtrToStringUTF8((IntPtr)getVersion()) ?? "?";
        void** api = getApi(ApiVersion);
        if (api == null)
        {
            // Keep the module loaded: ORT may have printed/registered state; unloading a C++ runtime is unsafe.
            throw new OnnxRuntimeException(OrtErrorCode.NotLoaded,
                $"ONNX Runtime {version} at {path} does not provide C API version {ApiVersion} (need >= {ExpectedVersion}); {SetupHint}");
        }
        return new OrtLibrary(path, module, api, version);
    }

    private OrtEnvHandle CreateEnv()
    {
        using var phase = CompilerLLM.Toolchain.PhaseTimings.Start("ort.create-env");
        var sw = Stopwatch.StartNew();
        IntPtr env;
        fixed (byte* logId = "CompilerLLM"u8)
        {
            Api.Check(Api.CreateEnv(OrtApi.LoggingLevelError, logId, &env));
        }
        EnvCreationTime = sw.Elapsed;
        return new OrtEnvHandle(Api, env);
    }

    private OrtMemoryInfoHandle CreateCpuMemoryInfo()
    {
        IntPtr info;
        Api.Check(Api.CreateCpuMemoryInfo(OrtApi.AllocatorTypeArena, OrtApi.MemTypeDefault, &info));
        return new OrtMemoryInfoHandle(Api, info);
    }

    /// <summary>
    /// Round-trips a status through CreateStatus/GetErrorCode/GetErrorMessage/ReleaseStatus: a cheap check that
    /// those table slots are where the header says (used by tests).
    /// </summary>
    internal (OrtErrorCode Code, string Message) StatusRoundTrip(OrtErrorCode code, string message)
    {
        byte[] msg = OrtApi.Utf8Z(message);
        IntPtr status;
        fixed (byte* m = msg) status = Api.CreateStatus((int)code, m);
        try
        {
            return ((OrtErrorCode)Api.GetErrorCode(status), Marshal.PtrToStringUTF8((IntPtr)Api.GetErrorMessage(status)) ?? "");
        }
        finally { Api.ReleaseStatus(status); }
    }
}
