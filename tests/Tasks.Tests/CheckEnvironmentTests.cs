using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.Tasks.Tests;

public sealed class CheckEnvironmentTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose() => _dir.Dispose();

    private CheckEnvironment Task(string optimize = "true", string cflags = "-O2") => new()
    {
        BuildEngine = _engine, Compiler = "gcc", CFlags = cflags, Optimize = optimize, NativeOutputType = "Application",
        NativeOutputPath = _dir.File("bin/app"), ProjectDirectory = _dir.Path,
        OptimizeStampFile = _dir.File("obj/optimize.stamp"), LinkStampFile = _dir.File("obj/link.stamp"),
    };

    [Fact]
    public void A_supported_build_optimizes_and_writes_both_stamps_once()
    {
        var task = Task();
        Assert.True(task.Execute(), _engine.AllText);
        Assert.True(task.OptimizeEffective);
        // the default policy is the shipped model; its hash is part of the stamp
        Assert.StartsWith("onnx:", task.PolicyIdentity);
        Assert.StartsWith(ProcessRunnerPath("gcc") + ";", task.CompilerIdentity);
        string stamp = File.ReadAllText(_dir.File("obj/optimize.stamp"));
        Assert.Contains("policy=" + task.PolicyIdentity + "\n", stamp);
        Assert.Contains("package=" + BuildStamp.PackageIdentity + "\n", stamp);
        Assert.Contains("optimize=true\n", File.ReadAllText(_dir.File("obj/link.stamp")));

        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(_dir.File("obj/optimize.stamp"), old);
        Assert.True(Task().Execute());
        Assert.Equal(old, File.GetLastWriteTimeUtc(_dir.File("obj/optimize.stamp")));
        var withFault = Task();
        withFault.FaultInjectionFunction = "f";
        Assert.True(withFault.Execute());
        Assert.NotEqual(old, File.GetLastWriteTimeUtc(_dir.File("obj/optimize.stamp")));
        Assert.Contains("CLLM2006", _engine.WarningCodes);

        // The objective decides which rewrites may be applied (size: none that makes code longer): every unit again.
        Assert.Contains("objective=speed\n", File.ReadAllText(_dir.File("obj/optimize.stamp")));
        var size = Task();
        size.FaultInjectionFunction = "f";
        size.Objective = "size";
        Assert.True(size.Execute());
        Assert.Contains("objective=size\n", File.ReadAllText(_dir.File("obj/optimize.stamp")));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("TRUE", true)]
    public void CompilerLlmOptimize_is_a_boolean(string value, bool effective)
    {
        var task = Task(value);
        Assert.True(task.Execute(), _engine.AllText);
        Assert.Equal(effective, task.OptimizeEffective);
        Assert.Empty(_engine.Warnings);
    }

    [Fact]
    public void Misuse_is_reported_with_codes_and_fails_the_task()
    {
        var task = Task("yes");
        task.NativeOutputType = "Executable";
        task.TestTimeout = "ten";
        task.MaxParallelism = "0";
        task.Policy = "fastest";
        task.ValidateWithSmt = "z3";
        Assert.False(task.Execute());
        Assert.Equal(["CLLM1001", "CLLM1001", "CLLM1001", "CLLM1001", "CLLM1007", "CLLM1007"], _engine.ErrorCodes.Order());
        Assert.All(_engine.Errors, e => Assert.Contains("Help: ", e.Message));
        Assert.All(_engine.Errors, e => Assert.StartsWith("CompilerLLM.CLLM", e.HelpKeyword));
    }

    [Fact]
    public void A_missing_compiler_is_an_error()
    {
        var task = Task();
        task.Compiler = "no-such-gcc-anywhere";
        Assert.False(task.Execute());
        Assert.Equal(["CLLM1002"], _engine.ErrorCodes);
    }

    [Fact]
    public void A_32_bit_target_is_a_warning_and_no_optimization()
    {
        var task = Task(cflags: "-O2 -m32");
        Assert.True(task.Execute());
        Assert.False(task.OptimizeEffective);
        var w = Assert.Single(_engine.Warnings);
        Assert.Equal("CLLM2002", w.Code);
        Assert.Contains("i386", w.Message);
        Assert.False(File.Exists(_dir.File("obj/optimize.stamp")));
        Assert.Contains("optimize=false\n", File.ReadAllText(_dir.File("obj/link.stamp")));
    }

    private static string ProcessRunnerPath(string tool) => CompilerLLM.Toolchain.ProcessRunner.FindOnPath(tool)!;
}
