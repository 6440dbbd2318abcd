using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.Tasks;

public enum DiagnosticSeverity : byte
{
    /// <summary>Logged as a message (with its code) at the importance given.</summary>
    Message,
    Warning,
    Error,
}

/// <summary>One diagnostic of the package: its code, severity, message format and the help line shown with it.</summary>
/// <param name="Code">"CLLMnnnn"; never reused once retired.</param>
/// <param name="Format">A composite format string ({0}, {1} … are the arguments).</param>
/// <param name="Help">One line telling the user what to do about it.</param>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Format, string Help)
{
    /// <summary>The anchor of this code's entry in docs/msbuild.md.</summary>
    public string Anchor => Code.ToLowerInvariant();

    public string HelpKeyword => "CompilerLLM." + Code;

    public string Render(params object?[] args) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, Format, args);
}

/// <summary>A range of codes and what it is for.</summary>
public sealed record DiagnosticRange(int First, int Last, DiagnosticSeverity Severity, string Purpose);

/// <summary>
/// Every diagnostic the package can emit, as data, in one place. The ranges:
/// <list type="table">
/// <item>CLLM1000–1999: errors, misuse of the package (unknown property value, missing gcc, a C file that does not compile).</item>
/// <item>CLLM2000–2999: warnings, the build proceeds unoptimized or differently from what was asked (platform, policy).</item>
/// <item>CLLM3000–3999: warnings, optimizer fallbacks (a file or a function keeps GCC's code).</item>
/// <item>CLLM4000–4999: warnings, test replay (differences, culprits, unreliable test commands).</item>
/// <item>CLLM5000–5999: messages, what the build did (summary, choices made for the user).</item>
/// <item>CLLM6000–6999: warnings, GCC's own warnings relayed with their file and line.</item>
/// </list>
/// docs/msbuild.md documents every code; a test checks that the table and the document agree.
/// Retired codes stay listed in <see cref="Retired"/> and are never reused.
/// </summary>
public static class Diagnostics
{
    public static IReadOnlyList<DiagnosticRange> Ranges { get; } =
    [
        new(1000, 1999, DiagnosticSeverity.Error, "misuse: the build cannot proceed as written"),
        new(2000, 2999, DiagnosticSeverity.Warning, "the build proceeds unoptimized or differently from what was asked"),
        new(3000, 3999, DiagnosticSeverity.Warning, "optimizer fallbacks: GCC's code is kept for a file or a function"),
        new(4000, 4999, DiagnosticSeverity.Warning, "test replay: differences, culprits and unreliable test commands"),
        new(5000, 5999, DiagnosticSeverity.Message, "information: what the build did"),
        new(6000, 6999, DiagnosticSeverity.Warning, "GCC's own warnings, relayed"),
    ];

    /// <summary>Codes no longer emitted; they must never be given a new meaning.</summary>
    public static IReadOnlyList<string> Retired { get; } = [];

    // ---- 1xxx: misuse (errors)
    public static readonly DiagnosticDescriptor UnknownPropertyValue = new("CLLM1001", DiagnosticSeverity.Error,
        "Property {0} has the unknown value '{1}'; expected {2}.",
        "Set the property to one of the listed values, or remove it to get the default.");
    public static readonly DiagnosticDescriptor CompilerNotFound = new("CLLM1002", DiagnosticSeverity.Error,
        "The C compiler '{0}' was not found on PATH.",
        "Install GCC (Debian: apt-get install gcc) or set CompilerLlmCompiler to its path.");
    public static readonly DiagnosticDescriptor CompileFailed = new("CLLM1003", DiagnosticSeverity.Error,
        "{0}",
        "This is GCC's own diagnostic for your source file; fix the code or the flags (CompilerLlmCFlags, ClCompile metadata).");
    public static readonly DiagnosticDescriptor AssembleFailed = new("CLLM1004", DiagnosticSeverity.Error,
        "GCC could not assemble its own output {0}: {1}",
        "The assembler rejected GCC's output; check AdditionalOptions such as -Wa, flags.");
    public static readonly DiagnosticDescriptor LinkFailed = new("CLLM1005", DiagnosticSeverity.Error,
        "Producing the {0} {1} failed: {2}",
        "Check CompilerLlmLinkFlags (libraries such as -lm) and that every symbol is defined.");
    public static readonly DiagnosticDescriptor ToolFailedToStart = new("CLLM1006", DiagnosticSeverity.Error,
        "The tool '{0}' could not be started: {1}",
        "Install the tool (binutils provides ar and as) or set the matching CompilerLlm* property to its path.");
    public static readonly DiagnosticDescriptor InvalidNumber = new("CLLM1007", DiagnosticSeverity.Error,
        "Property {0} must be a positive whole number, not '{1}'.",
        "Give a number such as 60, or remove the property to get the default.");
    public static readonly DiagnosticDescriptor DuplicateIntermediate = new("CLLM1008", DiagnosticSeverity.Error,
        "ClCompile items '{0}' and '{1}' would share the intermediate file {2}.",
        "List every source file once.");

