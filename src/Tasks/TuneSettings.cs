using System.Globalization;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// The tune-mode properties as MSBuild gives them (<c>CompilerLlmTune*</c>, <c>CompilerLlmBenchmarkCommand</c>): checked
/// once by <see cref="CheckEnvironment"/> (coded errors for values that are not numbers or fractions) and turned into the
/// engine's <see cref="TuneOptions"/> by <see cref="TuneVariants"/>.
/// </summary>
public static class TuneSettings
{
    public const int DefaultCandidates = 2;
    public const double DefaultMargin = 0.02;

    /// <summary>The protocol's own default (<see cref="CompilerLLM.Timing.TimingOptions.Rounds"/>).</summary>
    public static int DefaultRounds => new CompilerLLM.Timing.TimingOptions().Rounds;

    /// <summary>Checks the numbers; adds CLLM1007 (not a positive whole number, or fewer rounds than the protocol needs) or CLLM1001 (a margin that is not a fraction).</summary>
    public static void Validate(string? candidates, string? rounds, string? margin, string? testVariant, List<PendingDiagnostic> pending)
    {
        Positive("CompilerLlmTuneCandidates", candidates, DefaultCandidates, pending);
        int r = Positive("CompilerLlmTuneRounds", rounds, DefaultRounds, pending);
        if (r > 0 && r < CompilerLLM.Timing.TimingOptions.MinimumRounds)
            pending.Add(new(Diagnostics.UnknownPropertyValue, null, 0, ["CompilerLlmTuneRounds", rounds, $"at least {CompilerLLM.Timing.TimingOptions.MinimumRounds} (the timing protocol's minimum)"]));
        Margin(margin, pending);
        if (!TuneCandidateInjection.TryParse(testVariant, out _))
            pending.Add(new(Diagnostics.UnknownPropertyValue, null, 0, ["CompilerLlmTuneTestVariant", testVariant, "name=flags with a name not in the variant table"]));
    }

    /// <summary>The engine's options, or null (with the errors that say why).</summary>
    public static TuneOptions? Parse(TuneVariants task, List<PendingDiagnostic> pending)
    {
        int errors = pending.Count;
        int candidates = Positive("CompilerLlmTuneCandidates", task.Candidates, DefaultCandidates, pending);
        int rounds = Positive("CompilerLlmTuneRounds", task.Rounds, DefaultRounds, pending);
        double margin = Margin(task.Margin, pending);
        int timeout = int.TryParse(task.TestTimeout, NumberStyles.None, CultureInfo.InvariantCulture, out int t) && t > 0 ? t : 60;
        var kind = Enum.TryParse<NativeOutputKind>(task.NativeOutputType, out var k) ? k : NativeOutputKind.Application;
        if (pending.Count > errors) return null;
        string benchmark = string.IsNullOrWhiteSpace(task.BenchmarkCommand) ? task.TestCommand ?? "" : task.BenchmarkCommand;
        return new TuneOptions(benchmark.Trim(), task.TestCommand, candidates, rounds, margin, TuneOptions.DefaultMaxUnits, TimeSpan.FromSeconds(timeout),
            task.ProjectDirectory, task.NativeOutputPath, kind, CommandLine.Split(task.LinkFlags), task.WorkDirectory);
    }

    private static int Positive(string name, string? value, int fallback, List<PendingDiagnostic> pending)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0) return n;
        pending.Add(new(Diagnostics.InvalidNumber, null, 0, [name, value]));
        return 0;
    }

    private static double Margin(string? value, List<PendingDiagnostic> pending)
    {
        if (string.IsNullOrWhiteSpace(value)) return DefaultMargin;
        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double m) && m >= 0 && m < 1) return m;
        pending.Add(new(Diagnostics.UnknownPropertyValue, null, 0, ["CompilerLlmTuneMargin", value, "a fraction from 0 to below 1, such as 0.02"]));
        return double.NaN;
    }
}
