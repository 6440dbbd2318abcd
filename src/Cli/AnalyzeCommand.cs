using System.CommandLine;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;

namespace CompilerLLM.Cli;

internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A GCC x86-64 AT&T assembly file (.s)" };
        var function = new Option<string?>("--function") { Description = "Only this function" };
        var noDeps = new Option<bool>("--no-dependences") { Description = "Omit the per-block dependence graphs" };
        var command = new Command("analyze", "Print basic blocks, liveness and the dependence graph of each function, for people debugging rules")
        {
            file, function, noDeps,
        };
        command.SetAction(parse => CliErrors.Guard(() => Run(parse.GetValue(file)!, parse.GetValue(function), !parse.GetValue(noDeps))));
        return command;
    }

    private static int Run(string path, string? only, bool dependences)
    {
        var file = AsmReader.ReadFile(path);
        var output = Console.Out;
        int shown = 0;
        var builder = new EffectsBuilder();
        foreach (var function in file.Functions)
        {
            if (only is not null && function.Name != only) continue;
            shown++;
            var analysis = FunctionAnalysis.Analyze(file, function, builder);
            var cfg = analysis.Cfg;
            output.WriteLine($"function {function.Name}  ({path}:{function.FirstLine + 1}-{function.EndLine + 1}, section {file.Sections[function.Section].Name}, {cfg.Blocks.Length} blocks, {cfg.Nodes.Length} instructions)");
            foreach (var block in cfg.Blocks)
            {
                string labels = block.Labels.Count > 0 ? " [" + string.Join(' ', block.Labels) + "]" : "";
                string succ = string.Join(' ', block.Successors.Select(s => "B" + s));
                string exit = block.Exit == BlockExit.None ? "" : $"  exit: {block.Exit}";
                output.WriteLine($"  B{block.Index}{labels}  succ: {(succ.Length == 0 ? "-" : succ)}{exit}");
                output.WriteLine($"    live-in  {analysis.Liveness.LiveIn(block.Index)}");
                for (int node = block.FirstNode; node < block.EndNode; node++)
                {
                    int line = cfg.Nodes[node];
                    string marker = file.Lines[line].Kind == LineKind.Verbatim ? " (verbatim)" : "";
                    output.WriteLine($"    {line + 1,6}: {file.TextOf(line).ToString().Trim(),-40}{marker}  live-after {analysis.Liveness.LiveAfter(node)}");
                }
                output.WriteLine($"    live-out {analysis.Liveness.LiveOut(block.Index)}");
                if (dependences && block.NodeCount > 1)
                {
                    var graph = analysis.Dependences(block.Index);
                    foreach (var e in graph.Edges)
                    {
                        output.WriteLine($"      dep {cfg.Nodes[block.FirstNode + e.From] + 1} -> {cfg.Nodes[block.FirstNode + e.To] + 1}  {e.Kind}");
                    }
                }
            }
        }
        if (only is not null && shown == 0)
        {
            Console.Error.WriteLine($"compilerllm: error: {path}: no function named '{only}' (functions: {string.Join(", ", file.Functions.Select(f => f.Name))})");
            return 2;
        }
        output.WriteLine($"analyze: {shown} functions, {file.Instructions.Length} instructions modeled, {file.VerbatimCount} verbatim");
        return 0;
    }
}
