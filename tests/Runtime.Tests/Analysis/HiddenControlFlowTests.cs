using CompilerLLM.Analysis;
using CompilerLLM.Tests.TestSupport;
using static CompilerLLM.Analysis.Location;
using static CompilerLLM.Tests.Analysis.LiveAssert;

namespace CompilerLLM.Tests.Analysis;

/// <summary>
/// Control transfers the CFG does not see (landing pads, jump-table targets in the cold part,
/// callees wrongly taken for no-return ones) and instructions modelled with the wrong ABI.
/// Each skipped test is a bug in src/Runtime/Analysis, described in its Skip text.
/// </summary>
public sealed class HiddenControlFlowTests
{
    /// <summary>g++ -O2 -fno-reorder-blocks-and-partition -S of:
    /// <c>int f(int *p) { try { may_throw(); } catch (...) { cleanup(p); throw; } return 0; }</c></summary>
    private const string TryCatch = """
	.file	"e2.cc"
	.text
	.p2align 4
	.globl	_Z1fPi
	.type	_Z1fPi, @function
_Z1fPi:
.LFB0:
	.cfi_startproc
	.cfi_personality 0x9b,DW.ref.__gxx_personality_v0
	.cfi_lsda 0x1b,.LLSDA0
	pushq	%rbx
	.cfi_def_cfa_offset 16
	.cfi_offset 3, -16
	movq	%rdi, %rbx
.LEHB0:
	call	_Z9may_throwv@PLT
.LEHE0:
	xorl	%eax, %eax
	popq	%rbx
	.cfi_remember_state
	.cfi_def_cfa_offset 8
	ret
.L4:
	.cfi_restore_state
	movq	%rax, %rdi
	call	__cxa_begin_catch@PLT
	movq	%rbx, %rdi
.LEHB1:
	call	_Z7cleanupPi@PLT
	call	__cxa_rethrow@PLT
.LEHE1:
.L5:
	movq	%rax, %rbx
	call	__cxa_end_catch@PLT
	movq	%rbx, %rdi
.LEHB2:
	call	_Unwind_Resume@PLT
.LEHE2:
	.cfi_endproc
.LFE0:
	.globl	__gxx_personality_v0
	.section	.gcc_except_table,"a",@progbits
	.align 4
.LLSDA0:
	.byte	0xff
	.byte	0x9b
	.uleb128 .LLSDATT0-.LLSDATTD0
.LLSDATTD0:
	.byte	0x1
	.uleb128 .LLSDACSE0-.LLSDACSB0
.LLSDACSB0:
	.uleb128 .LEHB0-.LFB0
	.uleb128 .LEHE0-.LEHB0
	.uleb128 .L4-.LFB0
	.uleb128 0x1
	.uleb128 .LEHB1-.LFB0
	.uleb128 .LEHE1-.LEHB1
	.uleb128 .L5-.LFB0
	.uleb128 0
	.uleb128 .LEHB2-.LFB0
	.uleb128 .LEHE2-.LEHB2
	.uleb128 0
	.uleb128 0
.LLSDACSE0:
	.byte	0x1
	.byte	0
	.align 4
	.long	0

.LLSDATT0:
	.text
	.size	_Z1fPi, .-_Z1fPi
	.hidden	DW.ref.__gxx_personality_v0
	.weak	DW.ref.__gxx_personality_v0
	.section	.data.rel.local.DW.ref.__gxx_personality_v0,"awG",@progbits,DW.ref.__gxx_personality_v0,comdat
	.align 8
	.type	DW.ref.__gxx_personality_v0, @object
	.size	DW.ref.__gxx_personality_v0, 8
DW.ref.__gxx_personality_v0:
	.quad	__gxx_personality_v0
	.ident	"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
""";

    [Fact]
    public void ExceptionLandingPad_ValuesItReadsStayLiveAcrossTheCall()
    {
        var s = AsmSnippet.Parse(TryCatch, "_Z1fPi");
        int landingPad = s.BlockOfLabel(".L4");
        Live(s.Liveness.LiveIn(landingPad), Rbx);
        Live(s.LiveAfter(s.Node("movq %rdi, %rbx")), Rbx);
        Live(s.LiveAfter(s.Node("call _Z9may_throwv@PLT")), Rbx);
    }

    [Fact]
    public void JumpTableTargetInColdPart_KeepsItsUsesLive()
    {
        var s = AsmSnippet.Function("""
            movl $5, %r11d
            leaq .L4(%rip), %rcx
            movslq (%rcx,%rdi,4), %rax
            addq %rcx, %rax
            jmp *%rax
            .L3:
            xorl %eax, %eax
            ret
            """, after: """
            .section .text.unlikely,"ax",@progbits
            .type f.cold, @function
            f.cold:
            .L7:
            movl %r11d, %eax
            ret
            .size f.cold, .-f.cold
            .section .rodata
            .align 4
            .L4:
            .long .L3-.L4
            .long .L7-.L4
            """);
        Live(s.LiveAfter(s.Node("movl $5, %r11d")), R11);
        Live(s.Liveness.LiveOut(s.BlockOf(s.Node("jmp *%rax"))), R11);
    }

