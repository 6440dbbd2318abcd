using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Tests.TestSupport;
using static CompilerLLM.Analysis.Location;
using static CompilerLLM.Tests.Analysis.LiveAssert;

namespace CompilerLLM.Tests.Analysis;

/// <summary>Blocks, edges and exits, and what they mean for liveness.</summary>
public sealed class ControlFlowGraphTests
{
    [Fact]
    public void Blocks_SplitAtLabelsAndAfterBranches()
    {
        var s = AsmSnippet.Function("""
            testl %edi, %edi
            je .L2
            movl $1, %eax
            ret
            .L2:
            movl $2, %eax
            ret
            """);
        Assert.Equal(3, s.Cfg.Blocks.Length);
        Assert.Equal(new[] { "f" }, s.Block(0).Labels);
        Assert.Equal(new[] { ".L2" }, s.Block(2).Labels);
        Assert.Equal(2, s.Block(0).NodeCount);
        Assert.Equal(new[] { 1, 2 }, s.Block(0).Successors.Order());
        Assert.Equal(BlockExit.None, s.Block(0).Exit);
        Assert.Equal(BlockExit.Return, s.Block(1).Exit);
        Assert.Equal(BlockExit.Return, s.Block(2).Exit);
        Assert.Equal(new[] { 0 }, s.Block(2).Predecessors);
        Assert.Equal(s.Node("je .L2") + 1, s.Block(0).EndNode);
        Assert.Equal(s.Node("movl $2, %eax"), s.Block(2).FirstNode);
    }

    [Fact]
    public void JumpTable_AllTableLabelsAreSuccessorsOfIndirectJump()
    {
        var s = AsmSnippet.Function("""
            cmpl $1, %edi
            ja .L2
            leaq .L4(%rip), %rdx
            movslq %edi, %rdi
            movq (%rdx,%rdi,8), %rax
            jmp *%rax
            .L3:
            movl %r11d, %eax
            ret
            .L5:
            movl %r10d, %eax
            ret
            .L2:
            xorl %eax, %eax
            ret
            """, after: """
            .section .rodata
            .align 8
            .L4:
            .quad .L3, .L5
            """);
        int jmp = s.Node("jmp *%rax");
        var block = s.Block(s.BlockOf(jmp));
        Assert.Equal(new[] { s.BlockOfLabel(".L3"), s.BlockOfLabel(".L5") }, block.Successors.Order());
        Assert.DoesNotContain(s.BlockOfLabel(".L2"), block.Successors);
        Assert.Contains(block.Index, s.Block(s.BlockOfLabel(".L3")).Predecessors);
        // r11 is read only in a table target: live at the jump through the edge, not through any ABI set.
        Live(s.Liveness.LiveOut(block.Index), R11, R10);
        Live(s.LiveBefore(s.Node("cmpl $1, %edi")), R11, R10);
        Assert.Contains(".L3", s.File.AddressTakenLabels);
        Assert.Contains(".L5", s.File.AddressTakenLabels);
    }

    [Fact]
    public void JumpTable_PicRelativeEntries()
    {
        // GCC's -fPIC switch: .long .Lk-.L4 entries added to the table address.
        var s = AsmSnippet.Function("""
            cmpl $1, %edi
            ja .L2
            leaq .L4(%rip), %rdx
            movl %edi, %edi
            movslq (%rdx,%rdi,4), %rax
            addq %rdx, %rax
            notrack jmp *%rax
            .L3:
            movl %r11d, %eax
            ret
            .L5:
            xorl %eax, %eax
            ret
            .L2:
            movl $9, %eax
            ret
            """, after: """
            .section .rodata
            .align 4
            .L4:
            .long .L3-.L4
            .long .L5-.L4
            """);
        var block = s.Block(s.BlockOf(s.Node("notrack jmp *%rax")));
        Assert.Equal(new[] { s.BlockOfLabel(".L3"), s.BlockOfLabel(".L5") }, block.Successors.Order());
        Live(s.Liveness.LiveOut(block.Index), R11);
    }

