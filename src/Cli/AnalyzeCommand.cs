using System.CommandLine;

namespace CompilerLLM.Cli;

internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var command = new Command("analyze", "Print basic blocks, liveness and the dependence graph of each function");
        return command;
    }
}
