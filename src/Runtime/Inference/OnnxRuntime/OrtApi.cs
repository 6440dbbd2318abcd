using System.Runtime.InteropServices;

namespace CompilerLLM.Inference.OnnxRuntime;

/// <summary>
/// Slot indices into ORT's <c>struct OrtApi</c> (a table of function pointers, one pointer per member, in
/// declaration order). Source: microsoft/onnxruntime, include/onnxruntime/core/session/onnxruntime_c_api.h,
/// the members of <c>struct OrtApi</c> counted from 0. The table is append-only (existing members never move),
/// so every index below, taken from the ORT_API_VERSION 13 header, is valid for <c>GetApi(30)</c> of 1.30.0.
/// Only members we call are listed; the comment on each is the header's member name.
/// </summary>
internal static class OrtApiSlot
{
    public const int CreateStatus = 0;                        // CreateStatus
    public const int GetErrorCode = 1;                        // GetErrorCode
    public const int GetErrorMessage = 2;                     // GetErrorMessage
    public const int CreateEnv = 3;                           // CreateEnv
    public const int CreateSession = 7;                       // CreateSession
    public const int CreateSessionFromArray = 8;              // CreateSessionFromArray
    public const int Run = 9;                                 // Run
    public const int CreateSessionOptions = 10;               // CreateSessionOptions
    public const int SetSessionExecutionMode = 13;            // SetSessionExecutionMode
    public const int SetSessionGraphOptimizationLevel = 23;   // SetSessionGraphOptimizationLevel
    public const int SetIntraOpNumThreads = 24;               // SetIntraOpNumThreads
    public const int SetInterOpNumThreads = 25;               // SetInterOpNumThreads
    public const int SessionGetInputCount = 30;               // SessionGetInputCount
    public const int SessionGetOutputCount = 31;              // SessionGetOutputCount
    public const int SessionGetInputTypeInfo = 33;            // SessionGetInputTypeInfo
    public const int SessionGetOutputTypeInfo = 34;           // SessionGetOutputTypeInfo
    public const int SessionGetInputName = 36;                // SessionGetInputName
    public const int SessionGetOutputName = 37;               // SessionGetOutputName
    public const int CreateTensorWithDataAsOrtValue = 49;     // CreateTensorWithDataAsOrtValue
    public const int GetTensorMutableData = 51;               // GetTensorMutableData
    public const int CastTypeInfoToTensorInfo = 55;           // CastTypeInfoToTensorInfo
    public const int GetTensorElementType = 60;               // GetTensorElementType
    public const int GetDimensionsCount = 61;                 // GetDimensionsCount
    public const int GetDimensions = 62;                      // GetDimensions
    public const int GetTensorShapeElementCount = 64;         // GetTensorShapeElementCount
    public const int GetTensorTypeAndShape = 65;              // GetTensorTypeAndShape
    public const int CreateCpuMemoryInfo = 69;                // CreateCpuMemoryInfo
    public const int AllocatorFree = 76;                      // AllocatorFree
    public const int GetAllocatorWithDefaultOptions = 78;     // GetAllocatorWithDefaultOptions
    public const int ReleaseEnv = 92;                         // ORT_CLASS_RELEASE(Env)
    public const int ReleaseStatus = 93;                      // ORT_CLASS_RELEASE(Status)
    public const int ReleaseMemoryInfo = 94;                  // ORT_CLASS_RELEASE(MemoryInfo)
    public const int ReleaseSession = 95;                     // ORT_CLASS_RELEASE(Session)
    public const int ReleaseValue = 96;                       // ORT_CLASS_RELEASE(Value)
    public const int ReleaseTypeInfo = 98;                    // ORT_CLASS_RELEASE(TypeInfo)
    public const int ReleaseTensorTypeAndShapeInfo = 99;      // ORT_CLASS_RELEASE(TensorTypeAndShapeInfo)
    public const int ReleaseSessionOptions = 100;             // ORT_CLASS_RELEASE(SessionOptions)
    public const int SessionGetModelMetadata = 111;           // SessionGetModelMetadata
    public const int ModelMetadataGetProducerName = 112;      // ModelMetadataGetProducerName
    public const int ModelMetadataLookupCustomMetadataMap = 116; // ModelMetadataLookupCustomMetadataMap
    public const int ReleaseModelMetadata = 118;              // ORT_CLASS_RELEASE(ModelMetadata)
    public const int ModelMetadataGetCustomMetadataMapKeys = 123; // ModelMetadataGetCustomMetadataMapKeys
}

/// <summary>
/// The part of ORT's <c>OrtApi</c> table we use, read once as unmanaged function pointers. Every
/// <c>OrtStatus*</c>-returning entry is typed as returning <see cref="IntPtr"/>; pass it to <see cref="Check"/>.
/// C enums are <see cref="int"/>, <c>size_t</c> is <see cref="nuint"/>, <c>int64_t</c> is <see cref="long"/>.
/// </summary>
internal sealed unsafe class OrtApi
{
    public const int LoggingLevelError = 3;          // ORT_LOGGING_LEVEL_ERROR
    public const int ExecutionModeSequential = 0;    // ORT_SEQUENTIAL
    public const int GraphOptimizationBasic = 1;     // ORT_ENABLE_BASIC
    public const int AllocatorTypeArena = 1;         // OrtArenaAllocator
    public const int MemTypeDefault = 0;             // OrtMemTypeDefault