    [Fact]
    public void IndirectJumpWithoutAddressTakenLabels_IsTailCall()
    {
        var s = AsmSnippet.Function("""
            movq 8(%rdi), %rax
            movl $1, %r11d
            jmp *%rax
            """);
        var block = s.Block(0);
        Assert.Equal(BlockExit.TailCall, block.Exit);
        Assert.Empty(block.Successors);
        Live(s.LiveBefore(s.Node("jmp *%rax")), Rax, Rdi, Rsi, Rbx, R12);
        Dead(s.LiveBefore(s.Node("jmp *%rax")), R11);
        Dead(s.LiveAfter(s.Node("movl $1, %r11d")), R11);
    }

    [Fact]
    public void JumpToLocalLabelOutsideFunction_IsUnknownExitWithEverythingLive()
    {
        var s = AsmSnippet.Function("""
            testl %edi, %edi
            jne .L7
            xorl %eax, %eax
            ret
            """, after: """
            .section .text.unlikely,"ax",@progbits
            .type f.cold, @function
            f.cold:
            .L7:
            call abort@PLT
            .size f.cold, .-f.cold
            """);
        int jne = s.Node("jne .L7");
        var block = s.Block(s.BlockOf(jne));
        Assert.Equal(BlockExit.Unknown, block.Exit);
        Assert.Equal(new[] { s.BlockOf(s.Node("xorl %eax, %eax")) }, block.Successors);
        LiveAssert.Equal(LocationSet.All, s.Liveness.LiveOut(block.Index));
        LiveAssert.Equal(LocationSet.All, s.LiveAfter(s.Node("testl %edi, %edi")));
        // testl writes every status flag, so only they are dead at entry.
        LiveAssert.Equal(LocationSet.All - LocationSet.StatusFlags, s.Liveness.LiveIn(0));
    }

    [Fact]
    public void UnconditionalJumpToLocalLabelOutsideFunction_IsUnknown()
    {
        var s = AsmSnippet.Function("""
            movl $1, %r11d
            jmp .L9
            """, after: """
            .section .text.unlikely,"ax",@progbits
            .L9:
            ret
            """);
        Assert.Equal(BlockExit.Unknown, s.Block(0).Exit);
        Assert.Empty(s.Block(0).Successors);
        Live(s.LiveAfter(s.Node("movl $1, %r11d")), R11);
    }

    [Fact]
    public void FallingOffTheEnd_IsUnknown()
    {
        var s = AsmSnippet.Function("movl $1, %r11d");
        Assert.Equal(BlockExit.Unknown, s.Block(0).Exit);
        LiveAssert.Equal(LocationSet.All, s.Liveness.LiveOut(0));
        Dead(s.Liveness.LiveIn(0), R11);
    }

    [Fact]
    public void CallAbort_EndsBlockWithNoSuccessors()
    {
        var s = AsmSnippet.Function("""
            movl %esi, %ebx
            call abort@PLT
            movl %ebx, %eax
            ret
            """);
        int call = s.Node("call abort@PLT");
        var block = s.Block(s.BlockOf(call));
        Assert.Equal(call + 1, block.EndNode);
        Assert.Empty(block.Successors);
        Assert.Equal(BlockExit.None, block.Exit);
        Assert.NotEqual(block.Index, s.BlockOf(s.Node("movl %ebx, %eax")));
        Assert.Empty(s.Block(s.BlockOf(s.Node("movl %ebx, %eax"))).Predecessors);
        LiveAssert.Equal(LocationSet.Empty, s.Liveness.LiveOut(block.Index));
        LiveAssert.Equal(LocationSet.Empty, s.LiveAfter(call));
        // Nothing after abort reads rbx: the movl into it is dead, although rbx is callee-saved.
        Dead(s.LiveAfter(s.Node("movl %esi, %ebx")), Rbx);
        Live(s.LiveBefore(call), Rdi, Rsp);
    }

