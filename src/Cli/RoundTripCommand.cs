using System.CommandLine;
using CompilerLLM.Assembly;
using CompilerLLM.Lab.RoundTrip;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Cli;

internal static class RoundTripCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "GCC x86-64 AT&T assembly files (.s)", Arity = ArgumentArity.OneOrMore };
        var verbose = new Option<bool>("--verbose") { Description = "List every line kept verbatim, with its reason" };
        var keep = new Option<string?>("--keep-printed") { Description = "Directory to keep each printed file in (NAME.printed.s)" };
        var command = new Command("roundtrip", "Model each file, print every instruction through the formatter, re-assemble and compare objects byte for byte")
        {
            files, verbose, keep,
        };
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(verbose), parse.GetValue(keep)));
        return command;
    }

    private static int Run(string[] files, bool verbose, string? keepDir)
    {
        if (ProcessRunner.FindOnPath("as") is null)
        {
            Console.Error.WriteLine("compilerllm: error: GNU as was not found on PATH (install binutils)");
            return 2;
        }
        if (keepDir is not null) Directory.CreateDirectory(keepDir);
        int instructions = 0, verbatim = 0, mismatches = 0, done = 0;
        foreach (var path in files)
        {
            done++;
            string? keep = keepDir is null ? null : Path.Combine(keepDir, Path.GetFileNameWithoutExtension(path) + ".printed.s");
            var result = RoundTripCheck.Run(path, keepPrintedAs: keep);
            instructions += result.Instructions;
            verbatim += result.Verbatim;
            if (result.Error is not null)
            {
                mismatches++;
                Console.Error.WriteLine($"compilerllm: error: {result.Error}");
                continue;
            }
            if (!result.Identical)
            {
                mismatches++;
                Console.WriteLine($"{path}: MISMATCH");
                foreach (var d in result.Differences) Console.WriteLine($"  {d}");
            }
            else if (files.Length > 1 && (done % 25 == 0)) Console.Error.WriteLine($"[{done}/{files.Length}] ...");
            if (verbose)
            {
                foreach (var d in result.Diagnostics) Console.WriteLine($"  verbatim {d}");
            }
        }
        Console.WriteLine($"roundtrip: {files.Length} files, {instructions} instructions modeled, {verbatim} verbatim, {mismatches} mismatches");
        return mismatches == 0 ? 0 : 1;
    }
}
