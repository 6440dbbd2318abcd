using CompilerLLM.Tests.TestSupport;
using System.Diagnostics;
using CompilerLLM.Inference.OnnxRuntime;
using Xunit.Abstractions;

namespace CompilerLLM.Tests.Policy;

/// <summary>
/// Loads the real libonnxruntime.so.1 once (running scripts/setup-onnxruntime.sh first if no candidate exists).
/// </summary>
public sealed class OnnxRuntimeFixture
{
    public OnnxRuntimeFixture()
    {
        if (!OrtLibrary.DefaultCandidates().Any(File.Exists))
        {
            string root = CompilerLLM.Lab.Repository.FindRoot(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
            var psi = new ProcessStartInfo("bash", ["scripts/setup-onnxruntime.sh"])
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            SetupOutput = stdout.Result + stderr.Result;
            if (p.ExitCode != 0)
                throw new InvalidOperationException("scripts/setup-onnxruntime.sh failed:\n" + SetupOutput);
        }
        var sw = Stopwatch.StartNew();
        Library = OrtLibrary.Default;
        LoadTime = sw.Elapsed;
        Library.EnsureEnvironment();
    }

    public OrtLibrary Library { get; }
    public TimeSpan LoadTime { get; }
    public string SetupOutput { get; } = "";
}

/// <summary>Not run in parallel with other tests: the memory test reads the process's RSS.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OnnxRuntimeCollection : ICollectionFixture<OnnxRuntimeFixture>
{
    public const string Name = "OnnxRuntime";
}

[Collection(OnnxRuntimeCollection.Name)]
public sealed class OnnxRuntimeTests(OnnxRuntimeFixture fixture, ITestOutputHelper output)
{
    private static readonly float[,] W =
    {
        { 0.5f, -1.25f, 2f },
        { 1.5f, 0.75f, -0.5f },
        { -2f, 0.125f, 1f },
        { 0.25f, 3f, -1.5f },
    };

    private static readonly float[] B = [0.1f, -0.2f, 0.3f];

    private OrtLibrary Library => fixture.Library;

    private static byte[] Model(IReadOnlyDictionary<string, string>? metadata = null) => LinearOnnx.Write(W, B, metadata: metadata);

    private static float[] Managed(ReadOnlySpan<float> x, int batch)
    {
        int k = W.GetLength(0), m = W.GetLength(1);
        var y = new float[batch * m];
        for (int r = 0; r < batch; r++)
            for (int j = 0; j < m; j++)
            {
                double acc = B[j];
                for (int i = 0; i < k; i++) acc += (double)x[r * k + i] * W[i, j];
                y[r * m + j] = (float)acc;
            }
        return y;
    }

    private static float[] Input(int batch, int seed)
    {
        var rng = new Random(seed);
        var x = new float[batch * W.GetLength(0)];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 4 - 2);
        return x;
    }

    [Fact]
    public void OnnxRuntime_VersionIs130_AndStatusSlotsRoundTrip()
    {
        output.WriteLine($"library {Library.LibraryPath}, version {Library.Version}, load {fixture.LoadTime.TotalMilliseconds:F1} ms, CreateEnv {Library.EnvCreationTime.TotalMilliseconds:F1} ms");
        Assert.StartsWith("1.30", Library.Version);
        Assert.Equal(OrtLibrary.ExpectedVersion, Library.Version);

        // CreateStatus (0), GetErrorCode (1), GetErrorMessage (2), ReleaseStatus (93): a wrong slot would not round-trip.
        var (code, message) = Library.StatusRoundTrip(OrtErrorCode.InvalidGraph, "slot check ✓");
        Assert.Equal(OrtErrorCode.InvalidGraph, code);
        Assert.Equal("slot check ✓", message);

        // Loading the same file again returns the same binding (and the same shared env).
        Assert.Same(Library, OrtLibrary.Load(Library.LibraryPath));
    }

    [Fact]
    public void OnnxRuntime_LinearModel_MatchesManagedComputation()
    {
        var metadata = new Dictionary<string, string> { ["policy"] = "linear-test", ["features"] = "4" };
        byte[] model = Model(metadata);

        var sw = Stopwatch.StartNew();
        using var session = OnnxSession.FromBytes(model, Library);
        var create = sw.Elapsed;

        Assert.Equal("X: Float[-1,4]", Assert.Single(session.Inputs).ToString());
        Assert.Equal("Y: Float[-1,3]", Assert.Single(session.Outputs).ToString());
        Assert.Equal(CompilerLLM.Training.Onnx.MlpOnnxWriter.ProducerName, session.ProducerName);
        Assert.Equal(metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal), session.CustomMetadata);

        foreach (int batch in new[] { 1, 2, 7 })
        {
            float[] x = Input(batch, seed: batch);
            sw.Restart();
            float[] y = session.Run("X", x, [batch, 4], "Y");
            var run = sw.Elapsed;
            float[] expected = Managed(x, batch);
            Assert.Equal(expected.Length, y.Length);
            for (int i = 0; i < y.Length; i++)
                Assert.True(Math.Abs(expected[i] - y[i]) <= 1e-5, $"batch {batch} element {i}: ORT {y[i]} vs managed {expected[i]}");
            output.WriteLine($"Run batch {batch}: {run.TotalMilliseconds:F3} ms");
        }

        // Steady-state timing of a small Run.
        float[] one = Input(1, seed: 42);
        sw.Restart();
        const int runs = 1000;
        for (int i = 0; i < runs; i++) session.Run("X", one, [1, 4], "Y");
        output.WriteLine($"session from bytes: {create.TotalMilliseconds:F2} ms; Run (1x4 -> 1x3) mean over {runs}: {sw.Elapsed.TotalMicroseconds / runs:F1} µs");

