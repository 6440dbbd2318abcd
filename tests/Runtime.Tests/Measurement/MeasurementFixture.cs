using CompilerLLM.Assembly;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Measurement;

/// <summary>Programs written for the measurement tests, built with the real gcc and as in a temporary directory.</summary>
public sealed class MeasurementWorkspace : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-measurement-tests-");

    public void Dispose() => _temp.Dispose();

    public string File(string name) => _temp.File(name);

    public string Write(string name, string text)
    {
        string path = _temp.File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>GCC's assembly for a C source.</summary>
    public string CompileToAssembly(string name, string c, string flags = "-O2")
    {
        string cFile = Write(name + ".c", c), sFile = _temp.File(name + ".s");
        var gcc = ProcessRunner.Run(new ProcessSpec("gcc", ["-S", "-w", .. flags.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-o", sFile, cFile]));
        Assert.True(gcc.Succeeded, gcc.StandardError);
        return sFile;
    }

    public string Link(string name, params string[] inputs)
    {
        string exe = _temp.File(name);
        var linked = new Gcc(ToolchainOptions.Default).Link(NativeOutputKind.Application, inputs, exe, ["-lm"]);
        Assert.True(linked.Succeeded, linked.StandardError);
        return exe;
    }
}
