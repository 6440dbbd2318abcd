using System.CommandLine;
using System.Text.Json;
using CompilerLLM.Assembly;
using CompilerLLM.Pipeline;
using CompilerLLM.Inference;

namespace CompilerLLM.Cli;

internal static class OptimizeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "GCC x86-64 AT&T assembly (.s)" };
        var output = new Option<string>("-o", "--output") { Description = "Where to write the optimized assembly", Required = true };
        var policy = new Option<string>("--policy") { Description = "default (the shipped ONNX model) | PATH.onnx | all (every validated candidate, greedily) | none", DefaultValueFactory = _ => "default" };
        var threshold = new Option<float?>("--threshold") { Description = "Apply a candidate only when the model scores it above this (default: the model's own threshold)" };
        var report = new Option<string?>("--report") { Description = "Write the JSON report here" };
        var fuel = new Option<int?>("--fuel") { Description = "Apply at most N rewrites (bisect a miscompile to one rewrite)" };
        var rules = new Option<string[]>("--rule") { Description = "Only these rules (repeatable); default: every rule applied by default", AllowMultipleArgumentsPerToken = true };
        var validate = new Option<string?>("--validate") { Description = "smt: re-prove every changed block with z3" };
        var command = new Command("optimize", "Enumerate verified rewrites, choose with the policy, apply, re-check and print")
        {
            input, output, policy, threshold, report, fuel, rules, validate,
        };
        command.SetAction(parse => CliErrors.Guard(() => Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(policy)!, parse.GetValue(threshold),
            parse.GetValue(report), parse.GetValue(fuel), parse.GetValue(rules), parse.GetValue(validate))));
        return command;
    }

    private static int Run(string input, string output, string policyName, float? threshold, string? reportPath, int? fuel, string[]? ruleNames, string? validate)
    {
        if (!PolicyRequest.TryParse(policyName, Environment.CurrentDirectory, out var request, out string? policyError)) return CliErrors.Fail("--policy: " + policyError);
        if (threshold is { } t && !float.IsFinite(t)) return CliErrors.Fail("--threshold must be a finite number");
        if (validate is not null and not "smt") return CliErrors.Fail($"unknown --validate '{validate}' (expected smt)");
        if (fuel is < 0) return CliErrors.Fail("--fuel must be zero or more");
        if (ruleNames is { Length: > 0 })
        {
            var unknown = ruleNames.Where(n => !CompilerLLM.Rewriting.RuleCatalogue.IsKnown(n)).ToList();
            if (unknown.Count > 0) return CliErrors.Fail($"unknown rule(s): {string.Join(", ", unknown)}");
        }
        var file = AsmReader.ReadFile(input);
        using var policy = request.Load();
        var options = policy.ToOptions() with
        {
            Threshold = threshold,
            Fuel = fuel,
            Rules = ruleNames is { Length: > 0 } ? ruleNames.ToHashSet(StringComparer.Ordinal) : null,
            ValidateWithSmt = validate == "smt",
        };
        var result = Optimizer.Optimize(file, options);
        File.WriteAllText(output, result.Text);
        var r = result.Report;
        if (reportPath is not null)
        {
            File.WriteAllText(reportPath, JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true }));
        }
        double cycles = r.FunctionReports.Sum(f => f.EstimatedCycleDelta);
        int bytes = r.FunctionReports.Sum(f => f.SizeDelta);
        Console.WriteLine($"optimize: {r.Functions} functions, {r.Candidates} candidates, {r.Applied} applied, {r.Fallbacks} fallbacks, {bytes} bytes saved, estimated {cycles:+0.##;-0.##;0} cycles");
        return 0;
    }
}
