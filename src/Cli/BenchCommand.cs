using System.CommandLine;

namespace CompilerLLM.Cli;

internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure model + analysis throughput and memory");
        return command;
    }
}