    public readonly delegate* unmanaged[Cdecl]<int, byte*, IntPtr> CreateStatus;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int> GetErrorCode;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*> GetErrorMessage;
    public readonly delegate* unmanaged[Cdecl]<int, byte*, IntPtr*, IntPtr> CreateEnv;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, IntPtr, IntPtr*, IntPtr> CreateSession;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr> CreateSessionFromArray;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte**, IntPtr*, nuint, byte**, nuint, IntPtr*, IntPtr> Run;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> CreateSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetSessionExecutionMode;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetIntraOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetInterOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> SessionGetInputCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> SessionGetOutputCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void**, IntPtr> GetTensorMutableData;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr> GetTensorElementType;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> GetDimensionsCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr> GetDimensions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> GetTensorShapeElementCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape;
    public readonly delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr> AllocatorFree;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseEnv;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseStatus;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseSession;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseValue;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr> SessionGetModelMetadata;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte**, IntPtr> ModelMetadataGetProducerName;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte*, byte**, IntPtr> ModelMetadataLookupCustomMetadataMap;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseModelMetadata;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte***, long*, IntPtr> ModelMetadataGetCustomMetadataMapKeys;

    public OrtApi(void** table)
    {
        CreateStatus = (delegate* unmanaged[Cdecl]<int, byte*, IntPtr>)table[OrtApiSlot.CreateStatus];
        GetErrorCode = (delegate* unmanaged[Cdecl]<IntPtr, int>)table[OrtApiSlot.GetErrorCode];
        GetErrorMessage = (delegate* unmanaged[Cdecl]<IntPtr, byte*>)table[OrtApiSlot.GetErrorMessage];
        CreateEnv = (delegate* unmanaged[Cdecl]<int, byte*, IntPtr*, IntPtr>)table[OrtApiSlot.CreateEnv];
        CreateSession = (delegate* unmanaged[Cdecl]<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)table[OrtApiSlot.CreateSession];
        CreateSessionFromArray = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)table[OrtApiSlot.CreateSessionFromArray];
        Run = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte**, IntPtr*, nuint, byte**, nuint, IntPtr*, IntPtr>)table[OrtApiSlot.Run];
        CreateSessionOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)table[OrtApiSlot.CreateSessionOptions];
        SetSessionExecutionMode = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[OrtApiSlot.SetSessionExecutionMode];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[OrtApiSlot.SetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[OrtApiSlot.SetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[OrtApiSlot.SetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[OrtApiSlot.SessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[OrtApiSlot.SessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)table[OrtApiSlot.SessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)table[OrtApiSlot.SessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[OrtApiSlot.SessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[OrtApiSlot.SessionGetOutputName];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)table[OrtApiSlot.CreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged[Cdecl]<IntPtr, void**, IntPtr>)table[OrtApiSlot.GetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)table[OrtApiSlot.CastTypeInfoToTensorInfo];
        GetTensorElementType = (delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)table[OrtApiSlot.GetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[OrtApiSlot.GetDimensionsCount];
        GetDimensions = (delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr>)table[OrtApiSlot.GetDimensions];
        GetTensorShapeElementCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[OrtApiSlot.GetTensorShapeElementCount];
        GetTensorTypeAndShape = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)table[OrtApiSlot.GetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr>)table[OrtApiSlot.CreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr>)table[OrtApiSlot.AllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)table[OrtApiSlot.GetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseEnv];
        ReleaseStatus = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseSession];
        ReleaseValue = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseValue];
        ReleaseTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseSessionOptions];
        SessionGetModelMetadata = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)table[OrtApiSlot.SessionGetModelMetadata];
        ModelMetadataGetProducerName = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte**, IntPtr>)table[OrtApiSlot.ModelMetadataGetProducerName];
        ModelMetadataLookupCustomMetadataMap = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte*, byte**, IntPtr>)table[OrtApiSlot.ModelMetadataLookupCustomMetadataMap];
        ReleaseModelMetadata = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseModelMetadata];
        ModelMetadataGetCustomMetadataMapKeys = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte***, long*, IntPtr>)table[OrtApiSlot.ModelMetadataGetCustomMetadataMapKeys];
    }

    /// <summary>Null status = OK; otherwise reads code and message, releases the status and throws.</summary>
    public void Check(IntPtr status)
    {
        if (status == IntPtr.Zero) return;
        var code = (OrtErrorCode)GetErrorCode(status);
        string message = Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? "(no message)";
        ReleaseStatus(status);
        throw new OnnxRuntimeException(code, $"ONNX Runtime error {code}: {message}");
    }

    /// <summary>Copies an ORT-allocated UTF-8 string and frees it with the allocator that made it.</summary>
    public string TakeString(IntPtr allocator, byte* s)
    {
        if (s == null) return "";
        try { return Marshal.PtrToStringUTF8((IntPtr)s) ?? ""; }
        finally { Check(AllocatorFree(allocator, s)); }
    }

    public IntPtr DefaultAllocator()
    {
        IntPtr a;
        Check(GetAllocatorWithDefaultOptions(&a)); // a process-wide singleton: never freed
        return a;
    }

    /// <summary>UTF-8 bytes with a terminating NUL, for <c>const char*</c> parameters.</summary>
    public static byte[] Utf8Z(string s)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