    [Theory]
    [InlineData("call exit@PLT")]
    [InlineData("call __stack_chk_fail@PLT")]
    [InlineData("call __cxa_throw@PLT")]
    public void OtherNoReturnCalls_EndBlock(string call)
    {
        var s = AsmSnippet.Function(call + "\nmovl $1, %eax\nret");
        var block = s.Block(s.BlockOf(s.Node(call)));
        Assert.Empty(block.Successors);
        Assert.Equal(BlockExit.None, block.Exit);
    }

    [Fact]
    public void OrdinaryCall_DoesNotEndBlock()
    {
        var s = AsmSnippet.Function("""
            call foo@PLT
            movl %ebx, %eax
            ret
            """);
        Assert.Single(s.Cfg.Blocks);
        Assert.Equal(3, s.Block(0).NodeCount);
    }

    [Fact]
    public void VerbatimLine_MakesEverythingLiveBeforeIt()
    {
        var s = AsmSnippet.Function("""
            movl $1, %r11d
            cmpl %esi, %edi
            #APP
            nop
            #NO_APP
            xorl %eax, %eax
            ret
            """, allowVerbatim: true);
        int nop = s.Node("nop");
        Assert.Equal(LineKind.Verbatim, s.File.Lines[s.Cfg.Nodes[nop]].Kind);
        Assert.Equal(BarrierKind.Verbatim, s.Effects(nop).Barrier);
        LiveAssert.Equal(LocationSet.All, s.LiveBefore(nop));
        Live(s.LiveAfter(s.Node("movl $1, %r11d")), R11);
        Live(s.LiveAfter(s.Node("cmpl %esi, %edi")), CF, ZF, SF, OF, PF, AF);
        // After the verbatim line, ordinary liveness resumes.
        Dead(s.LiveAfter(nop), R11, Rax);
    }

    [Fact]
    public void LoopEdges_BackEdgeAndExit()
    {
        var s = AsmSnippet.Function("""
            xorl %eax, %eax
            .L2:
            addl $1, %eax
            cmpl %edi, %eax
            jl .L2
            ret
            """);
        int loop = s.BlockOfLabel(".L2");
        Assert.Equal(new[] { loop, loop + 1 }, s.Block(loop).Successors.Order());
        Assert.Equal(new[] { 0, loop }, s.Block(loop).Predecessors.Order());
    }

    public static TheoryData<string> EdgeShapes => new()
    {
        // loop with a preheader
        "xorl %eax, %eax\n.L2:\naddl $1, %eax\ncmpl %edi, %eax\njl .L2\nret",
        // diamond
        "testl %edi, %edi\nje .L2\nmovl $1, %eax\njmp .L3\n.L2:\nmovl $2, %eax\n.L3:\nret",
        // backward and forward branches into the same block
        "jmp .L3\n.L2:\naddl $1, %eax\n.L3:\ncmpl %edi, %eax\njl .L2\nje .L3\nret",
    };

    [Theory]
    [MemberData(nameof(EdgeShapes))]
    public void Predecessors_AreExactlyTheReversedSuccessors(string body)
    {
        var s = AsmSnippet.Function(body);
        var expected = s.Cfg.Blocks.Select(_ => new List<int>()).ToArray();
        foreach (var b in s.Cfg.Blocks)
        foreach (int t in b.Successors) expected[t].Add(b.Index);
        foreach (var b in s.Cfg.Blocks)
            Assert.True(expected[b.Index].Order().SequenceEqual(b.Predecessors.Order()),
                $"block {b.Index} [{string.Join(",", b.Labels)}]: predecessors [{string.Join(",", b.Predecessors)}], expected [{string.Join(",", expected[b.Index])}]");
    }
}