    // ---- 2xxx: the build proceeds unoptimized or differently (warnings)
    public static readonly DiagnosticDescriptor WindowsHost = new("CLLM2001", DiagnosticSeverity.Warning,
        "CompilerLlmOptimize is on, but the build runs on {0}; the optimizer supports Linux hosts only. Building unoptimized.",
        "Build on Linux x86-64, or turn CompilerLlmOptimize off for this host.");
    public static readonly DiagnosticDescriptor NotX8664 = new("CLLM2002", DiagnosticSeverity.Warning,
        "CompilerLlmOptimize is on, but the target is '{0}', not x86-64. Building unoptimized.",
        "The optimizer reads x86-64 code only; remove -m32/-mx32 or cross-compiler settings, or turn CompilerLlmOptimize off.");
    public static readonly DiagnosticDescriptor NotGcc = new("CLLM2003", DiagnosticSeverity.Warning,
        "CompilerLlmOptimize is on, but the compiler '{0}' is not GCC ({1}). Building unoptimized.",
        "The optimizer reads GCC's assembly only; set CompilerLlmCompiler to gcc.");
    public static readonly DiagnosticDescriptor PolicyModelUnusable = new("CLLM2004", DiagnosticSeverity.Warning,
        "The policy model cannot be used: {0}. Building unoptimized.",
        "Use a model written by compilerllm-train for this package's feature schema, or set CompilerLlmPolicy to default, all or none.");
    public static readonly DiagnosticDescriptor PolicyFileMissing = new("CLLM2005", DiagnosticSeverity.Warning,
        "CompilerLlmPolicy names the model file '{0}', which does not exist. Building unoptimized.",
        "Fix the path, or set CompilerLlmPolicy to default, all or none.");
    public static readonly DiagnosticDescriptor FaultInjectionOn = new("CLLM2006", DiagnosticSeverity.Warning,
        "CompilerLlmFaultInjectionFunction is set: the optimizer deliberately corrupts a rewrite in function '{0}'. This is for testing the package only.",
        "Remove CompilerLlmFaultInjectionFunction from the project.");

    public static readonly DiagnosticDescriptor VariantModelUnusable = new("CLLM2007", DiagnosticSeverity.Warning,
        "The variant model cannot be used: {0}. Every translation unit keeps the project's flags.",
        "Use a variant model written by compilerllm-train for this package, or set CompilerLlmVariants to default or base.");
    public static readonly DiagnosticDescriptor VariantModelMissing = new("CLLM2008", DiagnosticSeverity.Warning,
        "CompilerLlmVariants names the model file '{0}', which does not exist. Every translation unit keeps the project's flags.",
        "Fix the path, or set CompilerLlmVariants to default or base.");
    public static readonly DiagnosticDescriptor ProfileFailed = new("CLLM2009", DiagnosticSeverity.Warning,
        "No profile of the training workload: {0}. Translation units are compiled without profile data.",
        "Make CompilerLlmProfileWorkload run the built artifact and exit 0, or set it empty to build without a profile.");
    public static readonly DiagnosticDescriptor VariantNotUsed = new("CLLM2010", DiagnosticSeverity.Warning,
        "{0}: {1}; this file keeps the project's flags.",
        "A stale profile (the source changed since the training run) is refreshed by the next build that runs the workload.");
    public static readonly DiagnosticDescriptor TuneNotPossible = new("CLLM2011", DiagnosticSeverity.Warning,
        "CompilerLlmTune is on, but {0}; no variant is measured.",
        "Tune mode measures the variant model's alternatives with a benchmark: set CompilerLlmBenchmarkCommand (or CompilerLlmTestCommand), keep CompilerLlmVariants on a model and CompilerLlmObjective on speed.");
    public static readonly DiagnosticDescriptor BenchmarkFails = new("CLLM2012", DiagnosticSeverity.Warning,
        "Tune mode: the benchmark command does not run on the zero-shot build ({0}); every file keeps its zero-shot variant.",
        "Make CompilerLlmBenchmarkCommand run the artifact at $(NativeOutputPath) and exit 0.");
    public static readonly DiagnosticDescriptor TuneTestVariantOn = new("CLLM2013", DiagnosticSeverity.Warning,
        "CompilerLlmTuneTestVariant is set: tune mode also measures the variant '{0}' ({1}) for every tuned file. This is for testing the package only.",
        "Remove CompilerLlmTuneTestVariant from the project.");

