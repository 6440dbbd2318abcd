namespace CompilerLLM.Launcher.Scoring;

/// <summary>
/// One unit's engine work as a launcher hands it to the resident server once GCC has written the unit's assembly:
/// GCC's object, the variant choice and the optimization, into the unit's files in the launcher's work folder. The
/// server runs exactly what the launcher would run in its own process (<see cref="UnitWork"/>), without paying per
/// unit for what a process builds once (the rule catalogues, Iced's tables, ONNX Runtime, a fresh heap).
/// </summary>
/// <param name="WorkingDirectory">The launcher's directory: relative paths of the compile are relative to it.</param>
/// <param name="Compiler">The compiler the user named.</param>
/// <param name="MemoDirectory">Where the compiler's <c>as</c> commands are remembered.</param>
/// <param name="Source">The unit's source, as the command named it.</param>
/// <param name="Arguments">The unit's arguments (<see cref="Pipeline.TranslationUnit.Arguments"/>), as the launcher compiled it.</param>
/// <param name="FilesRoot">The stem of the unit's files in the launcher's work folder.</param>
/// <param name="Policy">The <c>policy</c> setting, as written.</param>
/// <param name="PolicyIdentity">What the launcher computed as the policy's identity (the cache key holds it): the server declines when its load of the policy is another.</param>
/// <param name="VariantModel">The variant model's full path, or empty (base everywhere).</param>
/// <param name="ValidateWithSmt">The <c>validate</c> setting.</param>
/// <param name="FaultInjectionFunction">The fault-injection function, or empty.</param>
/// <param name="Environment">The launcher's values of <see cref="ToolEnvironment"/>, in that order (empty: unset).</param>
/// <param name="CacheKey">The unit's cache key, or empty (no cache): the server stores the optimized unit under it, as the launcher would.</param>
/// <param name="CacheDirectory">The cache directory (<c>cache_dir</c>).</param>
/// <param name="CacheSize">The cache's size cap in bytes (<c>cache_size</c>).</param>
/// <param name="CacheConfiguration">The cache's configuration string (<see cref="Pipeline.UnitCache.ConfigurationOf"/>).</param>
internal sealed record UnitJob(
    string WorkingDirectory,
    string Compiler,
    string MemoDirectory,
    string Source,
    IReadOnlyList<string> Arguments,
    string FilesRoot,
    string Policy,
    string PolicyIdentity,
    string VariantModel,
    bool ValidateWithSmt,
    string FaultInjectionFunction,
    IReadOnlyList<string> Environment,
    string CacheKey,
    string CacheDirectory,
    long CacheSize,
    string CacheConfiguration)
{
    /// <summary>
    /// The variables that decide which programs the server's part runs (the driver's search for <c>as</c>, the dynamic
    /// loader, ONNX Runtime): the server serves a unit only when its own values are the launcher's, so that a unit never
    /// depends on which process did its work. The locale and <c>SOURCE_DATE_EPOCH</c> are not among them: they change
    /// what GCC's compiler proper writes, which the launcher runs itself, and at most the words of an assembler error
    /// the server passes on, never an object (autotools builds run some compiles under <c>LC_ALL=C</c>).
    /// </summary>
    public static readonly string[] ToolEnvironment =
    [
        "PATH", "COMPILER_PATH", "GCC_EXEC_PREFIX", "LD_LIBRARY_PATH", "LD_PRELOAD", "COMPILERLLM_ONNXRUNTIME",
    ];

    /// <summary>This process's values of <see cref="ToolEnvironment"/>.</summary>
    public static IReadOnlyList<string> CurrentEnvironment() =>
        Array.ConvertAll(ToolEnvironment, v => System.Environment.GetEnvironmentVariable(v) ?? "");

    public void WriteTo(FrameWriter frame)
    {
        frame.String(WorkingDirectory).String(Compiler).String(MemoDirectory).String(Source);
        frame.Int(Arguments.Count);
        foreach (string a in Arguments) frame.String(a);
        frame.String(FilesRoot).String(Policy).String(PolicyIdentity).String(VariantModel)
            .Byte(ValidateWithSmt ? (byte)1 : (byte)0).String(FaultInjectionFunction);
        frame.Int(Environment.Count);
        foreach (string e in Environment) frame.String(e);
        frame.String(CacheKey).String(CacheDirectory).Long(CacheSize).String(CacheConfiguration);
    }

    /// <summary>The job a frame carries; <see cref="InvalidDataException"/> when it is malformed.</summary>
    public static UnitJob ReadFrom(FrameReader frame)
    {
        string cwd = frame.String(), compiler = frame.String(), memo = frame.String(), source = frame.String();
        var arguments = Strings(frame);
        string root = frame.String(), policy = frame.String(), identity = frame.String(), variant = frame.String();
        bool validate = frame.Byte() != 0;
        string fault = frame.String();
        var environment = Strings(frame);
        string key = frame.String(), cacheDirectory = frame.String();
        long cacheSize = frame.Long();
        string configuration = frame.String();
        return new UnitJob(cwd, compiler, memo, source, arguments, root, policy, identity, variant, validate, fault, environment,
            key, cacheDirectory, cacheSize, configuration);
    }

    private static string[] Strings(FrameReader frame)
    {
        int n = frame.Int();
        if (n < 0 || n > 1 << 20) throw new InvalidDataException($"a list of {n} strings");
        var values = new string[n];
        for (int i = 0; i < n; i++) values[i] = frame.String();
        return values;
    }
}

