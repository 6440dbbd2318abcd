using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompilerLLM.Training.Variants;

/// <summary>
/// The trainer's hand-off to the harness (<c>compilerllm variants SUITE --assignments FILE</c>): per method, per program,
/// the units that are not base and their variant ("compilerllm.variant-assignments/1").
/// </summary>
public static class AssignmentsFile
{
    public const string Schema = "compilerllm.variant-assignments/1";

    public static string Write(IReadOnlyList<VariantProgram> programs, IReadOnlyList<(string Method, int[][] Assignments)> methods)
    {
        var root = new JsonObject { ["schema"] = Schema };
        var all = new JsonObject();
        foreach (var (method, assignments) in methods)
        {
            var perProgram = new JsonObject();
            for (int i = 0; i < programs.Count; i++)
            {
                var units = new JsonObject();
                for (int u = 0; u < programs[i].Units.Count; u++)
                    // A source listed twice (two units built from one file) keeps its first unit's choice: the key is the source.
                    if (assignments[i][u] != 0 && !units.ContainsKey(programs[i].Units[u].Source))
                        units[programs[i].Units[u].Source] = VariantCorpus.Variants[assignments[i][u]].Name;
                perProgram[programs[i].Name] = units;
            }
            all[method] = perProgram;
        }
        root["methods"] = all;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
