using System.Collections.Concurrent;
using CompilerLLM.Caching;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using CompilerLLM.Variants;

namespace CompilerLLM.Launcher.Scoring;

/// <summary>
/// The server's side of <see cref="UnitJob"/>: runs a unit's engine work (<see cref="UnitWork"/>) for a launcher, with
/// the policies and variant models loaded once for the server's life, and stores the result in the launcher's cache
/// as the launcher would. Anything it cannot do as the launcher would (another environment, a policy that does not
/// load or is not the launcher's, any failure of the engine) is a decline: the launcher then runs the unit itself and
/// meets the same failure in its own process, with its own handling and words.
/// </summary>
internal sealed class UnitService
{
    private readonly ConcurrentDictionary<PolicyRequest, Lazy<LoadedPolicy>> _policies = new();
    private readonly ConcurrentDictionary<(string Path, string Sha), Lazy<VariantPolicy>> _variants = new();
    private long _units;

    /// <summary>Units run to the end (done or GCC's object failing), for the server's status.</summary>
    public long Units => Interlocked.Read(ref _units);

    /// <summary>
    /// Builds what the first unit would otherwise wait for: the rule catalogues, Iced's decoder, encoder and formatter
    /// tables, and the shipped policy with ONNX Runtime. The server runs it beside its first requests; best effort.
    /// </summary>
    public void Prewarm()
    {
        try
        {
            _ = Rewriting.RuleCatalogue.All.Count;
            _ = new Assembly.AsmPrinter();
            var decoder = Iced.Intel.Decoder.Create(64, new Iced.Intel.ByteArrayCodeReader([0x48, 0x01, 0xd8])); // add %rbx, %rax
            decoder.Decode(out var instruction);
            Iced.Intel.Encoder.Create(64, new Iced.Intel.StreamCodeWriter(Stream.Null)).TryEncode(instruction, 0, out _, out _);
            var request = PolicyRequest.Default;
            if (File.Exists(request.ModelPath) && Policy(request, request.Identity()) is { Model: { } model }) _ = model.Threshold;
        }
        catch (Exception e) when (e is Inference.PolicyLoadException or IOException or UnauthorizedAccessException) { }
    }

    public FrameWriter Run(UnitJob job)
    {
        var reply = new FrameWriter().Byte(0);
        if (EnvironmentDifference(job) is { } variable)
            return UnitJobReply.Write(reply, UnitJobOutcome.Declined, $"{variable} is not the server's");
        // A program named relative to the launcher's directory would be looked up relative to the server's.
        if (job.Compiler.Contains('/') && !Path.IsPathRooted(job.Compiler))
            return UnitJobReply.Write(reply, UnitJobOutcome.Declined, "the compiler is named by a relative path");
        if (!PolicyRequest.TryParse(job.Policy, job.WorkingDirectory, out var request, out string? error))
            return UnitJobReply.Write(reply, UnitJobOutcome.Declined, error ?? "policy");
        try
        {
            var policy = Policy(request, job.PolicyIdentity);
            if (policy is null) return UnitJobReply.Write(reply, UnitJobOutcome.Declined, "the policy file is not the one the launcher hashed");
            VariantPolicy? variant = job.VariantModel.Length == 0 ? null : Variant(job.VariantModel);

            var gcc = new Gcc(ToolchainOptions.Default with
            {
                Compiler = job.Compiler,
                MemoDirectory = job.MemoDirectory.Length == 0 ? null : job.MemoDirectory,
            }, job.WorkingDirectory);
            var builder = new UnitBuilder(gcc);
            var unit = new TranslationUnit(job.Source, job.Arguments, UnitFiles.At(job.FilesRoot));
            string? fault = job.FaultInjectionFunction.Length == 0 ? null : job.FaultInjectionFunction;
            UnitReport report;
            try
            {
                report = UnitWork.Run(builder, unit, () => UnitWork.Options(policy, job.ValidateWithSmt, fault), () => variant);
            }
            catch (GccObjectException e)
            {
                Interlocked.Increment(ref _units);
                return UnitJobReply.Write(reply, UnitJobOutcome.GccObjectFailed, UnitBuilder.FirstErrorLine(e.Assembler.StandardError));
            }
            bool held = false;
            if (job.CacheKey.Length > 0)
            {
                using var phase = PhaseTimings.Start("launcher.cache-save");
                var cache = new UnitCache(new ContentCache(job.CacheDirectory, job.CacheSize), job.CacheConfiguration);
                held = cache.Save(new CacheKey(job.CacheKey), unit, unit.Files.Object, report);
            }
            Interlocked.Increment(ref _units);
            return UnitJobReply.Write(reply, UnitJobOutcome.Done, "", held, report);
        }
        catch (Exception e)
        {
            // The launcher runs the unit itself and handles what fails there as it always does (a missing tool, a
            // policy that cannot load, a defect of the engine): a decline hides nothing.
            return UnitJobReply.Write(new FrameWriter().Byte(0), UnitJobOutcome.Declined, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The server's own values of <see cref="UnitJob.ToolEnvironment"/>: its environment does not change while it runs.</summary>
    private readonly IReadOnlyList<string> _environment = UnitJob.CurrentEnvironment();

    private string? EnvironmentDifference(UnitJob job)
    {
        var mine = _environment;
        if (job.Environment.Count != mine.Count) return "the environment";
        for (int i = 0; i < mine.Count; i++)
            if (!string.Equals(mine[i], job.Environment[i], StringComparison.Ordinal)) return UnitJob.ToolEnvironment[i];
        return null;
    }

    /// <summary>The loaded policy the request names, when its identity is the launcher's (a model file replaced since it was loaded is loaded again).</summary>
    private LoadedPolicy? Policy(PolicyRequest request, string launcherIdentity)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var lazy = _policies.GetOrAdd(request, r => new Lazy<LoadedPolicy>(() => r.LoadOnFirstUse(), LazyThreadSafetyMode.ExecutionAndPublication));
            LoadedPolicy policy;
            try
            {
                policy = lazy.Value;
            }
            catch (Inference.PolicyLoadException)
            {
                _policies.TryRemove(new KeyValuePair<PolicyRequest, Lazy<LoadedPolicy>>(request, lazy));
                throw;
            }
            if (policy.Identity == launcherIdentity) return policy;
            _policies.TryRemove(new KeyValuePair<PolicyRequest, Lazy<LoadedPolicy>>(request, lazy));
        }
        return null;
    }

    private VariantPolicy Variant(string path)
    {
        var key = (path, Inference.ScoringModel.Sha256Of(path));
        var lazy = _variants.GetOrAdd(key, k => new Lazy<VariantPolicy>(() => VariantPolicy.Load(k.Path), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _variants.TryRemove(new KeyValuePair<(string, string), Lazy<VariantPolicy>>(key, lazy));
            throw;
        }
    }
}
