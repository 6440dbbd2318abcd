using CompilerLLM.Assembly;
using CompilerLLM.Tests.TestSupport;
using CompilerLLM.Toolchain;
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
        var gaveUp = new Dictionary<string, int>(StringComparer.Ordinal);
        int fromObject = 0, fromPlain = 0;
        foreach (var path in files)
        {
            var (plain, labelled, listed) = ReadEveryWay(path);
            if (labelled.LayoutSource == AsmLayoutSource.Object) fromObject++;
            if (plain.LayoutSource == AsmLayoutSource.PlainObject) fromPlain++;
            else
            {
                string why = KindOf(plain.LayoutFallbackReason);
                gaveUp[why] = gaveUp.GetValueOrDefault(why) + 1;
            }
            if (FirstDifference(labelled, listed) is { } d) differences.Add($"{path} (-L object): {d}");
            if (FirstDifference(plain, listed) is { } p) differences.Add($"{path} (plain object): {p}");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        output.WriteLine($"{flagSet}: {files.Count} files, {fromPlain} modelled from the plain object, {fromObject} from the object with local labels");
        foreach (var (why, count) in gaveUp.OrderByDescending(kv => kv.Value)) output.WriteLine($"  plain object gave up {count}x: {why}");
        // GCC's own output needs the listing only around TLS sequences (-fPIC) and inline assembly: the fast path must be the usual one.
        Assert.True(fromObject * 10 >= files.Count * 9, $"only {fromObject} of {files.Count} files were modelled from the object");
        Assert.True(fromPlain * 10 >= files.Count * 9, $"only {fromPlain} of {files.Count} files were modelled from the plain object");
    }

    /// <summary>A give-up reason without its line numbers and names, so that reasons of one kind count together.</summary>
    private static string KindOf(string? why) => why is null ? "(no reason)"
        : System.Text.RegularExpressions.Regex.Replace(why, @"line \d+|'[^']*'|0x[0-9a-f]+|\.[A-Za-z_.][\w.]*", "…");

    [Theory]
    [MemberData(nameof(RoundTripCaseTests.Cases), MemberType = typeof(RoundTripCaseTests))]
    public void Hand_made_cases_model_the_same_either_way(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Assembly", "Cases", name);
        ReadAlikeEveryWay(path, File.ReadAllText(path));
    }

    [Fact]
    public void Bare_prefix_lines_without_a_label_after_them_fall_back_to_the_listing()
    {
        // The prefix line's size is not known, and no label pins the instructions after it.
        const string source = FunctionF + "\trep\n\tstosq\n\tmovl\t$1, %eax\n\tret\n\t.size\tf, .-f\n";
        var (plain, labelled) = ReadAlikeEveryWay("prefix.s", source);
        Assert.Equal(AsmLayoutSource.Listing, labelled.LayoutSource);
        Assert.Equal(AsmLayoutSource.Listing, plain.LayoutSource);
    }

    [Fact]
    public void Ordinary_code_is_modelled_from_the_object()
    {
        const string source = FunctionF + "\ttestl\t%edi, %edi\n\tje\t.L2\n\tmovl\t$1, %eax\n\tret\n"
            + "\t.p2align 4,,10\n\t.p2align 3\n.L2:\n\tcall\tg@PLT\n\txorl\t%eax, %eax\n\tret\n\t.size\tf, .-f\n";
        var (plain, labelled) = ReadAlikeEveryWay("plain.s", source);
        Assert.Equal(AsmLayoutSource.Object, labelled.LayoutSource);
        Assert.Equal(AsmLayoutSource.PlainObject, plain.LayoutSource);
        Assert.Equal(7, plain.Instructions.Length);
    }

    [Fact]
    public void Local_labels_in_code_and_data_are_placed_from_a_plain_object()
    {
        // Every alignment form (padding taken, padding over the maximum skipped, an explicit fill), a jump table and a
        // string in .rodata whose .L labels are not symbols of the plain object, a constant in a mergeable section, whose
        // label is, and local aliases of both (GCC's .set .LC9,.LC0). Each instruction that names a label is modelled
        // only when the label's value is right.
        const string source = """
            	.text
            	.globl	f
            	.type	f, @function
            f:
            	cmpl	$3, %edi
            	ja	.L2
            	leaq	.L4(%rip), %rdx
            	movslq	(%rdx,%rdi,4), %rax
            	addq	%rdx, %rax
            	jmp	*%rax
            	.section	.rodata
            	.align 4
            .L4:
            	.long	.L5-.L4
            	.long	.L6-.L4
            	.long	.L7-.L4
            	.long	.L2-.L4
            .LS:
            	.string	"a	b\"cÃ©A"
            	.text
            	.p2align 4,,10
            .L5:
            	leaq	.LS(%rip), %rax
            	ret
            	.p2align 4,,3
            .L6:
            	movsd	.LC0(%rip), %xmm0
            	addsd	.LB(%rip), %xmm0
            	leaq	.LA(%rip), %rax
            	ret
            	.balign 8
            .L7:
            	movl	$7, %eax
            	ret
            	.p2align 4,0xcc
            .L2:
            	xorl	%eax, %eax
            	jmp	.L5
            	.size	f, .-f
            	.section	.rodata.cst8,"aM",@progbits,8
            	.align 8
            .LC0:
            	.long	0
            	.long	1072693248
            	.set	.LA,.LS
            	.set	.LB,.LC0
            """;
        var (plain, _) = ReadAlikeEveryWay("table.s", source);
        Assert.Equal(AsmLayoutSource.PlainObject, plain.LayoutSource);
        Assert.Equal(0, plain.VerbatimCount);
    }

    [Theory]
    [InlineData("\tpause", AsmLayoutSource.Object)] // verbatim (inline assembly): the object with local labels places .L3
    [InlineData("\t.byte 0x90", AsmLayoutSource.Listing)] // data in code: only the listing says which bytes are whose
    public void Inline_assembly_before_instructions_that_no_symbol_pins_makes_the_plain_object_give_up(string inline, AsmLayoutSource fallback)
    {
        // The inline line's size is not known to the layout, and the instructions after it come before any symbol.
        string source = FunctionF + "\tmovl\t$1, %eax\n#APP\n" + inline + "\n#NO_APP\n"
            + ".L3:\n\taddl\t$2, %eax\n\tcmpl\t$9, %eax\n\tjne\t.L3\n\tret\n\t.size\tf, .-f\n";
        var (plain, _) = ReadAlikeEveryWay("inline.s", source);
        Assert.Equal(fallback, plain.LayoutSource);
        Assert.NotNull(plain.LayoutFallbackReason);
        Assert.Equal(5, plain.Instructions.Length);
    }

    [Fact]
    public void A_data_label_the_plain_layout_cannot_place_makes_it_give_up()
    {
        // A .uleb128's size depends on its value: the label after it has no offset, and an instruction names it.
        const string source = FunctionF + "\tleaq\t.L9(%rip), %rax\n\tret\n\t.size\tf, .-f\n"
            + "\t.section\t.rodata\n\t.uleb128 300\n.L9:\n\t.long\t5\n";
        var (plain, _) = ReadAlikeEveryWay("uleb.s", source);
        Assert.Equal(AsmLayoutSource.Object, plain.LayoutSource);
        Assert.Contains("'.L9'", plain.LayoutFallbackReason);
        Assert.Equal(2, plain.Instructions.Length);
    }

    [Fact]
    public void A_plain_object_of_other_text_gives_no_model()
    {
        // What the build hands over must be the object of exactly this text: one of other text must not be taken for it.
        const string source = FunctionF + "\tmovl\t$1, %eax\n\tjmp\t.L2\n.L2:\n\tret\n\t.size\tf, .-f\n";
        const string other = FunctionF + "\tmovl\t$1, %eax\n\tnop\n\tjmp\t.L2\n.L2:\n\tret\n\t.size\tf, .-f\n";
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("other.s"), other);
        GasAssembler.Default.Assemble(temp.File("other.s"), temp.File("other.o"));
        var file = AsmReader.Read("mismatch.s", source, ElfObject.Load(temp.File("other.o")));
        Assert.NotEqual(AsmLayoutSource.PlainObject, file.LayoutSource);
        Assert.Null(FirstDifference(file, AsmReader.Read("mismatch.s", source, layout: AsmLayoutSource.Listing)));
    }

    /// <summary>The start of function f in .text, as GCC writes it.</summary>
    private const string FunctionF = "\t.text\n\t.globl\tf\n\t.type\tf, @function\nf:\n";

    private static (AsmFile Plain, AsmFile Labelled, AsmFile Listed) ReadEveryWay(string path) => ReadEveryWay(path, File.ReadAllText(path));

    /// <summary>Reads <paramref name="source"/> every way; both object layouts must give the listing's model.</summary>
    private static (AsmFile Plain, AsmFile Labelled) ReadAlikeEveryWay(string path, string source)
    {
        var (plain, labelled, listed) = ReadEveryWay(path, source);
        Assert.Null(FirstDifference(labelled, listed));
        Assert.Null(FirstDifference(plain, listed));
        return (plain, labelled);
    }

    private static (AsmFile Plain, AsmFile Labelled, AsmFile Listed) ReadEveryWay(string path, string source) =>
        (AsmReader.Read(path, source), AsmReader.Read(path, source, layout: AsmLayoutSource.Object),
            AsmReader.Read(path, source, layout: AsmLayoutSource.Listing));

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
