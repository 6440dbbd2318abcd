using CompilerLLM.Toolchain;

using CompilerLLM.Assembly;

namespace CompilerLLM.Lab.RoundTrip;

/// <summary>The outcome of re-printing one file through the formatter and re-assembling it.</summary>
public sealed record RoundTripResult(string File, int Instructions, int Verbatim, IReadOnlyList<string> Differences, string? Error)
{
    /// <summary>Why each verbatim line was kept verbatim.</summary>
    public IReadOnlyList<AsmDiagnostic> Diagnostics { get; init; } = [];

    public bool Identical => Error is null && Differences.Count == 0;
}

/// <summary>
/// The model's exactness check: print every modelled instruction through Iced's formatter (never
/// the original text), assemble original and printed text, and compare section bytes,
/// relocations and symbols. Anything but identical is a bug in the model.
/// </summary>
public static class RoundTripCheck
{
    public static RoundTripResult Run(string path, GasAssembler? assembler = null, string? keepPrintedAs = null)
    {
        assembler ??= GasAssembler.Default;
        AsmFile file;
        try { file = AsmReader.ReadFile(path, assembler); }
        catch (AsmReadException e) { return new RoundTripResult(path, 0, 0, [], e.Message); }

        using var temp = new TempDirectory();
        string printed = temp.File("printed.s");
        File.WriteAllText(printed, new AsmPrinter().Print(file, formatAll: true));
        if (keepPrintedAs is not null) File.Copy(printed, keepPrintedAs, overwrite: true);
        string original = temp.File("original.s");
        File.Copy(path, original);
        try
        {
            assembler.Assemble(original, temp.File("original.o"), keepLocalLabels: true);
            assembler.Assemble(printed, temp.File("printed.o"), keepLocalLabels: true);
        }
        catch (AssemblerException e)
        {
            // Name the user's file, not our temporary copies.
            string message = e.Message.Replace(original, path, StringComparison.Ordinal)
                .Replace(printed, path + " (as printed by the formatter)", StringComparison.Ordinal);
            return new RoundTripResult(path, file.Instructions.Length, file.VerbatimCount, [], message) { Diagnostics = file.Diagnostics };
        }
        var differences = ObjectComparison.Compare(ElfObject.Load(temp.File("original.o")), ElfObject.Load(temp.File("printed.o")));
        return new RoundTripResult(path, file.Instructions.Length, file.VerbatimCount, differences, null) { Diagnostics = file.Diagnostics };
    }
}
