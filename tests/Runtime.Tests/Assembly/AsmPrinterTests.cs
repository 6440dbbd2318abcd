using CompilerLLM.Assembly;

namespace CompilerLLM.Tests.Assembly;

public sealed class AsmPrinterTests
{
    [Fact]
    public void UnchangedFilePrintsByteForByte()
    {
        const string source = "\t.text\n# c\n\t.globl f\nf:\n\tmovl\t$1, %eax   \n\tret\n";
        var file = AsmReader.Read("t.s", source);
        Assert.Equal(source, new AsmPrinter().Print(file));
    }

    [Theory]
    [InlineData("leaq\t.LC0(%rip), %rdi", "\tleaq\t.LC0(%rip), %rdi")]
    [InlineData("call\tputs@PLT", "\tcallq\tputs@PLT")]
    [InlineData("movl\t$.LC0+4, %esi", "\tmovl\t$.LC0+4, %esi")]
    [InlineData("movl\t%edi, %eax", "\tmovl\t%edi, %eax")]
    [InlineData("addq\t$-128, %rsp", "\taddq\t$-0x80, %rsp")]
    [InlineData("movl\t$-1, %eax", "\tmovl\t$-1, %eax")]
    public void FormatsInstructionsWithTheirSymbols(string instruction, string expected)
    {
        var file = AsmReader.Read("t.s", "\t.text\nf:\n\t" + instruction + "\n\t.section .rodata\n.LC0:\n\t.string \"hello\"\n");
        var asm = file.Instructions[0];
        Assert.Equal(expected, new AsmPrinter().Format(file, asm));
    }

    [Fact]
    public void RipRelativeOperandsStayRipRelative()
    {
        // Without RipRelativeAddresses the formatter would print an absolute address that GAS reads back differently.
        var file = AsmReader.Read("t.s", "\t.text\nf:\n\tmovl\tcounter(%rip), %eax\n\t.data\ncounter:\n\t.long 1\n");
        Assert.Equal("\tmovl\tcounter(%rip), %eax", new AsmPrinter().Format(file, file.Instructions[0]));
    }
}
