using CompilerLLM.Caching;
using CompilerLLM.Launcher.Scoring;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher.Tests;

/// <summary>
/// The server's run of a unit (<see cref="UnitService"/>) writes exactly the files the launcher's own run writes,
/// stores the unit in the launcher's cache, says when GCC's own assembly does not assemble, and declines what it may
/// not do as the launcher would (another environment, another policy file); the job and reply cross the socket whole.
/// </summary>
public sealed class UnitServiceTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-unit-service-tests-");

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Path;

    private static PolicyRequest DefaultPolicy
    {
        get
        {
            Assert.True(PolicyRequest.TryParse("default", "/", out var request, out string? error), error);
            return request;
        }
    }

    /// <summary>A unit compiled to GCC's assembly in <paramref name="folder"/> (the state a launcher hands over).</summary>
    private (UnitBuilder Builder, TranslationUnit Unit) Compiled(string folder, string source = Sources.Kernel)
    {
        string work = Path.Combine(Dir, folder);
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(Dir, "k.c"), source);
        var builder = new UnitBuilder(new Gcc(ToolchainOptions.Default with { MemoDirectory = Path.Combine(Dir, "memo") }, Dir));
        var unit = new TranslationUnit("k.c", ["-O2"], UnitFiles.At(Path.Combine(work, "unit")));
        var compiled = builder.Compile(unit, writeDependencies: false, assembleGccObject: false);
        Assert.True(compiled.Compiler.Succeeded, compiled.Compiler.StandardError);
        return (builder, unit);
    }

    private UnitJob JobFor(TranslationUnit unit, string cacheKey = "", IReadOnlyList<string>? environment = null) =>
        new(Dir, "gcc", Path.Combine(Dir, "memo"), unit.Source, unit.Arguments, Path.Combine(Path.GetDirectoryName(unit.Files.Asm)!, "unit"),
            "default", DefaultPolicy.Identity(), "", false, "", environment ?? UnitJob.CurrentEnvironment(),
            cacheKey, Path.Combine(Dir, "cache"), 1L << 30, "test-configuration");

    private static UnitJobReply Answer(UnitService service, UnitJob job)
    {
        var reply = new FrameReader(service.Run(job).Payload.ToArray());
        Assert.Equal(0, reply.Byte()); // the frame's status: a reply, not a protocol error
        return UnitJobReply.Read(reply);
    }

    [Fact]
    public void The_server_writes_the_files_the_launcher_writes_and_reports_the_same()
    {
        var (builder, local) = Compiled("local");
        using var policy = DefaultPolicy.Load();
        var report = UnitWork.Run(builder, local, () => UnitWork.Options(policy, false, null), () => null);
        Assert.True(report.Applied > 0, "the shipped policy applies rewrites to the kernel");

        var (_, served) = Compiled("served");
        var service = new UnitService();
        var answer = Answer(service, JobFor(served));
        Assert.Equal(UnitJobOutcome.Done, answer.Outcome);
        Assert.False(answer.EntryHeld); // no cache key given
        foreach (var pick in new Func<UnitFiles, string>[] { f => f.Object, f => f.OptimizedObject, f => f.OptimizedAsm })
            Assert.Equal(File.ReadAllBytes(pick(local.Files)), File.ReadAllBytes(pick(served.Files)));
        var got = answer.Report!;
        Assert.Equal((report.Status, report.Reason, report.Functions, report.Candidates, report.Applied, report.FunctionFallbacks, report.SizeDelta),
            (got.Status, got.Reason, got.Functions, got.Candidates, got.Applied, got.FunctionFallbacks, got.SizeDelta));
        Assert.Equal(1, service.Units);
    }

    [Fact]
    public void The_server_stores_the_unit_in_the_launchers_cache()
    {
        var (_, served) = Compiled("served");
        var key = new CacheKey(new string('a', 64));
        var answer = Answer(new UnitService(), JobFor(served, key.Hex));
        Assert.Equal(UnitJobOutcome.Done, answer.Outcome);
        Assert.True(answer.EntryHeld);

        var cache = new UnitCache(new ContentCache(Path.Combine(Dir, "cache"), 1L << 30), "test-configuration");
        var (_, other) = Compiled("restored");
        var restored = cache.TryRestore(key, other, other.Files.Object, out var lookup);
        Assert.Equal(CacheLookup.Hit, lookup);
        Assert.Equal(answer.Report!.Applied, restored!.Applied);
        Assert.Equal(File.ReadAllBytes(served.Files.OptimizedObject), File.ReadAllBytes(other.Files.OptimizedObject));
    }

    [Fact]
    public void Another_environment_is_declined_before_anything_is_written()
    {
        var (_, served) = Compiled("served");
        var environment = UnitJob.CurrentEnvironment().ToArray();
        int path = Array.IndexOf(UnitJob.ToolEnvironment, "PATH");
        environment[path] = "/opt/other-toolchain/bin:" + environment[path];
        var answer = Answer(new UnitService(), JobFor(served, environment: environment));
        Assert.Equal(UnitJobOutcome.Declined, answer.Outcome);
        Assert.Contains("PATH", answer.Message);
        Assert.False(File.Exists(served.Files.Object));
        Assert.False(File.Exists(served.Files.OptimizedObject));
    }

    [Fact]
    public void A_compiler_named_by_a_relative_path_is_declined()
    {
        var (_, served) = Compiled("served");
        var answer = Answer(new UnitService(), JobFor(served) with { Compiler = "./bin/gcc" });
        Assert.Equal(UnitJobOutcome.Declined, answer.Outcome);
        Assert.Contains("relative path", answer.Message);
        Assert.False(File.Exists(served.Files.Object));
    }

    [Fact]
    public void A_policy_file_that_is_not_the_launchers_is_declined()
    {
        var (_, served) = Compiled("served");
        var answer = Answer(new UnitService(), JobFor(served) with { PolicyIdentity = "onnx:" + new string('0', 64) });
        Assert.Equal(UnitJobOutcome.Declined, answer.Outcome);
        Assert.False(File.Exists(served.Files.OptimizedObject));
    }

    [Fact]
    public void Assembly_gcc_cannot_assemble_is_reported_with_the_assemblers_words()
    {
        var (_, served) = Compiled("served");
        File.AppendAllText(served.Files.Asm, "\n\tnot_an_instruction %eax\n");
        var answer = Answer(new UnitService(), JobFor(served));
        Assert.Equal(UnitJobOutcome.GccObjectFailed, answer.Outcome);
        Assert.Contains("not_an_instruction", answer.Message);
    }

    [Fact]
    public void A_job_and_a_reply_cross_the_wire_whole()
    {
        var job = new UnitJob("/w d", "gcc-12", "/m", "a b.c", ["-O2", "-DX=\"é\"", ""], "/w/unit", "all", "builtin:all", "/v.onnx", true, "f",
            ["/usr/bin", "", "C.UTF-8"], new string('b', 64), "/c", 12345, "conf");
        var frame = new FrameWriter();
        job.WriteTo(frame);
        var back = UnitJob.ReadFrom(new FrameReader(frame.Payload.ToArray()));
        Assert.Equal(job with { Arguments = [], Environment = [] }, back with { Arguments = [], Environment = [] });
        Assert.Equal(job.Arguments, back.Arguments);
        Assert.Equal(job.Environment, back.Environment);

        var report = new UnitReport("a b.c", UnitStatus.FellBack, null, 1.25, 3, 7, 0, 2, -5, 0.5, null)
        {
            Fallback = UnitFallback.AssemblerRejected, Detail = "as: bad", FromCache = true,
            Variant = new Variants.VariantDecision("unroll", 0.5f, null, null, null),
        };
        var replyFrame = UnitJobReply.Write(new FrameWriter(), UnitJobOutcome.Done, "", true, report);
        var reply = UnitJobReply.Read(new FrameReader(replyFrame.Payload.ToArray()));
        Assert.True(reply.EntryHeld);
        Assert.Equal(report with { Variant = null }, reply.Report! with { Variant = null });
        Assert.Equal("unroll", reply.Report!.Variant!.Variant);

        var plain = UnitJobReply.Read(new FrameReader(UnitJobReply.Write(new FrameWriter(), UnitJobOutcome.Declined, "why").Payload.ToArray()));
        Assert.Equal((UnitJobOutcome.Declined, "why", false, (UnitReport?)null), (plain.Outcome, plain.Message, plain.EntryHeld, plain.Report));
        Assert.Throws<InvalidDataException>(() => UnitJobReply.Read(new FrameReader([9, 0, 0, 0, 0, 0, 0])));
    }
}
