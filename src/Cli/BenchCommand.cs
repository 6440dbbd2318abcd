using System.CommandLine;
using CompilerLLM.Lab.Corpus;
using CompilerLLM.Lab.Measurement;

namespace CompilerLLM.Cli;

internal static class BenchCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Assembly files to measure (default: a csmith corpus built in the cache)", Arity = ArgumentArity.ZeroOrMore };
        var csmith = new Option<int>("--csmith") { Description = "Number of csmith programs for the default corpus (compiled at -O0, -O2, -O3)", DefaultValueFactory = _ => 12 };
        var iterations = new Option<int>("--iterations") { Description = "Timed passes; the fastest is reported", DefaultValueFactory = _ => 3 };
        var policy = new Option<string?>("--policy") { Description = "Measure the ONNX policy instead (default | PATH.onnx): session creation and cost per candidate; with --unit, the optimizer's policy (default | PATH.onnx | all | none)" };
        var unit = new Option<string?>("--unit") { Description = "Run the per-unit entry point (what the launcher and MSBuild run) on this GCC assembly file and print wall, CPU, peak memory and phase times" };
        var arguments = new Option<string[]>("--arg") { Description = "With --unit: a GCC argument of the unit, used to assemble it (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("bench", "Measure the assembly model + analyses (instructions/second, bytes per instruction), with --policy the policy's cost per candidate, or with --unit one unit through the per-unit entry point")
        {
            files, csmith, iterations, policy, unit, arguments,
        };
        command.SetAction(parse => CliErrors.Guard(() => parse.GetValue(unit) is { } unitFile
            ? RunUnit(unitFile, parse.GetValue(policy) ?? "default", parse.GetValue(arguments) ?? [], parse.GetResult(iterations) is null or { Implicit: true } ? 1 : parse.GetValue(iterations))
            : Run(parse.GetValue(files) ?? [], parse.GetValue(csmith), parse.GetValue(iterations), parse.GetValue(policy))));
        return command;
    }

    /// <summary>
    /// One unit through the engine's entry point, as a launcher process runs it: one run unless --iterations says more
    /// (the first includes the JIT's work). CPU counts the tools the engine starts (as, gcc) apart from our own.
    /// </summary>
    private static int RunUnit(string file, string policyText, string[] arguments, int runs)
    {
        if (!File.Exists(file)) return CliErrors.Fail($"--unit: no such file '{file}'");
        if (!CompilerLLM.Pipeline.PolicyRequest.TryParse(policyText, Environment.CurrentDirectory, out var request, out string? error))
            return CliErrors.Fail("--policy: " + error);
        var r = UnitBenchmark.Run(file, request, arguments, Math.Max(1, runs), m => Console.Error.WriteLine("bench: " + m));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Console.WriteLine($"unit                  {file}");
        Console.WriteLine($"policy                {request}");
        Console.WriteLine($"lines                 {r.Lines}");
        Console.WriteLine($"instruction lines     {r.InstructionLines} ({r.ModelledInstructions} modelled)");
        for (int i = 0; i < r.Runs.Count; i++)
        {
            var run = r.Runs[i];
            var rep = run.Report;
            Console.WriteLine($"run {i + 1}: {rep.StatusText}, {rep.Functions} functions, {rep.Candidates} candidates, {rep.Applied} applied, {rep.FunctionFallbacks} function fallbacks");
            Console.WriteLine(string.Create(inv, $"  wall                {run.Wall.TotalSeconds:F3} s"));
            Console.WriteLine(string.Create(inv, $"  CPU engine          {run.Own.Cpu.TotalSeconds:F3} s (user {run.Own.User.TotalSeconds:F3}, sys {run.Own.System.TotalSeconds:F3})"));
            Console.WriteLine(string.Create(inv, $"  CPU tools           {run.Tools.Cpu.TotalSeconds:F3} s (user {run.Tools.User.TotalSeconds:F3}, sys {run.Tools.System.TotalSeconds:F3})"));
            Console.WriteLine(string.Create(inv, $"  CPU total           {run.Own.Cpu.TotalSeconds + run.Tools.Cpu.TotalSeconds:F3} s"));
            foreach (var p in run.Phases)
                Console.WriteLine(string.Create(inv, $"  phase {p.Name,-30} {p.Total.TotalSeconds,8:F3} s wall {p.Cpu.TotalSeconds,8:F3} s CPU  x{p.Count}"));
        }
        Console.WriteLine(string.Create(inv, $"peak RSS              {r.PeakRssKilobytes / 1024.0:F0} MB (this process, runtime included; the tools run apart)"));
        Console.WriteLine(string.Create(inv, $"process CPU           {r.ProcessCpu.TotalSeconds:F3} s (runtime start, every run and the instruction count, tools included)"));
        var first = r.Runs[0];
        Console.WriteLine(string.Create(inv,
            $"bench: unit {r.InstructionLines} instruction lines, {first.Wall.TotalSeconds:F2} s wall, {first.Own.Cpu.TotalSeconds + first.Tools.Cpu.TotalSeconds:F2} s CPU, {r.PeakRssKilobytes / 1024.0:F0} MB peak RSS"));
        return 0;
    }

    private static int Run(string[] files, int csmithCount, int iterations, string? policy)
    {
        if (files.Length == 0)
        {
            var builder = new CorpusBuilder(Path.Combine(CompilerLLM.Lab.Repository.DefaultCacheDirectory(Environment.CurrentDirectory), "bench"));
            var list = new List<string>();
            var flagSets = GccFlagSet.RoundTripMatrix.Where(f => f.Name is "O0" or "O2" or "O3").ToList();
            for (int seed = 1; seed <= csmithCount; seed++)
            {
                string c = builder.Csmith(seed);
                foreach (var flags in flagSets) list.Add(builder.Assembly(c, flags));
            }
            files = [.. list];
            Console.Error.WriteLine($"bench: corpus of {files.Length} files from {csmithCount} csmith programs in {builder.CacheDirectory}");
        }
        if (policy is not null) return RunPolicy(policy, files, iterations);
        var r = ModelBenchmark.Run(files, Math.Max(1, iterations), m => Console.Error.WriteLine("bench: " + m));
        Console.WriteLine($"files                 {r.Files}");
        Console.WriteLine($"lines                 {r.Lines}");
        Console.WriteLine($"instructions          {r.Instructions}");
        Console.WriteLine($"as -aln (external)    {r.AssemblerSeconds:F2} s  ({r.Instructions / r.AssemblerSeconds / 1e6:F2} M instr/s)");
        Console.WriteLine($"model                 {r.ModelSeconds:F3} s  ({r.Instructions / r.ModelSeconds / 1e6:F2} M instr/s)");
        Console.WriteLine($"analyses              {r.AnalysisSeconds:F3} s  ({r.Instructions / r.AnalysisSeconds / 1e6:F2} M instr/s)");
        Console.WriteLine($"allocated             {r.AllocatedBytesPerInstruction:F0} bytes/instruction (transient)");
        Console.WriteLine($"retained: source text {r.SourceBytesPerInstruction:F0}, model incl. text {r.ModelBytesPerInstruction:F0}, model+analyses {r.RetainedBytesPerInstruction:F0} bytes/instruction");
        Console.WriteLine($"bench: {r.Instructions} instructions, {r.InstructionsPerSecond / 1e6:F2} M instructions/s (model+analyses, 1 thread), {r.RetainedBytesPerInstruction:F0} bytes/instruction retained");
        return 0;
    }

    private static int RunPolicy(string policy, string[] files, int iterations)
    {
        if (!CompilerLLM.Pipeline.PolicyRequest.TryParse(policy, Environment.CurrentDirectory, out var request, out string? error) || request.ModelPath is null)
            return CliErrors.Fail("--policy: " + (error ?? $"'{policy}' is not a model (expected default or a path to an .onnx model)"));
        var r = PolicyBenchmark.Run(request.ModelPath, files, Math.Max(1, iterations), m => Console.Error.WriteLine("bench: " + m));
        Console.WriteLine($"session: first {r.FirstLoadMilliseconds:F1} ms (incl. ONNX Runtime environment), then {r.LoadMilliseconds:F2} ms");
        Console.WriteLine($"batches: {r.Functions} functions, {r.Candidates} candidates, median {r.MedianBatch}, p90 {r.P90Batch}, max {r.MaxBatch} per function");
        foreach (var (batch, us) in r.FixedBatches) Console.WriteLine($"run of {batch,3} rows: {us:F3} µs/row");
        Console.WriteLine($"bench: policy {r.TotalMicrosecondsPerCandidate:F2} µs/candidate (features {r.ExtractMicrosecondsPerCandidate:F2} + ONNX Runtime {r.ScoreMicrosecondsPerCandidate:F2}), session {r.LoadMilliseconds:F2} ms");
        return 0;
    }
}
