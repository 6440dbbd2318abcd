using CompilerLLM.Inference.OnnxRuntime;

namespace CompilerLLM.Inference;

/// <summary>
/// An ONNX model that scores rows of one feature schema (<see cref="ModelContract"/>), run by ONNX Runtime: loaded and
/// checked once, then thread-safe, so one instance serves a whole build node. The rewrite policy and the variant
/// policy are both one of these.
/// </summary>
public sealed class ScoringModel : IDisposable
{
    private readonly OnnxSession _session;

    private ScoringModel(string path, string sha256, OnnxSession session, float threshold, ModelContract contract)
    {
        ModelPath = path;
        ModelSha256 = sha256;
        _session = session;
        Threshold = threshold;
        Contract = contract;
    }

    public string ModelPath { get; }

    /// <summary>Lower-case hex SHA-256 of the model file: part of incremental-build stamps, cache keys and reports.</summary>
    public string ModelSha256 { get; }

    /// <summary>The model's threshold (metadata, default 0).</summary>
    public float Threshold { get; }

    /// <summary>The model's custom metadata (the contract's entries and whatever else the trainer recorded).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.CustomMetadata;

    public ModelContract Contract { get; }

    /// <summary>The lower-case hex SHA-256 of a model file; <see cref="PolicyLoadException"/> when it cannot be read.</summary>
    public static string Sha256Of(string path) => Toolchain.Sha256.Hex(ReadModel(path));

    private static byte[] ReadModel(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PolicyLoadException(path, PolicyLoadFailure.ModelFile, $"cannot read the policy model: {e.Message}", e);
        }
    }

    /// <summary>Loads and checks a model. Throws <see cref="PolicyLoadException"/> (never anything else for a bad file or library).</summary>
    public static ScoringModel Load(string path, ModelContract contract, OrtLibrary? library = null)
    {
        using var phase = CompilerLLM.Toolchain.PhaseTimings.Start("model.load." + contract.Kind.Replace(' ', '-'));
        byte[] bytes = ReadModel(path);
        try
        {
            library ??= OrtLibrary.Default;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            throw new PolicyLoadException(path, PolicyLoadFailure.Runtime, $"ONNX Runtime is not available: {e.Message}", e);
        }
        OnnxSession session;
        try
        {
            session = OnnxSession.FromBytes(bytes, library);
        }
        catch (OnnxRuntimeException e) when (e.ErrorCode == OrtErrorCode.NotLoaded)
        {
            throw new PolicyLoadException(path, PolicyLoadFailure.Runtime, $"ONNX Runtime is not available: {e.Message}", e);
        }
        catch (OnnxRuntimeException e)
        {
            throw new PolicyLoadException(path, PolicyLoadFailure.InvalidModel, $"ONNX Runtime cannot load the model: {e.Message}", e);
        }
        string? violation = contract.Check(session, out float threshold);
        if (violation is not null)
        {
            session.Dispose();
            throw new PolicyLoadException(path, PolicyLoadFailure.Contract, $"not a {contract.Kind} model for this build: {violation}");
        }
        return new ScoringModel(Path.GetFullPath(path), Toolchain.Sha256.Hex(bytes), session, threshold, contract);
    }

    /// <summary>One score per row of <paramref name="rows"/> (row-major, <see cref="ModelContract.Width"/> floats a row).</summary>
    public float[] Score(ReadOnlySpan<float> rows)
    {
        int width = Contract.Width;
        if (rows.Length % width != 0)
            throw new ArgumentException($"{rows.Length} floats is not a whole number of {width}-wide rows", nameof(rows));
        int n = rows.Length / width;
        if (n == 0) return [];
        using var phase = CompilerLLM.Toolchain.PhaseTimings.Start("model.score." + Contract.Kind.Replace(' ', '-'));
        float[] scores = _session.Run(ModelContract.InputName, rows, [n, width], ModelContract.OutputName);
        if (scores.Length != n)
            throw new InvalidOperationException($"{ModelPath}: the model returned {scores.Length} scores for {n} rows");
        return scores;
    }

    public void Dispose() => _session.Dispose();
}