    // ---- 3xxx: optimizer fallbacks (warnings)
    public static readonly DiagnosticDescriptor FileUnreadable = new("CLLM3001", DiagnosticSeverity.Warning,
        "{0}: the optimizer cannot read GCC's assembly ({1}); this file keeps GCC's code.",
        "Nothing to do for a correct build; report it if it happens on plain GCC output.");
    public static readonly DiagnosticDescriptor OptimizerCrashed = new("CLLM3002", DiagnosticSeverity.Warning,
        "{0}: the optimizer failed ({1}); this file keeps GCC's code.",
        "Nothing to do for a correct build; please report it with the file's assembly (obj/**/compilerllm/*.s).");
    public static readonly DiagnosticDescriptor OptimizedAssembleFailed = new("CLLM3003", DiagnosticSeverity.Warning,
        "{0}: the optimized assembly does not assemble ({1}); this file keeps GCC's code.",
        "Nothing to do for a correct build; please report it with the file's assembly.");
    public static readonly DiagnosticDescriptor FunctionFellBack = new("CLLM3004", DiagnosticSeverity.Warning,
        "{0}: function '{1}' keeps GCC's code: {2}",
        "Nothing to do for a correct build; the report (obj/**/compilerllm/report.html) lists the rewrites involved.");

    public static readonly DiagnosticDescriptor OptimizedLinkFailed = new("CLLM3005", DiagnosticSeverity.Warning,
        "The optimized objects do not link ({0}); using GCC's build.",
        "Nothing to do for a correct build; please report it with the report (obj/**/compilerllm/report.html).");

    // ---- 4xxx: test replay (warnings)
    public static readonly DiagnosticDescriptor ReplayDiffers = new("CLLM4001", DiagnosticSeverity.Warning,
        "Test replay: the optimized build behaves differently from GCC's build ({0}); bisecting over {1} translation units.",
        "Nothing to do: the culprits fall back to GCC's objects. The report says which and why.");
    public static readonly DiagnosticDescriptor CulpritFallsBack = new("CLLM4002", DiagnosticSeverity.Warning,
        "{0}: falls back to GCC's object: the test command behaves differently when this file is optimized ({1}).",
        "Nothing to do for a correct build; please report it with the file's assembly and the report.");
    public static readonly DiagnosticDescriptor ReplayStillDiffers = new("CLLM4003", DiagnosticSeverity.Warning,
        "Test replay: the build still differs after falling back {0} translation unit(s); using GCC's build unchanged.",
        "Nothing to do for a correct build; the test command may depend on more than the program (time, files, randomness).");
    public static readonly DiagnosticDescriptor BaselineTestFails = new("CLLM4004", DiagnosticSeverity.Warning,
        "Test replay: the test command exits with code {0} on GCC's own build; the optimized build must reproduce that exactly.",
        "Make CompilerLlmTestCommand succeed on the unoptimized build, so that replay checks something useful.");
    public static readonly DiagnosticDescriptor BaselineTimedOut = new("CLLM4005", DiagnosticSeverity.Warning,
        "Test replay: the test command did not finish within {0} s on GCC's own build; using GCC's build unchanged.",
        "Make the test command faster or raise CompilerLlmTestTimeout (seconds).");
    public static readonly DiagnosticDescriptor FlakyTest = new("CLLM4006", DiagnosticSeverity.Warning,
        "Test replay: two runs of the test command on GCC's own build behave differently ({0}); using GCC's build unchanged.",
        "The test command must be deterministic: fix seeds, avoid printing times or addresses on stdout.");
    public static readonly DiagnosticDescriptor TunedVariantFailsTest = new("CLLM4007", DiagnosticSeverity.Warning,
        "{0}: variant {1} was measured faster, but the test command behaves differently with it; this file keeps variant {2}.",
        "Nothing to do for a correct program; a variant that changes behaviour points at undefined behaviour in the file (or a compiler bug).");

