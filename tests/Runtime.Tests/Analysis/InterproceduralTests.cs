using CompilerLLM.Analysis;
using CompilerLLM.Tests.TestSupport;
using static CompilerLLM.Analysis.Location;
using static CompilerLLM.Tests.Analysis.LiveAssert;

namespace CompilerLLM.Tests.Analysis;

/// <summary>
/// GCC's -fipa-ra (on by default from -O1): when the callee is defined in the same file and cannot be
/// interposed, the caller knows which call-clobbered registers the callee really writes and keeps
/// values in the others across the call. gcc -O2 on
/// <c>static int leaf(int x) { return x * 3 + 1; }  int f(int a, ..., int g) { int t2 = c*d, ...; int r = leaf(c); return ... t2*t3 ...; }</c>
/// computes <c>t2</c> into %r11d before <c>call leaf</c> and multiplies it after; with doubles it keeps
/// %xmm8-%xmm15 live across the call. The snippets below are that shape, reduced.
/// </summary>
public sealed class InterproceduralTests
{
    private const string Leaf = """
        .text
        .type leaf, @function
        leaf:
        leal 1(%rdi,%rdi,2), %eax
        ret
        .size leaf, .-leaf
        """;

    [Fact]
    public void CallToLocalFunction_ArgumentsStillLive()
    {
        var s = AsmSnippet.Function("""
            movl %edx, %edi
            call leaf
            ret
            """, after: Leaf);
        Live(s.LiveAfter(s.Node("movl %edx, %edi")), Rdi);
    }

    [Fact]
    public void CallToExternalFunction_ClobbersR11()
    {
        // Control: for a callee GCC cannot see, r11 does not survive the call, so the value is dead.
        var s = AsmSnippet.Function("""
            movl %ecx, %r11d
            imull %edx, %r11d
            call leaf_elsewhere
            addl %r11d, %eax
            ret
            """);
        Dead(s.LiveAfter(s.Node("imull %edx, %r11d")), R11);
    }

    [Fact]
    public void CallToLocalFunction_ValueKeptInR11AcrossCallIsLive()
    {
        var s = AsmSnippet.Function("""
            movl %ecx, %r11d
            imull %edx, %r11d
            call leaf
            addl %r11d, %eax
            ret
            """, after: Leaf);
        Live(s.LiveAfter(s.Node("imull %edx, %r11d")), R11);
        Live(s.LiveBefore(s.Node("call leaf")), R11);
    }

    [Fact]
    public void CallToLocalFunction_ValueKeptInXmm8AcrossCallIsLive()
    {
        var s = AsmSnippet.Function("""
            movapd %xmm0, %xmm8
            mulsd %xmm1, %xmm8
            call dleaf
            addsd %xmm8, %xmm0
            ret
            """, after: """
            .text
            .type dleaf, @function
            dleaf:
            addsd %xmm0, %xmm0
            ret
            .size dleaf, .-dleaf
            """);
        Live(s.LiveAfter(s.Node("mulsd %xmm1, %xmm8")), Xmm(8));
    }

    [Fact]
    public void LocalCallee_RegistersItDoesNotWriteAreLiveAtReturn()
    {
        var s = AsmSnippet.Function("""
            movl %ecx, %r11d
            imull %edx, %r11d
            call leaf
            addl %r11d, %eax
            ret
            """, after: Leaf);
        var leaf = AsmSnippet.Parse(s.File.Source, "leaf");
        var atReturn = leaf.LiveAfter(leaf.Node("leal 1(%rdi,%rdi,2), %eax"));
        Live(atReturn, R11, Rcx, Rsi, R8, Xmm(8));
    }

    [Fact]
    public void LocalCallee_TransitiveClobbersAreKilledOrWritten()
    {
        // leaf2 writes r10; leaf calls leaf2: a call to leaf may change r10 but not r9.
        var s = AsmSnippet.Function("""
            movl $1, %r9d
            movl $2, %r10d
            call leaf
            addl %r9d, %eax
            ret
            """, after: """
            .text
            .type leaf2, @function
            leaf2:
            movl $7, %r10d
            ret
            .size leaf2, .-leaf2
            .type leaf, @function
            leaf:
            call leaf2
            leal 1(%rdi,%rdi,2), %eax
            ret
            .size leaf, .-leaf
            """);
        int call = s.Node("call leaf");
        Assert.True(s.Effects(call).Writes.Contains(R10), $"writes {s.Effects(call).Writes}");
        Assert.False(s.Effects(call).Writes.Contains(R9), $"writes {s.Effects(call).Writes}");
        Live(s.LiveAfter(s.Node("movl $1, %r9d")), R9);
        var leaf = AsmSnippet.Parse(s.File.Source, "leaf");
        // leaf's callers may keep r9 (and r11, xmm8 ...) across it, but not r10.
        Live(leaf.LiveAfter(leaf.Node("leal 1(%rdi,%rdi,2), %eax")), R9, R11, Xmm(8));
        Dead(leaf.LiveAfter(leaf.Node("leal 1(%rdi,%rdi,2), %eax")), R10);
    }

    [Theory]
    [InlineData("jmp puts@PLT")]
    [InlineData("jmp *%rax")]
    public void LocalCalleeThatTailCallsOut_ClobbersLikeAnExternalCall(string tailCall)
    {
        var s = AsmSnippet.Function("""
            call tail
            ret
            """, after: $"""
            .text
            .type tail, @function
            tail:
            {tailCall}
            .size tail, .-tail
            """);
        var writes = s.Effects(s.Node("call tail")).Writes;
        Assert.True((SysVAbi.CallClobbers - writes).IsEmpty, $"call tail writes {writes}, missing {SysVAbi.CallClobbers - writes}");
    }
}
