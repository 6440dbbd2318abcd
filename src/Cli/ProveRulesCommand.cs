using System.Collections.Concurrent;
using System.CommandLine;
using CompilerLLM.Rewriting;
using CompilerLLM.Verification;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Cli;

internal static class ProveRulesCommand
{
    public static Command Create()
    {
        var only = new Option<string[]>("--rule") { Description = "Only these rules (repeatable)", AllowMultipleArgumentsPerToken = true };
        var verbose = new Option<bool>("--verbose") { Description = "Print every proof obligation" };
        var jobs = new Option<int>("--jobs") { Description = "Parallel z3 processes", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("prove-rules", "Prove every rewrite rule with z3, for every width and encoding its pattern matches")
        {
            only, verbose, jobs,
        };
        command.SetAction(parse => CliErrors.Guard(() => Run(parse.GetValue(only), parse.GetValue(verbose), parse.GetValue(jobs))));
        return command;
    }

    private static int Run(string[]? only, bool verbose, int jobs)
    {
        if (CompilerLLM.Toolchain.ProcessRunner.FindOnPath("z3") is null)
            return CliErrors.Fail("z3 was not found on PATH (run scripts/setup.sh)");
        var rules = RuleCatalogue.All.Where(r => only is not { Length: > 0 } || only.Contains(r.Name)).ToList();
        if (only is { Length: > 0 } && rules.Count != only.Distinct().Count())
            return CliErrors.Fail($"unknown rule(s): {string.Join(", ", only.Where(n => RuleCatalogue.Find(n) is null))}");
        var results = new ConcurrentDictionary<int, RuleProofResult>();
        int done = 0;
        Parallel.For(0, rules.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) }, i =>
        {
            results[i] = RuleProver.Prove(rules[i]);
            int n = Interlocked.Increment(ref done);
            Console.Error.WriteLine($"[{n}/{rules.Count}] {rules[i].Name}");
        });
        int proven = 0, failed = 0;
        for (int i = 0; i < rules.Count; i++)
        {
            var r = results[i];
            var widths = string.Join(",", r.Rule.Widths);
            if (r.Proven)
            {
                proven++;
                Console.WriteLine($"proven  {r.Rule.Name,-28} widths {widths,-12} {r.Instances.Count,3} obligations  ;; {r.Rule.Equation}");
            }
            else
            {
                failed++;
                Console.WriteLine($"FAILED  {r.Rule.Name,-28} widths {widths,-12} ;; {r.Rule.Equation}");
                foreach (var i2 in r.Instances.Where(x => x.Status != EquivalenceStatus.Equivalent).Take(3))
                    Console.WriteLine($"        w{i2.Width} {i2.Instance}: {i2.Status}: {i2.Detail?.Split('\n').FirstOrDefault()}");
            }
            if (verbose)
            {
                foreach (var i2 in r.Instances) Console.WriteLine($"        w{i2.Width} {i2.Status,-11} {i2.Instance}");
            }
        }
        Console.WriteLine($"rules: {proven} proven, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
