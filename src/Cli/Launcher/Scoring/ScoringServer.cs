using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using CompilerLLM.Inference;

namespace CompilerLLM.Launcher.Scoring;

/// <summary>
/// The launcher's resident scoring process, as sccache keeps a server: it loads each model once (and ONNX Runtime
/// once) and scores rows for every short-lived <c>compilerllm-cc</c> of a build, which would otherwise each start ONNX
/// Runtime for a few rows, and runs units' engine work for them (<see cref="UnitService"/>), which would otherwise each
/// build the rule catalogues and Iced's tables again. One per user: it holds <see cref="ServerPaths.Lock"/> for its whole life, so a second one
/// exits at once, and a socket left by a killed server is replaced. It exits after <c>server_idle</c> seconds without
/// a request, on <c>--stop-server</c>, and when a client of another engine asks (so an upgrade replaces it).
/// </summary>
internal sealed class ScoringServer(ServerPaths paths, TimeSpan idle)
{
    private readonly ConcurrentDictionary<(string Kind, string Path, string Sha), Lazy<ScoringModel>> _models = new();
    private readonly UnitService _unitService = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTime _started = DateTime.UtcNow;
    private long _lastRequest = Stopwatch.GetTimestamp();
    private long _requests, _rows;

    /// <summary>The contracts a client may name, by kind: the engine's two model kinds.</summary>
    private static readonly Dictionary<string, ModelContract> Contracts = new()
    {
        [PolicyModelContract.Contract.Kind] = PolicyModelContract.Contract,
        [Variants.VariantPolicy.Contract.Kind] = Variants.VariantPolicy.Contract,
    };

    /// <summary>Serves until idle, stopped or cancelled. 0 also when another server already runs (nothing to do); 1 when it cannot serve.</summary>
    public int Run(CancellationToken cancel = default)
    {
        if (!paths.TryPrepare(out string? why))
        {
            Console.Error.WriteLine($"compilerllm-cc: no scoring server: {why}");
            return 1;
        }
        FileStream? held;
        try
        {
            // FileShare.None takes an exclusive flock on Unix: released by the kernel however this process ends.
            held = new FileStream(paths.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return 0; // another server holds the lock
        }
        using var lockFile = held;
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            File.Delete(paths.Socket); // a killed server's socket: nobody answers on it, and the lock says nobody will
            listener.Bind(new UnixDomainSocketEndPoint(paths.Socket));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(paths.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(64);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"compilerllm-cc: no scoring server: cannot listen on {paths.Socket}: {e.Message}");
            return 1;
        }
        Toolchain.Sha256.PlatformForAll = true; // a long-lived process: OpenSSL's load is paid once
        _ = Task.Run(_unitService.Prewarm);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, cancel);
        var watchdog = Task.Run(async () =>
        {
            while (!linked.IsCancellationRequested)
            {
                if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastRequest)) > idle) { _stop.Cancel(); break; }
                try { await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(50, idle.TotalMilliseconds / 4))), linked.Token); }
                catch (OperationCanceledException) { }
            }
        });
        try
        {
            while (!linked.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = listener.AcceptAsync(linked.Token).AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) { break; }
                catch (SocketException) { continue; }
                _ = Task.Run(() => Serve(client));
            }
        }
        finally
        {
            try { File.Delete(paths.Socket); } catch (IOException) { }
            // The start stamp throttles starting a server that cannot start; this one served and ends as it should (idle,
            // stopped), so the next unit may start one at once: a build right after --stop-server gets its server.
            try { File.Delete(paths.StartStamp); } catch (IOException) { }
            watchdog.Wait(TimeSpan.FromSeconds(2));
            foreach (var model in _models.Values)
                if (model.IsValueCreated) try { model.Value.Dispose(); } catch (PolicyLoadException) { }
        }
        return 0;
    }

    private void Serve(Socket client)
    {
        using (client)
        {
            try
            {
                while (ScoringProtocol.ReadFrame(client) is { } frame)
                {
                    Interlocked.Exchange(ref _lastRequest, Stopwatch.GetTimestamp());
                    var reply = Answer(new FrameReader(frame), out bool stop);
                    ScoringProtocol.WriteFrame(client, reply.Payload);
                    if (stop) { _stop.Cancel(); return; }
                }
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException) { }
        }
    }

    private FrameWriter Answer(FrameReader request, out bool stop)
    {
        stop = false;
        if (request.UInt() != ScoringProtocol.Magic || request.Int() != ScoringProtocol.Version)
            return Error("not a compilerllm-cc scoring request of this version");
        var op = (ScoringOp)request.Byte();
        string engine = request.String();
        if (engine != ServerPaths.Engine)
        {
            // Another build of the engine (an upgrade, another install): its client scores by itself this once, and
            // this server makes way so the next one started is theirs.
            stop = true;
            return Error("the scoring server runs another engine; it stops");
        }
        switch (op)
        {
            case ScoringOp.Score:
                return Score(request.String(), request.String(), request.String(), request.Int(), request.Floats());
            case ScoringOp.Run:
                UnitJob job;
                try
                {
                    job = UnitJob.ReadFrom(request);
                }
                catch (InvalidDataException e)
                {
                    return Error($"a malformed unit job: {e.Message}");
                }
                return _unitService.Run(job);
            case ScoringOp.Status:
                var status = new FrameWriter().Byte(0).Int(Environment.ProcessId).Long(_started.Ticks)
                    .Long(Interlocked.Read(ref _requests)).Long(Interlocked.Read(ref _rows)).Long(_unitService.Units);
                var loaded = _models.Where(m => m.Value.IsValueCreated).Select(m => m.Key).ToList();
                status.Int(loaded.Count);
                foreach (var (kind, path, sha) in loaded) status.String(kind).String(path).String(sha);
                return status;
            case ScoringOp.Stop:
                stop = true;
                return new FrameWriter().Byte(0);
            default:
                return Error($"unknown request {(byte)op}");
        }
    }

    private FrameWriter Score(string kind, string path, string sha, int width, float[] rows)
    {
        if (!Contracts.TryGetValue(kind, out var contract)) return Error($"unknown model kind '{kind}'");
        if (width != contract.Width || rows.Length % width != 0) return Error($"rows are not {contract.Width} wide");
        var key = (kind, path, sha);
        var lazy = _models.GetOrAdd(key, k => new Lazy<ScoringModel>(() => ScoringModel.Load(k.Path, contract), LazyThreadSafetyMode.ExecutionAndPublication));
        ScoringModel model;
        try
        {
            model = lazy.Value;
        }
        catch (PolicyLoadException e)
        {
            _models.TryRemove(new KeyValuePair<(string, string, string), Lazy<ScoringModel>>(key, lazy));
            return Error(e.Message);
        }
        if (model.ModelSha256 != sha)
        {
            // The file changed after the client hashed it: scores of another model must not be given under this hash.
            // (Not disposed: another request may hold it for the same check.)
            _models.TryRemove(new KeyValuePair<(string, string, string), Lazy<ScoringModel>>(key, lazy));
            return Error($"{path} is not the model the client hashed");
        }
        float[] scores = model.Score(rows);
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _rows, rows.Length / width);
        return new FrameWriter().Byte(0).Float(model.Threshold).Floats(scores);
    }

    private static FrameWriter Error(string message) => new FrameWriter().Byte(1).String(message);
}
