using System.Globalization;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Timing;

/// <summary>
/// The object that moves a program's code: <c>N</c> bytes of <c>int3</c> in <c>.text.unlikely</c>, linked before the
/// program's first object. GNU ld's default script places <c>.text.unlikely</c> first, then <c>.text.exit</c>,
/// <c>.text.startup</c> (main), <c>.text.hot</c> and <c>.text</c>, each in command-line order, so padding in the first of
/// them shifts every function of the program (and every loop in it) by <c>N</c> — a random shift per round instead of
/// one fixed placement per build. <c>N</c> is a multiple of 16 so that 16-byte function alignment costs no extra slack;
/// the section is marked retained (<c>R</c>, SHF_GNU_RETAIN) so <c>--gc-sections</c> links keep it. Nothing refers to it
/// and it is never executed.
/// </summary>
public static class CodePadding
{
    /// <summary>The padding object of <paramref name="bytes"/> bytes in <paramref name="directory"/>, made once (null for 0).</summary>
    public static string? ObjectFor(Gcc gcc, int bytes, string directory)
    {
        if (bytes <= 0) return null;
        string obj = Path.Combine(Path.GetFullPath(directory), $"layout-pad-{bytes.ToString(CultureInfo.InvariantCulture)}.o");
        if (File.Exists(obj)) return obj;
        Directory.CreateDirectory(directory);
        string asm = obj[..^2] + ".s";
        File.WriteAllText(asm, Assembly(bytes));
        string temp = obj + $".{Environment.ProcessId}.tmp";
        var r = gcc.Assemble(asm, [], temp);
        if (!r.Succeeded) throw new InvalidOperationException("cannot assemble the layout padding: " + r.StandardError.Trim());
        File.Move(temp, obj, overwrite: true);
        return obj;
    }

    /// <summary>The padding's assembly text.</summary>
    public static string Assembly(int bytes) =>
        "\t.section\t.text.unlikely,\"axR\",@progbits\n\t.p2align 4\n" +
        $"\t.skip\t{bytes.ToString(CultureInfo.InvariantCulture)}, 0xcc\n\t.section\t.note.GNU-stack,\"\",@progbits\n";
}
