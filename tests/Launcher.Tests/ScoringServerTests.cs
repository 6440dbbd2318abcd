using System.Net.Sockets;
using CompilerLLM.Inference;
using CompilerLLM.Launcher.Scoring;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher.Tests;

/// <summary>
/// The scoring server: what it serves is exactly what scoring in process gives, it refuses what it must (a model that
/// is not the one hashed, another engine), one runs per directory, a dead socket is replaced, it leaves when idle, and
/// the launcher's objects are the same with it and without it.
/// </summary>
public sealed class ScoringServerTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-server-tests-");

    public void Dispose() => _temp.Dispose();

    private ServerPaths Paths => new(Path.Combine(_temp.Path, "srv"));

    private static string PolicyModel => RewritePolicy.DefaultModelPath;

    /// <summary>A server of this process on <see cref="Paths"/>, serving until the token is cancelled; waits until it listens.</summary>
    private (Task<int> Run, CancellationTokenSource Stop) StartServer(TimeSpan? idle = null)
    {
        var stop = new CancellationTokenSource();
        var server = new ScoringServer(Paths, idle ?? TimeSpan.FromMinutes(5));
        var run = Task.Run(() => server.Run(stop.Token));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!CanConnect(Paths.Socket))
        {
            Assert.False(run.IsCompleted, "the server ended before it listened");
            Assert.True(DateTime.UtcNow < deadline, "the server did not listen within 10 s");
            Thread.Sleep(20);
        }
        return (run, stop);
    }

    private static async Task<bool> Ends(Task task) => await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10))) == task;

    private static bool CanConnect(string socketPath)
    {
        if (!File.Exists(socketPath)) return false;
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            s.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static float[] Rows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new float[count * FeatureSchema.Width];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)(random.NextDouble() * 8 - 2);
        return rows;
    }

    [Fact]
    public async Task Scores_served_are_bitwise_the_scores_computed_in_process()
    {
        var (run, stop) = StartServer();
        string sha = ScoringModel.Sha256Of(PolicyModel);
        using var local = ScoringModel.Load(PolicyModel, PolicyModelContract.Contract);
        using var client = new ScoringClient(Paths, TimeSpan.FromMinutes(1), startServer: false);
        int served = 0;
        foreach (int n in new[] { 1, 7, 300 })
        {
            var rows = Rows(n, seed: n);
            var reply = client.TryScore(PolicyModel, sha, PolicyModelContract.Contract, rows);
            Assert.NotNull(reply);
            Assert.Equal(local.Threshold, reply.Threshold);
            var expected = local.Score(rows);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), reply.Scores.Select(BitConverter.SingleToInt32Bits));
            served += n;
        }
        var status = client.Status();
        Assert.NotNull(status);
        Assert.Equal(3, status.Requests);
        Assert.Equal(served, status.Rows);
        Assert.Equal(Environment.ProcessId, status.ProcessId);
        Assert.Single(status.Models);
        stop.Cancel();
        Assert.Equal(0, await run);
        Assert.False(File.Exists(Paths.Socket), "the server leaves no socket behind");
    }

    [Fact]
    public async Task A_policy_scored_through_the_server_chooses_as_one_scored_in_process()
    {
        var (run, stop) = StartServer();
        using var client = new ScoringClient(Paths, TimeSpan.FromMinutes(1), startServer: false);
        using var served = RewritePolicy.LoadOnFirstUse(PolicyModel, service: client);
        using var local = RewritePolicy.Load(PolicyModel);
        var rows = Rows(50, seed: 3);
        Assert.Equal(local.Score(rows), served.Score(rows));
        Assert.Equal(local.Threshold, served.Threshold);
        Assert.Equal(1, client.Status()!.Requests); // served, not loaded here
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task A_model_that_is_not_the_one_hashed_is_refused_and_the_policy_scores_by_itself()
    {
        var (run, stop) = StartServer();
        string copy = Path.Combine(_temp.Path, "policy.onnx");
        File.Copy(PolicyModel, copy);
        string sha = ScoringModel.Sha256Of(copy);
        using (var client = new ScoringClient(Paths, TimeSpan.FromMinutes(1), startServer: false))
            Assert.Null(client.TryScore(copy, new string('0', 64), PolicyModelContract.Contract, Rows(2, 1)));

        // The policy hashed the file; then it is replaced by a model of another kind. The server refuses to score
        // under the old hash, and the policy falls back to loading the file itself, which fails as it must.
        using var client2 = new ScoringClient(Paths, TimeSpan.FromMinutes(1), startServer: false);
        using var policy = RewritePolicy.LoadOnFirstUse(copy, service: client2);
        File.WriteAllBytes(copy, [1, 2, 3]);
        Assert.Throws<PolicyLoadException>(() => policy.Score(Rows(2, 1)));
        Assert.Equal(0, client2.Status() is null ? 0 : 1); // the client stays out of the way after a refusal
        Assert.NotEqual(sha, ScoringModel.Sha256Of(copy));
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task A_client_of_another_engine_is_refused_and_the_server_makes_way()
    {
        var (run, _) = StartServer();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(Paths.Socket));
        var request = new FrameWriter().UInt(ScoringProtocol.Magic).Int(ScoringProtocol.Version).Byte((byte)ScoringOp.Status).String("another engine;/elsewhere/compilerllm-cc");
        ScoringProtocol.WriteFrame(socket, request.Payload);
        var reply = new FrameReader(ScoringProtocol.ReadFrame(socket)!);
        Assert.Equal(1, reply.Byte());
        Assert.Contains("another engine", reply.String());
        Assert.True(await Ends(run), "the server did not stop");
        Assert.False(File.Exists(Paths.Socket));
    }

    [Fact]
    public async Task One_server_runs_per_directory_and_a_dead_socket_is_replaced()
    {
        var (run, stop) = StartServer();
        var second = new ScoringServer(Paths, TimeSpan.FromMinutes(5));
        var secondRun = Task.Run(() => second.Run());
        Assert.True(await Ends(secondRun), "a second server must leave at once");
        Assert.Equal(0, await secondRun);
        Assert.True(CanConnect(Paths.Socket), "the first server still serves");
        stop.Cancel();
        await run;

        // A killed server's socket: the file is there, nobody listens. (.NET removes a socket file it bound when the
        // socket is disposed, as a killed process cannot: so the file is bound elsewhere and moved into place.)
        string elsewhere = Path.Combine(_temp.Path, "dead.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(elsewhere));
            File.Move(elsewhere, Paths.Socket);
        }
        Assert.True(File.Exists(Paths.Socket));
        Assert.False(CanConnect(Paths.Socket));
        using (var client = new ScoringClient(Paths, TimeSpan.FromMinutes(1), startServer: false))
            Assert.Null(client.TryScore(PolicyModel, ScoringModel.Sha256Of(PolicyModel), PolicyModelContract.Contract, Rows(1, 1)));
        var (again, stopAgain) = StartServer();
        Assert.True(CanConnect(Paths.Socket));
        stopAgain.Cancel();
        await again;
    }

    [Fact]
    public async Task An_idle_server_leaves_by_itself()
    {
        var (run, _) = StartServer(TimeSpan.FromMilliseconds(400));
        Assert.True(await Ends(run), "the idle server did not leave");
        Assert.False(File.Exists(Paths.Socket));
    }

    [Fact]
    public void A_directory_others_may_enter_is_not_used()
    {
        Directory.CreateDirectory(Paths.Directory);
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(Paths.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        Assert.False(Paths.TryPrepare(out string? why));
        Assert.Contains("other users", why);
        Assert.Equal(1, new ScoringServer(Paths, TimeSpan.FromSeconds(1)).Run());
    }

    [Fact]
    public void The_launcher_starts_the_server_uses_it_and_its_objects_do_not_change()
    {
        using var box = new LauncherSandbox();
        box.Write("k.c", Sources.Kernel);
        var policy = new Dictionary<string, string?> { ["COMPILERLLM_POLICY"] = "default", ["COMPILERLLM_CACHE"] = "false" };
        var alone = box.Cc("gcc", "-O2 -c k.c -o alone.o", new Dictionary<string, string?>(policy) { ["COMPILERLLM_SERVER"] = "false" });
        Assert.True(alone.Succeeded, alone.StandardError);
        Assert.False(Directory.Exists(box.ServerDirectory), "server = false starts nothing");

        // No server yet: the unit starts one before GCC runs, and the unit runs in the server or, when it is not up in
        // time, in the launcher.
        var first = box.Cc("gcc", "-O2 -c k.c -o first.o", policy);
        Assert.True(first.Succeeded, first.StandardError);
        string socket = Path.Combine(box.ServerDirectory, "scoring.sock");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!CanConnect(socket) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(CanConnect(socket), "the launcher did not start a scoring server");
        var (requests, units) = Counts();

        // The server runs the unit's engine work (server_engine, the default) ...
        var served = box.Cc("gcc", "-O2 -c k.c -o served.o", policy);
        Assert.True(served.Succeeded, served.StandardError);
        Assert.Equal((requests, units + 1), Counts());
        // ... or, with server_engine = false, only scores the unit's rows.
        var scored = box.Cc("gcc", "-O2 -c k.c -o scored.o", new Dictionary<string, string?>(policy) { ["COMPILERLLM_SERVER_ENGINE"] = "false" });
        Assert.True(scored.Succeeded, scored.StandardError);
        var (requestsAfter, unitsAfter) = Counts();
        Assert.Equal(units + 1, unitsAfter);
        Assert.True(requestsAfter > requests, $"{requestsAfter} scoring request(s) after the unit, {requests} before it");
        Assert.Contains("policy.onnx", box.Run(LauncherSandbox.Launcher, ["--server-status"]).StandardOutput);

        Assert.Equal(box.Bytes("alone.o"), box.Bytes("first.o"));
        Assert.Equal(box.Bytes("alone.o"), box.Bytes("served.o"));
        Assert.Equal(box.Bytes("alone.o"), box.Bytes("scored.o"));
        Assert.True(box.Gcc("-O2 -c k.c -o gcc.o").Succeeded);
        Assert.NotEqual(box.Bytes("gcc.o"), box.Bytes("served.o")); // the policy did apply rewrites

        Assert.True(box.Run(LauncherSandbox.Launcher, ["--stop-server"]).Succeeded);
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (File.Exists(socket) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.False(File.Exists(socket), "--stop-server did not stop it");
        Assert.False(box.Run(LauncherSandbox.Launcher, ["--server-status"]).Succeeded);

        // A server that served and stopped clears the start throttle: the next build's first unit starts one at once.
        Assert.False(File.Exists(Path.Combine(box.ServerDirectory, "started")), "the stopped server left its start stamp");
        Assert.True(box.Cc("gcc", "-O2 -c k.c -o again.o", policy).Succeeded);
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (!CanConnect(socket) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(CanConnect(socket), "no server started after --stop-server");

        (long Requests, long Units) Counts()
        {
            var status = box.Run(LauncherSandbox.Launcher, ["--server-status"]);
            Assert.True(status.Succeeded, status.StandardOutput + status.StandardError);
            var m = System.Text.RegularExpressions.Regex.Match(status.StandardOutput, @" (\d+) request\(s\), \d+ row\(s\) scored, (\d+) unit\(s\) run");
            Assert.True(m.Success, status.StandardOutput);
            return (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value));
        }
    }

    [Fact]
    public void A_unit_the_server_declines_runs_in_the_launcher_and_says_so()
    {
        using var box = new LauncherSandbox();
        box.Write("k.c", Sources.Kernel);
        var policy = new Dictionary<string, string?>
        {
            ["COMPILERLLM_POLICY"] = "default", ["COMPILERLLM_CACHE"] = "false", ["COMPILERLLM_LOG_FILE"] = box.LogFile,
        };
        Assert.True(box.Cc("gcc", "-O2 -c k.c -o first.o", policy).Succeeded); // starts the server with this PATH
        string socket = Path.Combine(box.ServerDirectory, "scoring.sock");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!CanConnect(socket) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(CanConnect(socket), "the launcher did not start a scoring server");

        string before = box.Run(LauncherSandbox.Launcher, ["--server-status"]).StandardOutput;
        var unitsRun = System.Text.RegularExpressions.Regex.Match(before, @" \d+ unit\(s\) run").Value;
        Assert.NotEqual("", unitsRun);

        // Another PATH may find another assembler: the server must not assemble for this unit.
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var other = box.Cc("gcc", "-O2 -c k.c -o other.o", new Dictionary<string, string?>(policy) { ["PATH"] = Path.Combine(box.Path, "no-tools") + ":" + path });
        Assert.True(other.Succeeded, other.StandardError);
        Assert.Contains("CLLM7006", box.Log);
        Assert.Contains("PATH is not the server's", box.Log);
        Assert.Equal(box.Bytes("first.o"), box.Bytes("other.o"));
        Assert.Contains(unitsRun, box.Run(LauncherSandbox.Launcher, ["--server-status"]).StandardOutput); // no unit more
    }
}
