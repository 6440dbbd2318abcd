using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Cost;

namespace CompilerLLM.Lab.Variants;

/// <summary>
/// The engine's static cost of one compiled unit: Σ over every function's basic blocks of the <see cref="StaticCost"/>
/// cycles of its instructions × the block's weight, 10^(loop depth) — a block in a loop is taken to run ten times per
/// run of the loop around it. The "cost-model choice" baseline of the variant policy is the variant with the smallest
/// estimate per unit. Profile counts are not used: GCC's profile (<c>.gcda</c>) names functions only through the
/// <c>.gcno</c> notes, which the engine does not read yet (docs/variants.md).
/// </summary>
public static class UnitCostEstimate
{
    public static double Cycles(AsmFile file)
    {
        double total = 0;
        foreach (var function in file.Functions)
        {
            var cfg = ControlFlowGraph.Build(file, function);
            var depth = Loops.Depths(cfg);
            foreach (var block in cfg.Blocks)
            {
                double weight = Math.Pow(10, depth[block.Index]);
                for (int node = block.FirstNode; node < block.EndNode; node++)
                {
                    var line = file.Lines[cfg.Nodes[node]];
                    if (line.HasInstruction) total += weight * StaticCost.Cycles(file.Instructions[line.Instruction].Instruction);
                }
            }
        }
        return total;
    }
}
