using System.Runtime.InteropServices;
using CompilerLLM.Toolchain;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// Validates the project's CompilerLLM properties (errors for misuse), identifies the compiler, decides
/// whether the optimizer runs here (warnings when it cannot: host, target, compiler), resolves the policy
/// (cached per node) and writes the optimize stamp.
/// </summary>
public sealed class CheckEnvironment : CompilerLlmTask
{
    public static readonly string[] OutputTypes = ["Application", "StaticLibrary", "SharedLibrary"];

    [Required] public string Compiler { get; set; } = "gcc";
    public string? CFlags { get; set; }
    /// <summary>CompilerLlmOptimize: true, false or empty (false).</summary>
    public string? Optimize { get; set; }
    public string? NativeOutputType { get; set; }
    public string? Policy { get; set; }
    /// <summary>CompilerLlmOnnxRuntimePath: a libonnxruntime.so.1 to use instead of the packaged one.</summary>
    public string? OnnxRuntimePath { get; set; }
    /// <summary>CompilerLlmValidateWithSmt: true, false or empty (false).</summary>
    public string? ValidateWithSmt { get; set; }
    public string? FaultInjectionFunction { get; set; }
    public string? TestTimeout { get; set; }
    public string? MaxParallelism { get; set; }
    [Required] public string ProjectDirectory { get; set; } = ".";
    [Required] public string OptimizeStampFile { get; set; } = "";
    [Required] public string LinkStampFile { get; set; } = "";
    public string? NativeOutputPath { get; set; }
    public string? LinkFlags { get; set; }
    public string? TestCommand { get; set; }
    /// <summary>CompilerLlmVariants: default, base or a model path.</summary>
    public string? Variants { get; set; }
    /// <summary>CompilerLlmObjective: speed or size.</summary>
    public string? Objective { get; set; }
    /// <summary>CompilerLlmProfileWorkload: the training workload (default: the test command; empty: no profile).</summary>
    public string? ProfileWorkload { get; set; }
    /// <summary>Where the variant configuration's stamp goes (model hash, objective, workload).</summary>
    public string? VariantStampFile { get; set; }

    /// <summary>CompilerLlmTune: true, false or empty (false).</summary>
    public string? Tune { get; set; }
    /// <summary>CompilerLlmBenchmarkCommand (defaulted to the test command by the targets).</summary>
    public string? BenchmarkCommand { get; set; }
    public string? TuneCandidates { get; set; }
    public string? TuneRounds { get; set; }
    public string? TuneMargin { get; set; }
    /// <summary>CompilerLlmTuneTestVariant: test only.</summary>
    public string? TuneTestVariant { get; set; }
    /// <summary>Where the tune configuration's stamp goes.</summary>
    public string? TuneStampFile { get; set; }

    /// <summary>Resolved path and version of the compiler (goes into every compile stamp).</summary>
    [Output] public string CompilerIdentity { get; private set; } = "";
    /// <summary>True when the optimizer runs in this build.</summary>
    [Output] public bool OptimizeEffective { get; private set; }
    [Output] public string PolicyIdentity { get; private set; } = "";
    /// <summary>True when units choose variants in this build (a variant model loaded, or the size objective).</summary>
    [Output] public bool VariantsEffective { get; private set; }
    /// <summary>True when tune mode measures variants in this build.</summary>
    [Output] public bool TuneEffective { get; private set; }

