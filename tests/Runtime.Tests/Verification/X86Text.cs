using CompilerLLM.Assembly;
using Iced.Intel;
using Xunit.Sdk;

namespace CompilerLLM.Tests.Verification;

/// <summary>AT&amp;T instruction text to Iced instructions, through GNU as and the project's reader.</summary>
internal static class X86Text
{
    /// <summary>Instructions separated by ';' or newlines.</summary>
    public static Instruction[] Parse(string text) => ParseMany([text])[0];

    /// <summary>Several snippets assembled with one run of GNU as.</summary>
    public static List<Instruction[]> ParseMany(IReadOnlyList<string> snippets)
    {
        var lines = snippets.Select(Split).ToList();
        var source = "\t.text\n" + string.Concat(lines.SelectMany(l => l).Select(l => "\t" + l + "\n"));
        var file = AsmReader.Read("verification.s", source);
        if (file.Diagnostics.Count > 0)
            throw new XunitException("not modelled by the reader:\n" + string.Join("\n", file.Diagnostics));
        int total = lines.Sum(l => l.Length);
        if (file.Instructions.Length != total)
            throw new XunitException($"{file.Instructions.Length} instructions for {total} lines");
        var result = new List<Instruction[]>(snippets.Count);
        int next = 0;
        foreach (var l in lines)
        {
            result.Add(file.Instructions.Skip(next).Take(l.Length).Select(a => a.Instruction).ToArray());
            next += l.Length;
        }
        return result;
    }

    private static string[] Split(string text) =>
        text.Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