    [Fact]
    public void JumpTableTargetsInsideFunction_AreStillExact()
    {
        // Control for the test above: with both targets in f, r11 is live through the edge.
        var s = AsmSnippet.Function("""
            movl $5, %r11d
            leaq .L4(%rip), %rcx
            movslq (%rcx,%rdi,4), %rax
            addq %rcx, %rax
            jmp *%rax
            .L3:
            xorl %eax, %eax
            ret
            .L7:
            movl %r11d, %eax
            ret
            """, after: """
            .section .rodata
            .align 4
            .L4:
            .long .L3-.L4
            .long .L7-.L4
            """);
        Live(s.LiveAfter(s.Node("movl $5, %r11d")), R11);
    }

    [Fact]
    public void LocalFunctionWithNoReturnName_IsAnOrdinaryCall()
    {
        var s = AsmSnippet.Function("""
            movl %edi, %ebx
            call err
            movl %ebx, %eax
            ret
            """, after: """
            .text
            .type err, @function
            err:
            ret
            .size err, .-err
            """);
        int call = s.Node("call err");
        // Control continues after the call: either in the same block or through a successor edge.
        Assert.True(s.BlockOf(call) == s.BlockOf(call + 1) || s.Block(s.BlockOf(call)).Successors.Count > 0);
        Live(s.LiveAfter(s.Node("movl %edi, %ebx")), Rbx);
        Live(s.LiveAfter(call), Rbx);
    }

    [Fact]
    public void Syscall_ClobbersOnlyRaxRcxR11()
    {
        var s = AsmSnippet.Function("""
            movaps %xmm1, %xmm8
            movl $39, %eax
            syscall
            addss %xmm8, %xmm0
            ret
            """);
        int syscall = s.Node("syscall");
        Live(s.LiveBefore(syscall), Xmm(8));
        Live(s.LiveAfter(s.Node("movaps %xmm1, %xmm8")), Xmm(8));
        Assert.False(s.Effects(syscall).Kills.Contains(Xmm(8)));
        Assert.True(s.Effects(syscall).Kills.Contains(Rcx));
        Assert.True(s.Effects(syscall).Kills.Contains(R11));
    }

    [Fact]
    public void ExceptionLandingPad_IsSuccessorOfCallInsideTryRegion()
    {
        var s = AsmSnippet.Parse(TryCatch, "_Z1fPi");
        int call = s.Node("call _Z9may_throwv@PLT");
        var block = s.Block(s.BlockOf(call));
        Assert.Contains(s.BlockOfLabel(".L4"), block.Successors);
        // The normal return path is still a successor.
        Assert.Contains(s.BlockOf(s.Node("xorl %eax, %eax")), block.Successors);
        // At the pad, rbx holds p and rax the exception object; the call-clobbered rest is garbage.
        Live(s.Liveness.LiveIn(s.BlockOfLabel(".L4")), Rbx, Rax);
    }

    [Fact]
    public void Syscall_ReadsKernelArguments_ClobbersRcxAndR11()
    {
        var s = AsmSnippet.Function("""
            movl $1, %r11d
            movl $2, %ecx
            movl $3, %r10d
            movl $60, %eax
            syscall
            addl %r11d, %eax
            addl %ecx, %eax
            ret
            """);
        int syscall = s.Node("syscall");
        Live(s.LiveBefore(syscall), Rax, Rdi, Rsi, Rdx, R10, R8, R9);
        Dead(s.LiveBefore(syscall), R11, Rcx);
        Dead(s.LiveAfter(s.Node("movl $1, %r11d")), R11);
        Dead(s.LiveAfter(s.Node("movl $2, %ecx")), Rcx);
        Live(s.LiveAfter(s.Node("movl $3, %r10d")), R10);
        Assert.NotEqual(BarrierKind.None, s.Effects(syscall).Barrier);
    }

    [Fact]
    public void Int80_ReadsItsArguments()
    {
        var s = AsmSnippet.Function("""
            movl $1, %eax
            movl $0, %ebx
            int $0x80
            ret
            """);
        int trap = s.Node("int $0x80");
        Live(s.LiveBefore(trap), Rax, Rbx, Rcx, Rdx, Rsi, Rdi, Rbp);
        Live(s.LiveAfter(s.Node("movl $1, %eax")), Rax);
        Live(s.LiveAfter(s.Node("movl $0, %ebx")), Rbx);
        Assert.True(s.Effects(trap).Writes.Contains(Rax));
    }

    [Fact]
    public void DebugInfoLabels_AreNotLandingPads()
    {
        var s = AsmSnippet.Function("""
            .LFB0:
            .LVL0:
            pushq %rbx
            movl %edi, %ebx
            call foo@PLT
            .LVL1:
            movl %ebx, %eax
            popq %rbx
            ret
            .LFE0:
            """, after: """
            .section .debug_loclists,"",@progbits
            .uleb128 .LVL0-.LFB0
            .uleb128 .LVL1-.LFB0
            .uleb128 .LFE0-.LFB0
            """);
        var block = s.Block(s.BlockOf(s.Node("call foo@PLT")));
        Assert.DoesNotContain(s.BlockOfLabel(".LVL0"), block.Successors);
        Assert.Equal(new[] { s.BlockOfLabel(".LVL1") }, block.Successors);
    }
}
