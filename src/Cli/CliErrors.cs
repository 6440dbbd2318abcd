using CompilerLLM.Assembly;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Cli;

/// <summary>Turns the errors users can cause into one clear line and exit code 2, never a stack trace.</summary>
internal static class CliErrors
{
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (AsmReadException e)
        {
            return Fail(e.Message);
        }
        catch (CompilerLLM.Toolchain.Z3NotFoundException e)
        {
            return Fail(e.Message);
        }
        catch (CompilerLLM.Inference.PolicyLoadException e)
        {
            return Fail(e.Message);
        }
        catch (ToolNotFoundException e)
        {
            return Fail($"{e.Message} (run scripts/setup.sh, or install binutils/gcc)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(e.Message);
        }
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"compilerllm: error: {message}");
        return 2;
    }
}
