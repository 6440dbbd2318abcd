using CompilerLLM.Assembly;

namespace CompilerLLM.Tests.Assembly;

public sealed class GasLexerTests
{
    [Theory]
    [InlineData("movl %eax, %ebx # comment", "movl %eax, %ebx")]
    [InlineData(".string \"a#b\"  # c", ".string \"a#b\"")]
    [InlineData("ret", "ret")]
    public void StatementStopsAtTheComment(string line, string statement) =>
        Assert.Equal(statement, line[..GasLexer.StatementLength(line)]);

    [Theory]
    [InlineData("%eax", false)]
    [InlineData("0x1F(%rax,%rcx,8)", false)]
    [InlineData("-16(%rbp)", false)]
    [InlineData(".LC0(%rip)", true)]
    [InlineData("foo@PLT", true)]
    [InlineData("1b", true)]
    [InlineData("0x1b", false)]
    public void FindsSymbols(string operand, bool hasSymbol) => Assert.Equal(hasSymbol, GasLexer.ContainsSymbol(operand));

    [Fact]
    public void SplitsOperandsAtTopLevelCommasOnly()
    {
        const string ops = "(%rdx,%rdi,4), %rax";
        Span<Range> r = stackalloc Range[4];
        Assert.Equal(2, GasLexer.SplitOperands(ops, r));
        Assert.Equal("(%rdx,%rdi,4)", ops[r[0]]);
        Assert.Equal("%rax", ops[r[1]]);
    }

    [Theory]
    [InlineData("rep stosq", "stosq")]
    [InlineData("lock xaddl %eax, (%rdi)", "xaddl")]
    [InlineData("notrack jmp *%rax", "jmp")]
    public void SkipsPrefixWords(string statement, string mnemonic)
    {
        GasLexer.OperandsStart(statement, out int start, out int length);
        Assert.Equal(mnemonic, statement.Substring(start, length));
    }

    [Theory]
    [InlineData("sym", 1, 0L)]
    [InlineData("sym+8", 2, 8L)]
    [InlineData(".L5-.L4", 2, 0L)]
    [InlineData("-16", 1, -16L)]
    [InlineData("0x10+010+0b11", 3, 27L)]
    public void ParsesLinearExpressions(string text, int terms, long constant)
    {
        Span<SymbolExpression.Term> t = stackalloc SymbolExpression.Term[SymbolExpression.MaxTerms];
        Assert.Equal(terms, SymbolExpression.Parse(text, t));
        long sum = 0;
        for (int i = 0; i < terms; i++) sum += t[i].Sign * t[i].Constant;
        Assert.Equal(constant, sum);
    }

    [Theory]
    [InlineData("a*2")]
    [InlineData("(a+1)")]
    [InlineData("x@bogus")]
    public void RejectsNonLinearExpressions(string text)
    {
        Span<SymbolExpression.Term> t = stackalloc SymbolExpression.Term[SymbolExpression.MaxTerms];
        Assert.Equal(-1, SymbolExpression.Parse(text, t));
    }

    [Fact]
    public void ListingRowsMapLinesToOffsetsAndBytes()
    {
        const string listing = "   1              \t\t.text\n  14 0003 0F870000 \t\tja\t.L9\n  14      0000\n  15 0009 C3       \t\tret\n";
        var l = GasListing.Parse(listing, 15);
        Assert.Equal(-1, l.OffsetOf(0));
        Assert.Equal(3, l.OffsetOf(13));
        Assert.Equal(new byte[] { 0x0F, 0x87, 0, 0, 0, 0 }, l.BytesOf(13).ToArray());
        Assert.Equal(9, l.OffsetOf(14));
        Assert.Equal(new byte[] { 0xC3 }, l.BytesOf(14).ToArray());
    }
}
