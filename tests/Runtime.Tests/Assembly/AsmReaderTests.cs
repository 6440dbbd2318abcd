using CompilerLLM.Assembly;

namespace CompilerLLM.Tests.Assembly;

public sealed class AsmReaderTests
{
    private static AsmFile Read(string text) => AsmReader.Read("t.s", text);

    private static string Wrap(params string[] body) =>
        "\t.text\n\t.globl\tf\n\t.type\tf, @function\nf:\n" + string.Join("\n", body.Select(b => "\t" + b)) + "\n\tret\n\t.size\tf, .-f\n";

    private static AsmInstruction InstructionOn(AsmFile file, string text)
    {
        for (int i = 0; i < file.Lines.Length; i++)
        {
            if (file.TextOf(i).Trim().SequenceEqual(text) && file.Lines[i].Kind == LineKind.Instruction)
                return file.Instructions[file.Lines[i].Instruction];
        }
        throw new Xunit.Sdk.XunitException($"no modelled instruction '{text}'");
    }

    [Fact]
    public void ClassifiesEveryKindOfLine()
    {
        var file = Read("# comment\n\n\t.text\nf:\n\tmovl\t$1, %eax\n\t.p2align 4\n");
        Assert.Equal(
            [LineKind.Comment, LineKind.Blank, LineKind.Directive, LineKind.Label, LineKind.Instruction, LineKind.Directive],
            file.Lines.Select(l => l.Kind).ToArray());
        Assert.Equal(Iced.Intel.Code.Mov_r32_imm32, file.Instructions[0].Instruction.Code);
        Assert.Equal(0UL, file.Instructions[0].Instruction.IP);
    }

    [Fact]
    public void KeepsCrLfLinesAndTheirText()
    {
        var file = Read("\t.text\r\nf:\r\n\tret\r\n");
        Assert.Equal(3, file.Lines.Length);
        Assert.Equal("\tret", file.TextOf(2).ToString());
        Assert.Equal(LineKind.Instruction, file.Lines[2].Kind);
    }

    [Theory]
    [InlineData("leaq\t.LC0(%rip), %rdi", OperandField.Displacement, ".LC0")]
    [InlineData("movq\tx@GOTPCREL(%rip), %rax", OperandField.Displacement, "x@GOTPCREL")]
    [InlineData("call\tfoo@PLT", OperandField.BranchTarget, "foo@PLT")]
    [InlineData("movl\t$.LC0, %eax", OperandField.Immediate, ".LC0")]
    [InlineData("movl\tarr+8(%rip), %eax", OperandField.Displacement, "arr+8")]
    [InlineData("movq\t%fs:tv@tpoff, %rax", OperandField.Displacement, "tv@tpoff")]
    [InlineData("jmp\t*.Ltab(,%rax,8)", OperandField.Displacement, ".Ltab")]
    [InlineData("jne\t.Lloop", OperandField.BranchTarget, ".Lloop")]
    public void RebuildsSymbolicOperandsFromRelocationsAndLabels(string instruction, OperandField field, string symbol)
    {
        var source = Wrap(".Lloop:", instruction) +
            "\t.section\t.rodata\n.LC0:\n\t.string \"x\"\n\t.align 8\n.Ltab:\n\t.quad\t.Lloop\n" +
            "\t.data\narr:\n\t.zero 16\n\t.section\t.tbss,\"awT\",@nobits\ntv:\n\t.zero 8\n";
        var file = Read(source);
        Assert.Empty(file.Diagnostics);
        var asm = InstructionOn(file, instruction);
        var s = asm.SymbolFor(field);
        Assert.True(s.IsPresent);
        Assert.Equal(symbol, file.TextOf(s).ToString());
    }

    [Fact]
    public void InlineAssemblyStaysVerbatimWithReason()
    {
        var file = Read(Wrap("#APP", "\tnop", "#NO_APP", "nop"));
        var d = Assert.Single(file.Diagnostics);
        Assert.Equal(6, d.LineNumber);
        Assert.Contains("inline assembly", d.Message);
        Assert.Equal(1, file.VerbatimCount);
        // the nop after #NO_APP is modelled
        Assert.Equal(2, file.Instructions.Length);
    }

