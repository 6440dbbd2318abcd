using System.Net.Sockets;
using CompilerLLM.Inference;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher.Scoring;

/// <summary>
/// One launcher process's connection to the scoring server (<see cref="IScoringService"/>). When no server answers it
/// starts one in the background for the units that follow and answers null, so this unit scores by itself; so does
/// any failure, and after one failure the client stays out of the way for the rest of the process.
/// </summary>
internal sealed class ScoringClient(ServerPaths paths, TimeSpan idle, bool startServer) : IScoringService, IDisposable
{
    /// <summary>How long a request may take, the server's first load of a model included, before the unit scores by itself.</summary>
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Start attempts closer together than this are skipped: a server that cannot start must not cost every unit a process.</summary>
    private static readonly TimeSpan StartInterval = TimeSpan.FromSeconds(10);

    private Socket? _socket;
    private bool _failed;

    /// <summary>The client of the server the settings name (<c>server_dir</c>, <c>server_idle</c>).</summary>
    public static ScoringClient For(LauncherSettings settings, bool startServer) =>
        new(new ServerPaths(settings.ServerDirectory), settings.ServerIdle, startServer);

    public ServedScores? TryScore(string modelPath, string sha256, ModelContract contract, ReadOnlySpan<float> rows)
    {
        var request = Request(ScoringOp.Score).String(contract.Kind).String(modelPath).String(sha256).Int(contract.Width).Floats(rows);
        using var phase = PhaseTimings.Start("server.score");
        if (Exchange(request) is not { } reply) return null;
        try
        {
            float threshold = reply.Float();
            float[] scores = reply.Floats();
            if (scores.Length == rows.Length / contract.Width) return new ServedScores(scores, threshold);
        }
        catch (InvalidDataException) { }
        Fail();
        return null;
    }

    /// <summary>
    /// Has the server run a unit's engine work (<see cref="UnitJob"/>); null when it cannot (none answers, it fails, or
    /// it does not answer within <paramref name="timeout"/>) or declines: then the launcher runs the unit itself. A
    /// decline leaves the client usable for scoring; a failure turns it off, as for scoring.
    /// </summary>
    public UnitJobReply? TryRun(UnitJob job, TimeSpan timeout)
    {
        var request = Request(ScoringOp.Run);
        job.WriteTo(request);
        using var phase = PhaseTimings.Start("server.run");
        if (Exchange(request, replyTimeout: timeout) is not { } reply) return null;
        try
        {
            var answer = UnitJobReply.Read(reply);
            if (answer.Outcome == UnitJobOutcome.Declined)
            {
                Declined = answer.Message;
                return null;
            }
            if (answer.Outcome != UnitJobOutcome.Done || answer.Report is not null) return answer;
        }
        catch (InvalidDataException) { }
        Fail();
        return null;
    }

    /// <summary>Why the server last declined a unit job, or null.</summary>
    public string? Declined { get; private set; }

    /// <summary>
    /// Starts a server when none is listening, without waiting for it: called when a unit begins, so that a server
    /// started by a build's first unit is up (and warming) while GCC compiles, for the units that follow.
    /// </summary>
    public void StartIfAbsent()
    {
        if (startServer && !_failed && _socket is null && !File.Exists(paths.Socket)) StartServer();
    }

    /// <summary>The server's state, or null when none answers (never starts one).</summary>
    public ServerStatus? Status()
    {
        if (Exchange(Request(ScoringOp.Status), start: false) is not { } r) return null;
        try
        {
            int pid = r.Int();
            var started = new DateTime(r.Long(), DateTimeKind.Utc);
            long requests = r.Long(), rows = r.Long(), units = r.Long();
            var models = new List<string>();
            for (int n = r.Int(); n > 0; n--) models.Add($"{r.String()} {r.String()} (sha256 {r.String()[..12]})");
            return new ServerStatus(pid, started, requests, rows, units, models);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Asks the server to stop; false when none answered.</summary>
    public bool Stop() => Exchange(Request(ScoringOp.Stop), start: false) is not null;

    private static FrameWriter Request(ScoringOp op) =>
        new FrameWriter().UInt(ScoringProtocol.Magic).Int(ScoringProtocol.Version).Byte((byte)op).String(ServerPaths.Engine);

    /// <summary>Sends one request and reads its reply past the status byte; null (and the client off) on any failure or error reply.</summary>
    private FrameReader? Exchange(FrameWriter request, bool start = true, TimeSpan? replyTimeout = null)
    {
        if (_failed) return null;
        try
        {
            _socket ??= Connect(start && startServer);
            if (_socket is null) return Fail();
            _socket.ReceiveTimeout = (int)Math.Min(int.MaxValue, (replyTimeout ?? ReplyTimeout).TotalMilliseconds);
            ScoringProtocol.WriteFrame(_socket, request.Payload);
            if (ScoringProtocol.ReadFrame(_socket) is not { } frame) return Fail();
            var reply = new FrameReader(frame);
            return reply.Byte() == 0 ? reply : Fail();
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            return Fail();
        }
    }

    private Socket? Connect(bool start)
    {
        if (!File.Exists(paths.Socket))
        {
            if (start) StartServer();
            return null;
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)ReplyTimeout.TotalMilliseconds,
            SendTimeout = (int)ReplyTimeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(paths.Socket));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            if (start) StartServer(); // a socket nobody listens on: its server was killed
            return null;
        }
    }

    /// <summary>Starts <c>compilerllm-cc --server</c> detached from the build (its own session, no terminal, no pipes of the build's).</summary>
    private void StartServer()
    {
        if (Environment.ProcessPath is not { } self || !paths.TryPrepare(out _)) return;
        try
        {
            var stamp = new FileInfo(paths.StartStamp);
            if (stamp.Exists && DateTime.UtcNow - stamp.LastWriteTimeUtc < StartInterval) return;
            File.WriteAllText(paths.StartStamp, $"{Environment.ProcessId}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        using var phase = PhaseTimings.Start("server.start");
        ProcessRunner.StartDetached(new ProcessSpec(self, ["--server", "--idle", idle.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            Environment = new Dictionary<string, string?> { [ServerDirectoryVariable] = paths.Directory },
        });
    }

    /// <summary>The variable the started server reads its directory from (the setting's own variable: the same place as the client).</summary>
    public const string ServerDirectoryVariable = "COMPILERLLM_SERVER_DIR";

    private FrameReader? Fail()
    {
        _failed = true;
        _socket?.Dispose();
        _socket = null;
        return null;
    }

    public void Dispose() => _socket?.Dispose();
}

/// <summary>What <c>--server-status</c> prints.</summary>
internal sealed record ServerStatus(int ProcessId, DateTime Started, long Requests, long Rows, long Units, IReadOnlyList<string> Models);