    // ---- 5xxx: information (messages)
    public static readonly DiagnosticDescriptor Summary = new("CLLM5001", DiagnosticSeverity.Message,
        "CompilerLLM: {0}: {1}",
        "The full report is obj/**/compilerllm/report.html (and report.json).");
    public static readonly DiagnosticDescriptor DefaultPolicyChosen = new("CLLM5002", DiagnosticSeverity.Message,
        "CompilerLlmPolicy: {0}.",
        "Set CompilerLlmPolicy to all, none or a model path to choose explicitly.");
    public static readonly DiagnosticDescriptor NoTestCommand = new("CLLM5003", DiagnosticSeverity.Message,
        "No CompilerLlmTestCommand: the optimized build is not replayed against GCC's build.",
        "Set CompilerLlmTestCommand (e.g. $(NativeOutputPath) --self-test) so that every optimized build is checked.");
    public static readonly DiagnosticDescriptor ReplayIdentical = new("CLLM5004", DiagnosticSeverity.Message,
        "Test replay: the optimized build behaves exactly like GCC's build ({0}).",
        "Nothing to do.");
    public static readonly DiagnosticDescriptor OptimizerOff = new("CLLM5005", DiagnosticSeverity.Message,
        "CompilerLLM: {0}: optimizer off; {1} translation unit(s) built with GCC only.",
        "Set CompilerLlmOptimize to true (e.g. for Release) to optimize.");

    public static readonly DiagnosticDescriptor ProfileMade = new("CLLM5006", DiagnosticSeverity.Message,
        "Profile: {0} of {1} translation unit(s) ran in the training workload ({2} s).",
        "The profile feeds the variant choice (profile use is one of the variants) and the policy's features.");
    public static readonly DiagnosticDescriptor VariantChosen = new("CLLM5007", DiagnosticSeverity.Message,
        "{0}: compiled with variant {1} ({2}).",
        "Set CompilerLlmVariants to base to keep the project's flags everywhere.");
    public static readonly DiagnosticDescriptor VariantTuned = new("CLLM5008", DiagnosticSeverity.Message,
        "{0}: tune mode takes variant {1} over {2}: measured {3}x faster, 95% interval [{4}, {5}].",
        "The records directory (CompilerLlmTuneRecords) keeps every measurement for the variant trainer.");
    public static readonly DiagnosticDescriptor TuneDone = new("CLLM5009", DiagnosticSeverity.Message,
        "Tune: {0} file(s) tuned ({1} decision(s) from the tune cache), {2} changed variant; {3} benchmark run(s), {4} test run(s), {5} s.",
        "A program whose units, flags, benchmark and model are unchanged takes its decisions from the cache without running the benchmark.");

    // ---- 6xxx: GCC's warnings (relayed)
    public static readonly DiagnosticDescriptor GccWarning = new("CLLM6001", DiagnosticSeverity.Warning,
        "{0}",
        "This is GCC's own warning for your source file.");

    /// <summary>Every descriptor above, by reflection (so a new one can never be left out of the table).</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
        typeof(Diagnostics).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Code, StringComparer.Ordinal)
            .ToList();

    public static DiagnosticRange RangeOf(DiagnosticDescriptor d)
    {
        int number = int.Parse(d.Code.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
        return Ranges.Single(r => number >= r.First && number <= r.Last);
    }
}