    [Fact]
    public void TlsGeneralDynamicPaddingStaysVerbatim()
    {
        var file = Read(Wrap("data16\tleaq\tv@tlsgd(%rip), %rdi", ".value\t0x6666", "rex64", "call\t__tls_get_addr@PLT") +
            "\t.section\t.tbss,\"awT\",@nobits\nv:\n\t.zero 4\n");
        Assert.Equal(4, file.VerbatimCount);
        Assert.Equal(["data16\tleaq\tv@tlsgd(%rip), %rdi", ".value\t0x6666", "rex64", "call\t__tls_get_addr@PLT"],
            file.Diagnostics.Select(d => d.Text.Trim()).ToArray());
        Assert.Contains("bare prefixes", file.Diagnostics[3].Message);
    }

    [Theory]
    [InlineData("movl $1, %eax; ret", "several statements")]
    [InlineData("g: ret", "a label and a statement")]
    [InlineData(".byte 0x90", "data emitted into code")]
    public void UnmodellableStatementsStayVerbatim(string line, string reason)
    {
        var file = Read(Wrap(line));
        var d = Assert.Single(file.Diagnostics);
        Assert.Contains(reason, d.Message);
        Assert.Equal(5, d.LineNumber);
    }

    [Theory]
    [InlineData("\t.intel_syntax noprefix\n\tmov eax, 1\n", 1, "Intel syntax")]
    [InlineData("\t.code32\n\tmovl $1, %eax\n", 1, ".code32")]
    [InlineData("\t.text\n\tmovl %eax\n", 2, "Error")]
    [InlineData("\t.text\n\tbogus %eax, %ebx\n", 2, "bogus")]
    public void BadInputIsAClearErrorWithFileAndLine(string source, int line, string fragment)
    {
        var e = Assert.Throws<AsmReadException>(() => AsmReader.Read("bad.s", source));
        Assert.Contains(fragment, e.Message);
        Assert.Contains($"bad.s:{line}", e.Message);
    }

    [Fact]
    public void MissingFileIsAnAsmReadException()
    {
        var e = Assert.Throws<AsmReadException>(() => AsmReader.ReadFile("/nonexistent/x.s"));
        Assert.Contains("/nonexistent/x.s", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("\t.text\n")]
    public void EmptyInputsGiveAnEmptyModel(string source)
    {
        var file = Read(source);
        Assert.Empty(file.Instructions);
        Assert.Empty(file.Functions);
        Assert.Equal(0, file.VerbatimCount);
    }

    [Fact]
    public void FindsFunctionsPerSectionIncludingColdParts()
    {
        var source = "\t.text\n\t.globl f\n\t.type f, @function\nf:\n\ttestl %edi, %edi\n\tjne .L9\n\tret\n" +
            "\t.section\t.text.unlikely,\"ax\",@progbits\n\t.type f.cold, @function\nf.cold:\n.L9:\n\tud2\n" +
            "\t.text\n\t.size f, .-f\n\t.section\t.text.unlikely\n\t.size f.cold, .-f.cold\n";
        var file = Read(source);
        Assert.Equal(["f", "f.cold"], file.Functions.Select(f => f.Name).ToArray());
        var f = file.Functions[0];
        Assert.Equal(4, f.Lines.Length); // label + 3 instructions; the cold part is not f's
        Assert.Equal(".text.unlikely", file.Sections[file.Functions[1].Section].Name);
        Assert.Equal(1UL, file.Instructions[file.Lines[file.Functions[1].Lines[^1]].Instruction].Instruction.Length == 2 ? 1UL : 0UL);
    }

    [Fact]
    public void LabelDifferencesResolvedByTheAssemblerAreChecked()
    {
        var file = Read(Wrap(".La:", "nop", ".Lb:", "movl\t$.Lb-.La, %eax"));
        Assert.Empty(file.Diagnostics);
        Assert.Equal(".Lb-.La", file.TextOf(InstructionOn(file, "movl\t$.Lb-.La, %eax").Symbol0).ToString());
    }
}
