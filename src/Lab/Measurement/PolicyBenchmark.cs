using System.Diagnostics;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Inference;
using CompilerLLM.Rewriting;

namespace CompilerLLM.Lab.Measurement;

/// <summary>What the policy costs at build time.</summary>
public sealed record PolicyBenchmarkResult(
    double FirstLoadMilliseconds,
    double LoadMilliseconds,
    int Functions,
    long Candidates,
    int MedianBatch,
    int P90Batch,
    int MaxBatch,
    double ExtractMicrosecondsPerCandidate,
    double ScoreMicrosecondsPerCandidate,
    IReadOnlyList<(int Batch, double MicrosecondsPerRow)> FixedBatches)
{
    public double TotalMicrosecondsPerCandidate => ExtractMicrosecondsPerCandidate + ScoreMicrosecondsPerCandidate;
}

/// <summary>
/// Times the policy the way the optimizer uses it: per function, feature extraction of every valid candidate
/// and one batched ONNX Runtime run, over real files (so batch sizes are the real distribution), single thread,
/// best of several passes after a warm-up. Session creation is timed separately, the first one including
/// ONNX Runtime's process-wide environment.
/// </summary>
public static class PolicyBenchmark
{
    public static PolicyBenchmarkResult Run(string modelPath, IReadOnlyList<string> files, int iterations, Action<string>? progress = null)
    {
        var sw = Stopwatch.StartNew();
        using var policy = RewritePolicy.Load(modelPath);
        double firstLoad = sw.Elapsed.TotalMilliseconds;
        double load = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            sw.Restart();
            using (RewritePolicy.Load(modelPath)) { }
            load = Math.Min(load, sw.Elapsed.TotalMilliseconds);
        }

        var enumerator = new CompilerLLM.Pipeline.CandidateEnumerator();
        var work = new List<(FunctionAnalysis Analysis, List<Candidate> Valid)>();
        foreach (string path in files)
        {
            var file = AsmReader.ReadFile(path);
            foreach (var function in file.Functions)
            {
                var analysis = FunctionAnalysis.Analyze(file, function);
                var valid = enumerator.Find(analysis).Where(c => c.IsValid).ToList();
                if (valid.Count > 0) work.Add((analysis, valid));
            }
        }
        long count = work.Sum(w => (long)w.Valid.Count);
        progress?.Invoke($"{files.Count} files, {work.Count} functions with candidates, {count} candidates");
        if (count == 0) throw new InvalidOperationException("no candidates in the given files");

        double extract = double.MaxValue, score = double.MaxValue;
        for (int it = 0; it <= iterations; it++) // pass 0 is the warm-up
        {
            double e = 0, s = 0;
            foreach (var (analysis, valid) in work)
            {
                long t0 = Stopwatch.GetTimestamp();
                float[] rows = FeatureExtractor.Extract(analysis, valid);
                long t1 = Stopwatch.GetTimestamp();
                policy.Score(rows);
                long t2 = Stopwatch.GetTimestamp();
                e += Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds;
                s += Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds;
            }
            if (it == 0) continue;
            extract = Math.Min(extract, e);
            score = Math.Min(score, s);
        }

        var batches = work.Select(w => w.Valid.Count).Order().ToArray();
        var fixedBatches = new List<(int, double)>();
        var rng = new Random(1);
        foreach (int batch in new[] { 1, 8, 32, 128, 512 })
        {
            float[] rows = [.. Enumerable.Range(0, batch * FeatureSchema.Width).Select(_ => (float)rng.NextDouble())];
            int reps = Math.Max(20, 20000 / batch);
            for (int i = 0; i < 10; i++) policy.Score(rows);
            sw.Restart();
            for (int i = 0; i < reps; i++) policy.Score(rows);
            fixedBatches.Add((batch, sw.Elapsed.TotalMicroseconds / reps / batch));
        }
        return new PolicyBenchmarkResult(firstLoad, load, work.Count, count,
            batches[batches.Length / 2], batches[(int)(batches.Length * 0.9)], batches[^1],
            extract / count, score / count, fixedBatches);
    }
}
