using CompilerLLM.Assembly;
using CompilerLLM.Tests.TestSupport;
using Xunit.Abstractions;

namespace CompilerLLM.Tests.Assembly;

/// <summary>
/// The model is built from the object's own labels (one plain <c>as -L</c>) rather than GAS's listing, which costs GAS
/// about four times as much. It must be the same model, field for field: every line's kind and instruction, every
/// decoded instruction with its offset and symbols, every verbatim reason, every function. Where the object cannot say
/// exactly (verbatim lines with no label after them, data in code), the reader must ask for the listing instead.
/// </summary>
public sealed class ObjectLayoutTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestCorpus.FlagSetNames), MemberType = typeof(TestCorpus))]
    public void The_corpus_models_the_same_from_the_object_as_from_the_listing(string flagSet)
    {
        var files = TestCorpus.Assembly(TestCorpus.FlagSet(flagSet));
        var differences = new List<string>();
        int fromObject = 0;
        foreach (var path in files)
        {
            var (fast, listed) = ReadBothWays(path);
            if (fast.LayoutSource == AsmLayoutSource.Object) fromObject++;
            if (FirstDifference(fast, listed) is { } d) differences.Add($"{path}: {d}");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        output.WriteLine($"{flagSet}: {files.Count} files, {fromObject} modelled from the object, the rest from the listing");
        // GCC's own output needs the listing only around TLS sequences (-fPIC) and inline assembly: the fast path must be the usual one.
        Assert.True(fromObject * 10 >= files.Count * 9, $"only {fromObject} of {files.Count} files were modelled from the object");
    }

    [Theory]
    [MemberData(nameof(RoundTripCaseTests.Cases), MemberType = typeof(RoundTripCaseTests))]
    public void Hand_made_cases_model_the_same_either_way(string name)
    {
        var (fast, listed) = ReadBothWays(Path.Combine(AppContext.BaseDirectory, "Assembly", "Cases", name));
        Assert.Null(FirstDifference(fast, listed));
    }

    [Fact]
    public void Bare_prefix_lines_without_a_label_after_them_fall_back_to_the_listing()
    {
        // The prefix line's size is not known, and no label pins the instructions after it.
        const string source = "\t.text\n\t.globl\tf\n\t.type\tf, @function\nf:\n\trep\n\tstosq\n\tmovl\t$1, %eax\n\tret\n\t.size\tf, .-f\n";
        var (fast, listed) = ReadBothWays("prefix.s", source);
        Assert.Equal(AsmLayoutSource.Listing, fast.LayoutSource);
        Assert.Null(FirstDifference(fast, listed));
    }

    [Fact]
    public void Ordinary_code_is_modelled_from_the_object()
    {
        const string source = "\t.text\n\t.globl\tf\n\t.type\tf, @function\nf:\n\ttestl\t%edi, %edi\n\tje\t.L2\n\tmovl\t$1, %eax\n\tret\n"
            + "\t.p2align 4,,10\n\t.p2align 3\n.L2:\n\tcall\tg@PLT\n\txorl\t%eax, %eax\n\tret\n\t.size\tf, .-f\n";
        var (fast, listed) = ReadBothWays("plain.s", source);
        Assert.Equal(AsmLayoutSource.Object, fast.LayoutSource);
        Assert.Null(FirstDifference(fast, listed));
        Assert.Equal(7, fast.Instructions.Length);
    }

    private static (AsmFile Fast, AsmFile Listed) ReadBothWays(string path) => ReadBothWays(path, File.ReadAllText(path));

    private static (AsmFile Fast, AsmFile Listed) ReadBothWays(string path, string source) =>
        (AsmReader.Read(path, source), AsmReader.Read(path, source, layout: AsmLayoutSource.Listing));

    /// <summary>The first way the two models differ, or null.</summary>
    private static string? FirstDifference(AsmFile a, AsmFile b)
    {
        if (a.Lines.Length != b.Lines.Length) return $"{a.Lines.Length} lines against {b.Lines.Length}";
        for (int i = 0; i < a.Lines.Length; i++)
        {
            var (x, y) = (a.Lines[i], b.Lines[i]);
            if (x.Kind != y.Kind || x.Instruction != y.Instruction || x.Section != y.Section || x.Start != y.Start || x.Length != y.Length)
                return $"line {i + 1} ({a.TextOf(i).ToString().Trim()}): {x.Kind} #{x.Instruction} against {y.Kind} #{y.Instruction}";
        }
        if (a.Instructions.Length != b.Instructions.Length) return $"{a.Instructions.Length} instructions against {b.Instructions.Length}";
        for (int i = 0; i < a.Instructions.Length; i++)
        {
            var (x, y) = (a.Instructions[i], b.Instructions[i]);
            if (x.Line != y.Line || x.Symbol0 != y.Symbol0 || x.Symbol1 != y.Symbol1 || !x.Instruction.Equals(y.Instruction)
                || x.Instruction.IP != y.Instruction.IP || x.Instruction.Length != y.Instruction.Length)
                return $"instruction {i} (line {x.Line + 1}): {x.Instruction} at 0x{x.Instruction.IP:x} against {y.Instruction} at 0x{y.Instruction.IP:x}";
        }
        if (!a.Diagnostics.SequenceEqual(b.Diagnostics))
            return "verbatim reasons: " + string.Join("; ", a.Diagnostics.Except(b.Diagnostics).Concat(b.Diagnostics.Except(a.Diagnostics)).Take(3));
        if (a.Functions.Count != b.Functions.Count) return $"{a.Functions.Count} functions against {b.Functions.Count}";
        for (int f = 0; f < a.Functions.Count; f++)
        {
            var (x, y) = (a.Functions[f], b.Functions[f]);
            if (x.Name != y.Name || x.FirstLine != y.FirstLine || x.EndLine != y.EndLine || !x.Lines.AsSpan().SequenceEqual(y.Lines))
                return $"function {x.Name} against {y.Name}";
        }
        if (!a.AddressTakenLabels.SetEquals(b.AddressTakenLabels)) return "address-taken labels";
        if (!a.Sections.Select(s => s.IsExecutable).SequenceEqual(b.Sections.Select(s => s.IsExecutable))) return "executable sections";
        return null;
    }
}
