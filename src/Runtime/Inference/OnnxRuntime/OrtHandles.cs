using System.Runtime.InteropServices;

namespace CompilerLLM.Inference.OnnxRuntime;

/// <summary>
/// Base of the ORT object handles: owns one <c>Ort*</c> pointer and releases it with the matching
/// <c>OrtApi::Release*</c> exactly once (on Dispose, or from the finalizer if the owner forgot).
/// The ORT library is never unloaded, so the release function stays callable for the life of the process.
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle(OrtApi api, IntPtr value) : base(IntPtr.Zero, ownsHandle: true)
    {
        Api = api;
        SetHandle(value);
    }

    protected OrtApi Api { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;
}

internal sealed unsafe class OrtEnvHandle(OrtApi api, IntPtr value) : OrtHandle(api, value)
{
    protected override bool ReleaseHandle() { Api.ReleaseEnv(handle); return true; }
}

internal sealed unsafe class OrtSessionOptionsHandle(OrtApi api, IntPtr value) : OrtHandle(api, value)
{
    protected override bool ReleaseHandle() { Api.ReleaseSessionOptions(handle); return true; }
}

internal sealed unsafe class OrtSessionHandle(OrtApi api, IntPtr value) : OrtHandle(api, value)
{
    protected override bool ReleaseHandle() { Api.ReleaseSession(handle); return true; }
}

internal sealed unsafe class OrtMemoryInfoHandle(OrtApi api, IntPtr value) : OrtHandle(api, value)
{
    protected override bool ReleaseHandle() { Api.ReleaseMemoryInfo(handle); return true; }
}

internal sealed unsafe class OrtValueHandle(OrtApi api, IntPtr value) : OrtHandle(api, value)
{
    protected override bool ReleaseHandle() { Api.ReleaseValue(handle); return true; }
}