    public override bool Execute()
    {
        var pending = new List<PendingDiagnostic>();
        string type = string.IsNullOrWhiteSpace(NativeOutputType) ? "Application" : NativeOutputType.Trim();
        if (!OutputTypes.Contains(type, StringComparer.Ordinal))
            pending.Add(new(Diagnostics.UnknownPropertyValue, null, 0, ["NativeOutputType", type, string.Join(", ", OutputTypes)]));
        CheckPositive("CompilerLlmTestTimeout", TestTimeout, pending);
        CheckPositive("CompilerLlmMaxParallelism", MaxParallelism, pending);
        var policyRequest = PolicySelection.Parse(Policy, ProjectDirectory, pending, OnnxRuntimePath);
        bool optimize = ParseBool("CompilerLlmOptimize", Optimize, pending);
        bool validate = ParseBool("CompilerLlmValidateWithSmt", ValidateWithSmt, pending);
        VariantSelection.TryParse(Variants, ProjectDirectory, pending, out string? variantModel);
        VariantSelection.TryParseObjective(Objective, pending, out var objective);
        bool tune = ParseBool("CompilerLlmTune", Tune, pending);
        TuneSettings.Validate(TuneCandidates, TuneRounds, TuneMargin, TuneTestVariant, pending);

        string? compilerPath = ProcessRunner.FindOnPath(Compiler);
        if (compilerPath is null)
        {
            pending.Add(new(Diagnostics.CompilerNotFound, null, 0, [Compiler]));
            Report(pending);
            return false;
        }
        var version = Probe(compilerPath, ["-dumpfullversion"]);
        CompilerIdentity = $"{compilerPath};{version.StandardOutput.Trim()}";

        if (optimize && policyRequest is not null)
        {
            // What the compiler targets with the project's flags, from its predefined macros.
            var macros = Probe(compilerPath, [.. SafeSplit(CFlags), "-dM", "-E", "-x", "c", "/dev/null"]);
            var defines = macros.StandardOutput;
            bool linux = OperatingSystem.IsLinux();
            bool gcc = macros.Succeeded && defines.Contains("#define __GNUC__ ", StringComparison.Ordinal) && !defines.Contains("__clang__", StringComparison.Ordinal);
            bool x8664 = defines.Contains("#define __x86_64__ 1", StringComparison.Ordinal) && !defines.Contains("#define __ILP32__ 1", StringComparison.Ordinal);
            if (!linux) pending.Add(new(Diagnostics.WindowsHost, null, 0, [RuntimeInformation.OSDescription]));
            else if (!gcc) pending.Add(new(Diagnostics.NotGcc, null, 0, [Compiler, macros.Succeeded ? "it does not define __GNUC__ without __clang__" : macros.StandardError.Trim()]));
            else if (!x8664) pending.Add(new(Diagnostics.NotX8664, null, 0, [TargetName(defines, compilerPath)]));
            OptimizeEffective = linux && gcc && x8664;
        }

        if (OptimizeEffective)
        {
            if (!string.IsNullOrWhiteSpace(FaultInjectionFunction))
                pending.Add(new(Diagnostics.FaultInjectionOn, null, 0, [FaultInjectionFunction.Trim()]));
            var policy = PolicyCache.GetOrLoad(BuildEngine, policyRequest!, pending);
            PolicyIdentity = policy.Identity;
            BuildStamp.Write(OptimizeStampFile,
            [
                new("package", BuildStamp.PackageIdentity),
                new("policy", policy.Identity),
                new("validate", validate ? "smt" : "none"),
                new("fault-injection", FaultInjectionFunction?.Trim() ?? ""),
                new("objective", objective == CompilerLLM.Variants.VariantObjective.Size ? "size" : "speed"),
            ]);
            VariantsEffective = objective == CompilerLLM.Variants.VariantObjective.Size || VariantSelection.Load(BuildEngine, variantModel, pending) is not null;
            if (tune) TuneEffective = CheckTune(type, objective, pending);
            // Tune mode rewrites the compile step's decisions: turning it on or off makes every unit choose again.
            if (!string.IsNullOrEmpty(VariantStampFile))
                BuildStamp.Write(VariantStampFile,
                [
                    new("package", BuildStamp.PackageIdentity), new("variants", VariantSelection.Identity(variantModel, objective, ProfileWorkload)),
                    new("tune", TuneEffective ? "true" : "false"),
                ]);
            if (!string.IsNullOrEmpty(TuneStampFile))
                BuildStamp.Write(TuneStampFile,
                [
                    new("package", BuildStamp.PackageIdentity), new("tune", TuneEffective ? "true" : "false"), new("benchmark", BenchmarkCommand ?? ""),
                    new("test-command", TestCommand ?? ""), new("candidates", TuneCandidates ?? ""), new("rounds", TuneRounds ?? ""),
                    new("margin", TuneMargin ?? ""), new("test-variant", TuneTestVariant ?? ""),
                ]);
        }
        BuildStamp.Write(LinkStampFile,
        [
            new("package", BuildStamp.PackageIdentity),
            new("type", type),
            new("output", NativeOutputPath ?? ""),
            new("link-flags", LinkFlags ?? ""),
            new("test-command", TestCommand ?? ""),
            new("test-timeout", TestTimeout ?? ""),
            new("optimize", OptimizeEffective ? "true" : "false"),
        ]);
        Report(pending);
        return !Log.HasLoggedErrors;
    }

    /// <summary>Whether tune mode can run in this build; CLLM2011 when it cannot, CLLM2013 for the test-only variant.</summary>
    private bool CheckTune(string type, CompilerLLM.Variants.VariantObjective objective, List<PendingDiagnostic> pending)
    {
        string? why = null;
        if (objective == CompilerLLM.Variants.VariantObjective.Size) why = "the objective is size (sizes are measured exactly without it)";
        else if (!VariantsEffective) why = "no variant model chooses the variants (CompilerLlmVariants is base, or the model cannot be used)";
        else if (string.IsNullOrWhiteSpace(BenchmarkCommand)) why = "there is no benchmark command (CompilerLlmBenchmarkCommand, by default CompilerLlmTestCommand)";
        else if (type == "StaticLibrary") why = "a static library is not relinked for timing (tune mode times an Application or a SharedLibrary)";
        if (why is not null)
        {
            pending.Add(new(Diagnostics.TuneNotPossible, null, 0, [why]));
            return false;
        }
        if (CompilerLLM.Pipeline.TuneCandidateInjection.TryParse(TuneTestVariant, out var injection) && injection is not null)
            pending.Add(new(Diagnostics.TuneTestVariantOn, null, 0, [injection.Variant.Name, string.Join(' ', injection.Variant.Flags)]));
        return true;
    }

    internal static bool ParseBool(string name, string? value, List<PendingDiagnostic> pending)
    {
        string v = (value ?? "").Trim();
        if (v.Length == 0 || v.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        if (v.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        pending.Add(new(Diagnostics.UnknownPropertyValue, null, 0, [name, v, "true or false"]));
        return false;
    }

    private static void CheckPositive(string name, string? value, List<PendingDiagnostic> pending)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        if (!int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) || n <= 0)
            pending.Add(new(Diagnostics.InvalidNumber, null, 0, [name, value]));
    }

    private static List<string> SafeSplit(string? flags)
    {
        try
        {
            return CommandLine.Split(flags);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static string TargetName(string defines, string compiler)
    {
        if (defines.Contains("#define __i386__ 1", StringComparison.Ordinal)) return "i386 (-m32)";
        if (defines.Contains("#define __ILP32__ 1", StringComparison.Ordinal)) return "x32 (-mx32)";
        return Probe(compiler, ["-dumpmachine"]).StandardOutput.Trim();
    }

    private static ProcessResult Probe(string compiler, IReadOnlyList<string> args) =>
        new Gcc(ToolchainOptions.Default with { Compiler = compiler }).Probe(args);
}
