using System.Diagnostics;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Lab.Measurement;

/// <summary>Throughput and memory of the in-process model and analyses, apart from the assembler.</summary>
public sealed record ModelBenchmarkResult(
    int Files,
    long Lines,
    long Instructions,
    double AssemblerSeconds,
    double ModelSeconds,
    double AnalysisSeconds,
    double AllocatedBytesPerInstruction,
    double RetainedBytesPerInstruction,
    double SourceBytesPerInstruction,
    double ModelBytesPerInstruction)
{
    public double InstructionsPerSecond => Instructions / (ModelSeconds + AnalysisSeconds);
}

/// <summary>
/// Times <see cref="AsmReader.Build(string,string,string,ElfObject)"/> plus CFG, effects, liveness and every
/// block's dependence graph over a set of files, single-threaded, after a warm-up pass; GAS runs
/// once per file beforehand and is reported separately. Memory is what the models and analyses
/// keep alive (source text included), measured with full collections around building them all.
/// </summary>
public static class ModelBenchmark
{
    public static ModelBenchmarkResult Run(IReadOnlyList<string> files, int iterations, Action<string>? progress = null)
    {
        var inputs = new List<(string Path, string Listing, byte[] Object)>(files.Count);
        var assembler = GasAssembler.Default;
        var sw = Stopwatch.StartNew();
        using (var temp = new TempDirectory())
        {
            foreach (var path in files)
            {
                string obj = temp.File("b.o"), lst = temp.File("b.lst");
                assembler.Assemble(path, obj, lst);
                inputs.Add((path, File.ReadAllText(lst), File.ReadAllBytes(obj)));
            }
        }
        double assemblerSeconds = sw.Elapsed.TotalSeconds;
        var sources = inputs.Select(i => File.ReadAllText(i.Path)).ToArray();

        long instructions = 0, lines = 0;
        foreach (var (file, _) in Pass(inputs, sources, keep: false)) { instructions += file.Instructions.Length; lines += file.Lines.Length; }
        progress?.Invoke($"warm-up done: {inputs.Count} files, {instructions} instructions");

        double modelSeconds = double.MaxValue, analysisSeconds = double.MaxValue;
        long allocated = long.MaxValue;
        for (int it = 0; it < iterations; it++)
        {
            long alloc0 = GC.GetAllocatedBytesForCurrentThread();
            double model = 0, analysis = 0;
            var t = Stopwatch.StartNew();
            for (int f = 0; f < inputs.Count; f++)
            {
                t.Restart();
                var file = AsmReader.Build(inputs[f].Path, sources[f], inputs[f].Listing, ElfObject.Read(inputs[f].Object));
                model += t.Elapsed.TotalSeconds;
                t.Restart();
                AnalyzeAll(file, new EffectsBuilder());
                analysis += t.Elapsed.TotalSeconds;
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - alloc0);
            modelSeconds = Math.Min(modelSeconds, model);
            analysisSeconds = Math.Min(analysisSeconds, analysis);
            progress?.Invoke($"iteration {it + 1}/{iterations}: model {instructions / model / 1e6:F2} M instr/s, model+analyses {instructions / (model + analysis) / 1e6:F2} M instr/s");
        }

        // Retained: everything reachable from the models and analyses, with the source text.
        long Retained(bool analyses)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var kept = new List<object>();
            for (int f = 0; f < inputs.Count; f++)
            {
                var source = new string(sources[f].AsSpan());
                var file = AsmReader.Build(inputs[f].Path, source, inputs[f].Listing, ElfObject.Read(inputs[f].Object));
                kept.Add(file);
                if (analyses) kept.Add(AnalyzeAll(file, new EffectsBuilder()));
            }
            long after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(kept);
            return after - before;
        }
        long modelOnly = Retained(analyses: false);
        long all = Retained(analyses: true);
        long sourceBytes = sources.Sum(s => 2L * s.Length + 24);

        return new ModelBenchmarkResult(inputs.Count, lines, instructions, assemblerSeconds, modelSeconds, analysisSeconds,
            (double)allocated / instructions, (double)all / instructions, (double)sourceBytes / instructions, (double)modelOnly / instructions);
    }

    private static IEnumerable<(AsmFile, List<FunctionAnalysis>)> Pass(List<(string Path, string Listing, byte[] Object)> inputs, string[] sources, bool keep)
    {
        for (int f = 0; f < inputs.Count; f++)
        {
            var file = AsmReader.Build(inputs[f].Path, sources[f], inputs[f].Listing, ElfObject.Read(inputs[f].Object));
            yield return (file, AnalyzeAll(file, new EffectsBuilder()));
        }
    }

    private static List<FunctionAnalysis> AnalyzeAll(AsmFile file, EffectsBuilder builder)
    {
        var all = new List<FunctionAnalysis>(file.Functions.Count);
        foreach (var function in file.Functions)
        {
            var analysis = FunctionAnalysis.Analyze(file, function, builder);
            for (int b = 0; b < analysis.Cfg.Blocks.Length; b++) analysis.Dependences(b);
            all.Add(analysis);
        }
        return all;
    }
}
