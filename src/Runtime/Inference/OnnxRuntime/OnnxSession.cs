using System.Runtime.InteropServices;

namespace CompilerLLM.Inference.OnnxRuntime;

/// <summary>ORT's <c>ONNXTensorElementDataType</c> (same numbering as ONNX's TensorProto.DataType).</summary>
public enum OnnxElementType
{
    Undefined = 0, Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6, Int64 = 7, String = 8,
    Bool = 9, Float16 = 10, Double = 11, UInt32 = 12, UInt64 = 13, Complex64 = 14, Complex128 = 15, BFloat16 = 16,
}

/// <summary>A model input or output: name, element type and shape (-1 for a symbolic/unknown dimension).
/// <see cref="ElementType"/> is <see cref="OnnxElementType.Undefined"/> and the shape empty for non-tensors.</summary>
public sealed record OnnxTensorInfo(string Name, OnnxElementType ElementType, IReadOnlyList<long> Shape)
{
    public override string ToString() => $"{Name}: {ElementType}[{string.Join(",", Shape)}]";
}

/// <summary>
/// An ONNX Runtime inference session on the CPU, with deterministic settings: one intra-op and one
/// inter-op thread, sequential execution, basic (semantics-preserving) graph optimisations only.
/// All sessions share their library's single <c>OrtEnv</c>. <see cref="Run"/> is safe to call from several
/// threads (ORT's Run is thread-safe); <see cref="Dispose"/> waits for no one but is safe against in-flight runs.
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private readonly OrtLibrary _library;
    private readonly OrtSessionHandle _session;

    private OnnxSession(OrtLibrary library, OrtSessionHandle session)
    {
        _library = library;
        _session = session;
        try
        {
            Inputs = ReadInfos(input: true);
            Outputs = ReadInfos(input: false);
            (ProducerName, CustomMetadata) = ReadMetadata();
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }
    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>ModelProto.producer_name.</summary>
    public string ProducerName { get; }

    /// <summary>ModelProto.metadata_props (the model's custom metadata map).</summary>
    public IReadOnlyDictionary<string, string> CustomMetadata { get; }

    /// <summary>Opens a model file (the path is passed to ORT as UTF-8, as ORTCHAR_T is char on Linux).</summary>
    public static OnnxSession Open(string modelPath, OrtLibrary? library = null)
    {
        library ??= OrtLibrary.Default;
        var api = library.Api;
        byte[] path = OrtApi.Utf8Z(Path.GetFullPath(modelPath));
        using var options = CreateOptions(library);
        IntPtr session;
        fixed (byte* p = path)
        {
            api.Check(api.CreateSession(library.Env.DangerousGetHandle(), p, options.DangerousGetHandle(), &session));
        }
        return new OnnxSession(library, new OrtSessionHandle(api, session));
    }

    /// <summary>Opens a model from its serialized bytes (CreateSessionFromArray; ORT parses it during the call).</summary>
    public static OnnxSession FromBytes(ReadOnlySpan<byte> model, OrtLibrary? library = null)
    {
        library ??= OrtLibrary.Default;
        var api = library.Api;
        var env = library.Env;
        using var phase = CompilerLLM.Toolchain.PhaseTimings.Start("ort.create-session");
        using var options = CreateOptions(library);
        IntPtr session;
        fixed (byte* p = model)
        {
            api.Check(api.CreateSessionFromArray(env.DangerousGetHandle(), p, (nuint)model.Length,
                options.DangerousGetHandle(), &session));
        }
        return new OnnxSession(library, new OrtSessionHandle(api, session));
    }

    /// <summary>
    /// Runs the model with one float input and returns one float output, copied out. The input is pinned only
    /// for the duration of the call (the OrtValue wrapping it does not copy and is released before returning).
    /// </summary>
    public float[] Run(string inputName, ReadOnlySpan<float> data, long[] shape, string outputName)
    {
        ArgumentNullException.ThrowIfNull(inputName);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(outputName);
        long expected = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape [{string.Join(",", shape)}]", nameof(shape));
            expected *= d;
        }
        if (expected != data.Length)
            throw new ArgumentException($"shape [{string.Join(",", shape)}] holds {expected} elements but {data.Length} were given", nameof(data));

        var api = _library.Api;
        byte[] inName = OrtApi.Utf8Z(inputName);
        byte[] outName = OrtApi.Utf8Z(outputName);
        bool addedRef = false;
        _session.DangerousAddRef(ref addedRef); // throws ObjectDisposedException after Dispose
        try
        {
            fixed (float* pData = data)
            fixed (long* pShape = shape)
            fixed (byte* pIn = inName)
            fixed (byte* pOut = outName)
            {
                // Everything that refers to the pinned input is created and released inside this fixed block.
                OrtValueHandle? input = null, output = null;
                try
                {
                    IntPtr inValue;
                    api.Check(api.CreateTensorWithDataAsOrtValue(_library.CpuMemoryInfo.DangerousGetHandle(),
                        pData, (nuint)data.Length * sizeof(float), pShape, (nuint)shape.Length,
                        (int)OnnxElementType.Float, &inValue));
                    input = new OrtValueHandle(api, inValue);

                    IntPtr outValue = IntPtr.Zero;
                    byte* inNamePtr = pIn, outNamePtr = pOut;
                    IntPtr status = api.Run(_session.DangerousGetHandle(), IntPtr.Zero, &inNamePtr, &inValue, 1,
                        &outNamePtr, 1, &outValue);
                    if (outValue != IntPtr.Zero) output = new OrtValueHandle(api, outValue);
                    api.Check(status);
                    return CopyFloatTensor(api, output!, outputName);
                }
                finally
                {
                    output?.Dispose();
                    input?.Dispose();
                }
            }
        }
        finally
        {
            if (addedRef) _session.DangerousRelease();
        }
    }

    public void Dispose() => _session.Dispose();

    private static float[] CopyFloatTensor(OrtApi api, OrtValueHandle value, string name)
    {
        IntPtr info;
        api.Check(api.GetTensorTypeAndShape(value.DangerousGetHandle(), &info));
        try
        {
            int type;
            nuint count;
            api.Check(api.GetTensorElementType(info, &type));
            if ((OnnxElementType)type != OnnxElementType.Float)
                throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                    $"output '{name}' is a {(OnnxElementType)type} tensor, not Float");
            api.Check(api.GetTensorShapeElementCount(info, &count));
            void* p;
            api.Check(api.GetTensorMutableData(value.DangerousGetHandle(), &p));
            var result = new float[checked((int)count)];
            new ReadOnlySpan<float>(p, result.Length).CopyTo(result);
            return result;
        }
        finally
        {
            api.ReleaseTensorTypeAndShapeInfo(info);
        }
    }

    private static OrtSessionOptionsHandle CreateOptions(OrtLibrary library)
    {
        var api = library.Api;
        IntPtr raw;
        api.Check(api.CreateSessionOptions(&raw));
        var options = new OrtSessionOptionsHandle(api, raw);
        try
        {
            api.Check(api.SetIntraOpNumThreads(raw, 1));
            api.Check(api.SetInterOpNumThreads(raw, 1));
            api.Check(api.SetSessionExecutionMode(raw, OrtApi.ExecutionModeSequential));
            api.Check(api.SetSessionGraphOptimizationLevel(raw, OrtApi.GraphOptimizationBasic));
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private IReadOnlyList<OnnxTensorInfo> ReadInfos(bool input)
    {
        var api = _library.Api;
        IntPtr s = _session.DangerousGetHandle();
        IntPtr allocator = api.DefaultAllocator();
        nuint count;
        api.Check(input ? api.SessionGetInputCount(s, &count) : api.SessionGetOutputCount(s, &count));
        var list = new List<OnnxTensorInfo>((int)count);
        for (nuint i = 0; i < count; i++)
        {
            byte* rawName;
            api.Check(input ? api.SessionGetInputName(s, i, allocator, &rawName) : api.SessionGetOutputName(s, i, allocator, &rawName));
            string name = api.TakeString(allocator, rawName);

            IntPtr typeInfo;
            api.Check(input ? api.SessionGetInputTypeInfo(s, i, &typeInfo) : api.SessionGetOutputTypeInfo(s, i, &typeInfo));
            try
            {
                IntPtr tensorInfo; // owned by typeInfo: not released separately
                api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
                if (tensorInfo == IntPtr.Zero)
                {
                    list.Add(new OnnxTensorInfo(name, OnnxElementType.Undefined, []));
                    continue;
                }
                int type;
                nuint rank;
                api.Check(api.GetTensorElementType(tensorInfo, &type));
                api.Check(api.GetDimensionsCount(tensorInfo, &rank));
                var dims = new long[(int)rank];
                fixed (long* d = dims) api.Check(api.GetDimensions(tensorInfo, d, rank));
                list.Add(new OnnxTensorInfo(name, (OnnxElementType)type, dims));
            }
            finally
            {
                api.ReleaseTypeInfo(typeInfo);
            }
        }
        return list;
    }

    private (string Producer, IReadOnlyDictionary<string, string> Custom) ReadMetadata()
    {
        var api = _library.Api;
        IntPtr allocator = api.DefaultAllocator();
        IntPtr meta;
        api.Check(api.SessionGetModelMetadata(_session.DangerousGetHandle(), &meta));
        try
        {
            byte* producer;
            api.Check(api.ModelMetadataGetProducerName(meta, allocator, &producer));
            string producerName = api.TakeString(allocator, producer);

            var custom = new SortedDictionary<string, string>(StringComparer.Ordinal);
            byte** keys = null;
            long numKeys = 0;
            api.Check(api.ModelMetadataGetCustomMetadataMapKeys(meta, allocator, &keys, &numKeys));
            if (keys == null) return (producerName, custom);
            try
            {
                for (long k = 0; k < numKeys; k++)
                {
                    string key = Marshal.PtrToStringUTF8((IntPtr)keys[k]) ?? "";
                    byte* value;
                    api.Check(api.ModelMetadataLookupCustomMetadataMap(meta, allocator, keys[k], &value));
                    custom[key] = api.TakeString(allocator, value);
                }
            }
            finally
            {
                for (long k = 0; k < numKeys; k++) api.Check(api.AllocatorFree(allocator, keys[k]));
                api.Check(api.AllocatorFree(allocator, keys));
            }
            return (producerName, custom);
        }
        finally
        {
            api.ReleaseModelMetadata(meta);
        }
    }
}
