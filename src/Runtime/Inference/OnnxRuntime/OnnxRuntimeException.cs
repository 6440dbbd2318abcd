namespace CompilerLLM.Inference.OnnxRuntime;

/// <summary>ORT's <c>OrtErrorCode</c> (onnxruntime_c_api.h), plus <see cref="NotLoaded"/> for our own loader failures.</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,

    /// <summary>Not an ORT code: the native library could not be found, loaded or bound.</summary>
    NotLoaded = -1,
}

/// <summary>
/// A failure reported by ONNX Runtime (an <c>OrtStatus*</c> turned into an exception, carrying ORT's own
/// message and error code) or by the loader that resolves <c>libonnxruntime.so.1</c>.
/// </summary>
public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(OrtErrorCode code, string message, Exception? inner = null)
        : base(message, inner) => ErrorCode = code;

    public OrtErrorCode ErrorCode { get; }
}