/// <summary>How the server ended a <see cref="UnitJob"/>.</summary>
internal enum UnitJobOutcome : byte
{
    /// <summary>The unit's report follows (the unit's files are written, as the launcher's own run writes them).</summary>
    Done = 0,
    /// <summary>GCC's own assembly does not assemble; its first error line follows.</summary>
    GccObjectFailed = 1,
    /// <summary>
    /// The server does not run this unit (another environment, a policy it cannot load or that is not the launcher's);
    /// why follows. The launcher runs the unit itself, and so meets any failure in its own words.
    /// </summary>
    Declined = 2,
}

/// <summary>
/// What the server answers for a <see cref="UnitJob"/>: the outcome, whether the cache now holds the unit, and the unit's
/// report without its per-function detail (which the cache entry holds): what the launcher records and logs.
/// </summary>
internal sealed record UnitJobReply(UnitJobOutcome Outcome, string Message, bool EntryHeld, Pipeline.UnitReport? Report)
{
    public static FrameWriter Write(FrameWriter frame, UnitJobOutcome outcome, string message, bool entryHeld = false, Pipeline.UnitReport? report = null)
    {
        frame.Byte((byte)outcome).String(message).Byte(entryHeld ? (byte)1 : (byte)0).Byte(report is null ? (byte)0 : (byte)1);
        if (report is null) return frame;
        frame.String(report.Source).Byte((byte)report.Status).String(report.Reason ?? "\0").Long(BitConverter.DoubleToInt64Bits(report.OptimizerSeconds))
            .Int(report.Functions).Int(report.Candidates).Int(report.Applied).Int(report.FunctionFallbacks).Int(report.SizeDelta)
            .Long(BitConverter.DoubleToInt64Bits(report.EstimatedCycleDelta))
            .Byte(report.Fallback is { } f ? (byte)(f + 1) : (byte)0).String(report.Detail ?? "\0").Byte(report.FromCache ? (byte)1 : (byte)0)
            .String(report.Variant?.Variant ?? "\0");
        return frame;
    }

    /// <summary>The reply a frame carries; <see cref="InvalidDataException"/> when it is malformed.</summary>
    public static UnitJobReply Read(FrameReader frame)
    {
        var outcome = (UnitJobOutcome)frame.Byte();
        if (outcome > UnitJobOutcome.Declined) throw new InvalidDataException($"unit job outcome {(byte)outcome}");
        string message = frame.String();
        bool held = frame.Byte() != 0;
        if (frame.Byte() == 0) return new UnitJobReply(outcome, message, held, null);
        string source = frame.String();
        var status = (Pipeline.UnitStatus)frame.Byte();
        string? reason = Optional(frame.String());
        double seconds = BitConverter.Int64BitsToDouble(frame.Long());
        int functions = frame.Int(), candidates = frame.Int(), applied = frame.Int(), fallbacks = frame.Int(), sizeDelta = frame.Int();
        double cycles = BitConverter.Int64BitsToDouble(frame.Long());
        byte fallback = frame.Byte();
        string? detail = Optional(frame.String());
        bool fromCache = frame.Byte() != 0;
        string? variant = Optional(frame.String());
        var report = new Pipeline.UnitReport(source, status, reason, seconds, functions, candidates, applied, fallbacks, sizeDelta, cycles, null)
        {
            Fallback = fallback == 0 ? null : (Pipeline.UnitFallback)(fallback - 1),
            Detail = detail,
            FromCache = fromCache,
            Variant = variant is null ? null : new Variants.VariantDecision(variant, null, null, null, null),
        };
        return new UnitJobReply(outcome, message, held, report);
    }

    private static string? Optional(string value) => value == "\0" ? null : value;
}
