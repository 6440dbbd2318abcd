using CompilerLLM.Tests.TestSupport;
using CompilerLLM.Inference;
using CompilerLLM.Inference.OnnxRuntime;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Policy;

/// <summary>Loading a policy model checks it against the contract; every way a file can be wrong is a PolicyLoadException naming it.</summary>
public sealed class RewritePolicyTests : IDisposable
{
    private readonly CompilerLLM.Toolchain.TempDirectory _temp = new("compilerllm-policy-");

    public void Dispose() => _temp.Dispose();

    internal static byte[] LinearPolicy(float[] weights, float bias, IReadOnlyDictionary<string, string>? metadata = null,
        string input = PolicyModelContract.InputName, string output = PolicyModelContract.OutputName, int outputs = 1)
    {
        var w = new float[weights.Length, outputs];
        for (int i = 0; i < weights.Length; i++)
            for (int j = 0; j < outputs; j++) w[i, j] = weights[i];
        return LinearOnnx.Write(w, Enumerable.Repeat(bias, outputs).ToArray(), input, output, metadata ?? PolicyModelContract.Metadata());
    }

    private string Write(byte[] model, string name = "m.onnx")
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, model);
        return path;
    }

    [Fact]
    public void AModelMeetingTheContractScoresEveryRowLikeTheManagedReference()
    {
        var rng = new Random(5);
        float[] w = Enumerable.Range(0, FeatureSchema.Width).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        string path = Write(LinearPolicy(w, 0.25f, PolicyModelContract.Metadata(threshold: 0.75f)));
        using var policy = RewritePolicy.Load(path);
        Assert.Equal(0.75f, policy.Threshold);
        Assert.Equal(64, policy.ModelSha256.Length);

        int n = 37;
        float[] rows = Enumerable.Range(0, n * FeatureSchema.Width).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] scores = policy.Score(rows);
        Assert.Equal(n, scores.Length);
        for (int r = 0; r < n; r++)
        {
            double expected = 0.25;
            for (int k = 0; k < FeatureSchema.Width; k++) expected += (double)w[k] * rows[r * FeatureSchema.Width + k];
            Assert.True(Math.Abs(expected - scores[r]) < 1e-5, $"row {r}: {scores[r]} vs {expected}");
        }
        Assert.Empty(policy.Score([]));
        Assert.Throws<ArgumentException>(() => policy.Score(new float[FeatureSchema.Width + 1]));
    }

    public static TheoryData<string> ContractViolations() => ["width", "input-name", "output-name", "output-width", "no-version", "old-version", "names-reordered", "bad-threshold"];

    [Theory]
    [MemberData(nameof(ContractViolations))]
    public void AModelBreakingTheContractIsRefusedWithTheReason(string violation)
    {
        var meta = new Dictionary<string, string>(PolicyModelContract.Metadata());
        int width = FeatureSchema.Width, outputs = 1;
        string input = PolicyModelContract.InputName, output = PolicyModelContract.OutputName;
        string expect;
        switch (violation)
        {
            case "width": width--; expect = $"expected Float[N,{FeatureSchema.Width}]"; break;
            case "input-name": input = "x"; expect = "expected one input 'features', found 'x'"; break;
            case "output-name": output = "y"; expect = "expected one output 'scores', found 'y'"; break;
            case "output-width": outputs = 2; expect = "expected Float[N,1]"; break;
            case "no-version": meta.Remove(PolicyModelContract.SchemaVersionKey); expect = "is missing"; break;
            case "old-version": meta[PolicyModelContract.SchemaVersionKey] = "0"; expect = $"feature schema version 0, this build uses version {FeatureSchema.Version}"; break;
            case "names-reordered":
                var names = FeatureSchema.FeatureNames.ToArray();
                (names[3], names[4]) = (names[4], names[3]);
                meta[PolicyModelContract.FeatureNamesKey] = string.Join('\n', names);
                expect = $"feature 3 is '{names[3]}' in the model but '{names[4]}'";
                break;
            default: meta[PolicyModelContract.ThresholdKey] = "high"; expect = "is not a finite number"; break;
        }
        string path = Write(LinearPolicy(new float[width], 0f, meta, input, output, outputs));
        var e = Assert.Throws<PolicyLoadException>(() => RewritePolicy.Load(path));
        Assert.Equal(PolicyLoadFailure.Contract, e.Failure);
        Assert.StartsWith(path + ": not a policy model for this build: ", e.Message);
        Assert.Contains(expect, e.Message);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("empty")]
    [InlineData("flipped")]
    public void ACorruptFileIsRefusedByOnnxRuntime(string damage)
    {
        byte[] model = LinearPolicy(new float[FeatureSchema.Width], 0f);
        byte[] bytes = damage switch
        {
            "truncated" => model[..(model.Length * 2 / 3)],
            "garbage" => [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 37 + 11))],
            "empty" => [],
            _ => Flip(model),
        };
        string path = Write(bytes);
        var e = Assert.Throws<PolicyLoadException>(() => RewritePolicy.Load(path));
        Assert.True(e.Failure is PolicyLoadFailure.InvalidModel or PolicyLoadFailure.Contract, e.Message);
        Assert.StartsWith(path + ": ", e.Message);

        static byte[] Flip(byte[] m)
        {
            var copy = (byte[])m.Clone();
            copy[1] ^= 0xff; // the ir_version varint's first byte: a different (invalid) IR version or a broken tag
            copy[2] ^= 0xff;
            return copy;
        }
    }

    [Fact]
    public void AMissingFileIsAModelFileFailure()
    {
        string path = _temp.File("absent.onnx");
        var e = Assert.Throws<PolicyLoadException>(() => RewritePolicy.Load(path));
        Assert.Equal(PolicyLoadFailure.ModelFile, e.Failure);
        Assert.Contains("absent.onnx", e.Message);
    }

    [Fact]
    public void TheMetadataTheContractWritesIsWhatItChecks()
    {
        var meta = PolicyModelContract.Metadata(1.5f);
        Assert.Equal(FeatureSchema.FeatureNames, meta[PolicyModelContract.FeatureNamesKey].Split('\n'));
        using var session = OnnxSession.FromBytes(LinearPolicy(new float[FeatureSchema.Width], 0f, meta));
        Assert.Null(PolicyModelContract.Check(session, out float threshold));
        Assert.Equal(1.5f, threshold);
    }
}
