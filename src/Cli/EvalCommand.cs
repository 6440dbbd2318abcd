using System.CommandLine;
using CompilerLLM.Lab.Measurement;
using CompilerLLM.Pipeline;

namespace CompilerLLM.Cli;

internal static class EvalCommand
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite") { Description = "A folder with one subfolder per program, each with its sources and a program.json" };
        var baselineFlags = new Option<string>("--baseline-flags") { Description = "GCC flags of the baseline (our build starts from the same assembly)", DefaultValueFactory = _ => "-O2" };
        var policy = new Option<string>("--policy") { Description = "default (the shipped ONNX model) | PATH.onnx | all (every validated candidate, greedily) | none", DefaultValueFactory = _ => "default" };
        var report = new Option<string?>("--report") { Description = "Write eval.json, eval.md and eval.html (with SVG plots) into this folder" };
        var pairs = new Option<int>("--pairs") { Description = $"Interleaved timing pairs per program (at least {EvalTimingOptions.MinimumPairs})", DefaultValueFactory = _ => EvalTimingOptions.MinimumPairs };
        var work = new Option<string?>("--work") { Description = "Keep both builds of every program in this folder (WORK/NAME/units holds each unit's .s, .o, .opt.s and .opt.o); default: a temporary folder removed afterwards" };
        var mcpu = new Option<string>("--mcpu") { Description = "CPU model of the llvm-mca static estimate (default: this machine's)", DefaultValueFactory = _ => "native" };
        var command = new Command("eval", "Build each program of a suite with GCC and with us, check its test, time both and estimate cycles")
        {
            suite, baselineFlags, policy, report, pairs, mcpu, work,
        };
        command.SetAction(parse => CliErrors.Guard(() => Run(parse.GetValue(suite)!, parse.GetValue(baselineFlags)!, parse.GetValue(policy)!,
            parse.GetValue(report), parse.GetValue(pairs), parse.GetValue(mcpu)!, parse.GetValue(work))));
        return command;
    }

    private static int Run(string suitePath, string baselineFlags, string policyText, string? reportDir, int pairs, string mcpu, string? workDir)
    {
        if (!PolicyRequest.TryParse(policyText, Environment.CurrentDirectory, out var request, out string? policyError))
            return CliErrors.Fail("--policy: " + policyError);
        using var policy = request.Load();
        var optimizer = policy.ToOptions();
        if (pairs < EvalTimingOptions.MinimumPairs) return CliErrors.Fail($"--pairs must be at least {EvalTimingOptions.MinimumPairs} (the timing protocol needs them for its interval)");
        if (!Directory.Exists(suitePath)) return CliErrors.Fail($"{suitePath}: the suite folder does not exist");
        var entries = EvalSuite.Discover(suitePath);
        if (entries.Count == 0) return CliErrors.Fail($"{suitePath}: no program folders with a {EvalSuite.ManifestName}");
        foreach (var bad in entries.Where(e => e.Error is not null)) Console.Error.WriteLine($"compilerllm: error: {bad.Error}");

        var options = new EvalOptions
        {
            BaselineFlags = baselineFlags,
            Optimizer = optimizer,
            Timing = new EvalTimingOptions { Pairs = pairs },
            Mcpu = mcpu,
            WorkDirectory = workDir is null ? null : Path.GetFullPath(workDir),
        };
        SuiteEvaluator evaluator;
        try
        {
            evaluator = new SuiteEvaluator(options, message => Console.Error.WriteLine("eval: " + message));
        }
        catch (LlvmMcaException e)
        {
            return CliErrors.Fail(e.Message);
        }
        Console.Error.WriteLine($"eval: {entries.Count} programs from {suitePath}, baseline gcc {baselineFlags}, policy {policyText}, llvm-mca -mcpu={evaluator.Cpu}, {pairs} pairs");
        var results = evaluator.Evaluate(entries);
        var stats = evaluator.EstimatorStatistics;
        Console.Error.WriteLine($"eval: llvm-mca: {stats.BlocksRequested} blocks, {stats.HitRate:P0} cached, {stats.McaInvocations} runs, {stats.McaTime.TotalSeconds:F2} s");
        Console.Write(EvalReport.ConsoleTable(results));
        if (reportDir is not null)
        {
            EvalReport.Write(reportDir, results, new EvalSettings(suitePath, baselineFlags, policyText, evaluator.Cpu, pairs, options.Timing.PracticalMargin));
            Console.Error.WriteLine($"eval: report written to {Path.Combine(reportDir, "eval.md")}, eval.html and eval.json");
        }
        var summary = EvalSummary.Of(results);
        Console.WriteLine(summary.Line);
        return summary.Compiled == summary.Programs && summary.Passed == summary.Programs ? 0 : 1;
    }
}