        // The same model from a file gives bit-identical results.
        string path = Path.Combine(Path.GetTempPath(), $"compilerllm-tiny-{Environment.ProcessId}.onnx");
        File.WriteAllBytes(path, model);
        try
        {
            sw.Restart();
            using var fromFile = OnnxSession.Open(path, Library);
            output.WriteLine($"session from file: {sw.Elapsed.TotalMilliseconds:F2} ms");
            float[] x = Input(3, seed: 3);
            Assert.Equal(session.Run("X", x, [3, 4], "Y"), fromFile.Run("X", x, [3, 4], "Y"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OnnxRuntime_CorruptOrTruncatedModel_ThrowsWithOrtMessage()
    {
        byte[] model = Model();
        var truncated = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.FromBytes(model.AsSpan(0, model.Length / 2), Library));
        output.WriteLine(truncated.Message);
        Assert.NotEqual(OrtErrorCode.NotLoaded, truncated.ErrorCode);
        Assert.NotEqual(OrtErrorCode.Ok, truncated.ErrorCode);
        Assert.StartsWith("ONNX Runtime error", truncated.Message);

        byte[] garbage = new byte[256];
        new Random(7).NextBytes(garbage);
        var corrupt = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.FromBytes(garbage, Library));
        output.WriteLine(corrupt.Message);
        Assert.NotEqual(OrtErrorCode.NotLoaded, corrupt.ErrorCode);

        var missing = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Open("/nonexistent/model.onnx", Library));
        output.WriteLine(missing.Message);
        Assert.Contains("/nonexistent/model.onnx", missing.Message);
    }

    [Fact]
    public void OnnxRuntime_WrongInputOrOutputName_ThrowsWithOrtMessage()
    {
        using var session = OnnxSession.FromBytes(Model(), Library);
        float[] x = Input(1, seed: 1);

        var badInput = Assert.Throws<OnnxRuntimeException>(() => session.Run("nope", x, [1, 4], "Y"));
        output.WriteLine(badInput.Message);
        Assert.Contains("nope", badInput.Message);
        Assert.Equal(OrtErrorCode.InvalidArgument, badInput.ErrorCode);

        var badOutput = Assert.Throws<OnnxRuntimeException>(() => session.Run("X", x, [1, 4], "Z"));
        output.WriteLine(badOutput.Message);
        Assert.Contains("Z", badOutput.Message);

        var badShape = Assert.Throws<OnnxRuntimeException>(() => session.Run("X", x.AsSpan(0, 3), [1, 3], "Y"));
        output.WriteLine(badShape.Message);

        Assert.Throws<ArgumentException>(() => session.Run("X", x, [2, 4], "Y"));

        // The session is still usable after failures.
        Assert.Equal(3, session.Run("X", x, [1, 4], "Y").Length);
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.Run("X", x, [1, 4], "Y"));
    }

    [Fact]
    public void OnnxRuntime_CreatingAndDroppingSessions_DoesNotGrowMemory()
    {
        byte[] model = Model();
        float[] x = Input(2, seed: 5);

        void Cycle(int n)
        {
            for (int i = 0; i < n; i++)
            {
                using var s = OnnxSession.FromBytes(model, Library);
                Assert.Equal(6, s.Run("X", x, [2, 4], "Y").Length);
            }
        }

        Cycle(50); // warm-up: lazy ORT initialisation, kernel registries, allocator pools
        long before = SettledRssKb();
        var sw = Stopwatch.StartNew();
        const int n = 200;
        Cycle(n);
        var elapsed = sw.Elapsed;
        long after = SettledRssKb();
        output.WriteLine($"{n} create+run+dispose cycles: {elapsed.TotalMilliseconds / n:F2} ms each; VmRSS {before} kB -> {after} kB ({after - before:+#;-#;0} kB)");
        Assert.True(after - before < 4 * 1024, $"VmRSS grew by {after - before} kB over {n} sessions");
    }

    [Fact]
    public void OnnxRuntime_MissingOrWrongLibrary_GivesClearException()
    {
        const string missingPath = "/nonexistent/dir/libonnxruntime.so.1";
        var missing = Assert.Throws<OnnxRuntimeException>(() => OrtLibrary.Load(missingPath));
        output.WriteLine(missing.Message);
        Assert.Equal(OrtErrorCode.NotLoaded, missing.ErrorCode);
        Assert.Contains(missingPath, missing.Message);
        Assert.Contains("scripts/setup-onnxruntime.sh", missing.Message);

        // A file that is not a shared library at all.
        string text = Path.Combine(Path.GetTempPath(), $"compilerllm-not-a-lib-{Environment.ProcessId}.so");
        File.WriteAllText(text, "not an ELF file");
        try
        {
            var bad = Assert.Throws<OnnxRuntimeException>(() => OrtLibrary.Load(text));
            output.WriteLine(bad.Message);
            Assert.Contains(text, bad.Message);
            Assert.Contains("scripts/setup-onnxruntime.sh", bad.Message);
        }
        finally
        {
            File.Delete(text);
        }

        // A real shared library that is not ONNX Runtime.
        string? libm = new[] { "/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6", "/lib64/libm.so.6" }
            .FirstOrDefault(File.Exists);
        if (libm is not null)
        {
            var wrong = Assert.Throws<OnnxRuntimeException>(() => OrtLibrary.Load(libm));
            output.WriteLine(wrong.Message);
            Assert.Contains("not an ONNX Runtime library", wrong.Message);
        }
    }

    private static long SettledRssKb()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
        }
        throw new InvalidOperationException("VmRSS not found in /proc/self/status");
    }
}
