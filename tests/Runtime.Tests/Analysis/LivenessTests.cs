using CompilerLLM.Analysis;
using CompilerLLM.Tests.TestSupport;
using static CompilerLLM.Analysis.Location;
using static CompilerLLM.Tests.Analysis.LiveAssert;

namespace CompilerLLM.Tests.Analysis;

/// <summary>Register, lane and flag liveness on hand-checked snippets (instruction semantics and ABI).</summary>
public sealed class LivenessTests
{
    // ---------------------------------------------------------------- general registers

    [Fact]
    public void RegisterWrittenThenRead_IsLiveOnlyBetween()
    {
        var s = AsmSnippet.Function("""
            movl $5, %ecx
            addl %ecx, %eax
            ret
            """);
        int mov = s.Node("movl $5, %ecx"), add = s.Node("addl %ecx, %eax");
        Dead(s.LiveBefore(mov), Rcx);
        Live(s.LiveAfter(mov), Rcx, Rax);
        Dead(s.LiveAfter(add), Rcx);
        Live(s.LiveAfter(add), Rax);
        Live(s.Liveness.LiveIn(0), Rax);
        Dead(s.Liveness.LiveIn(0), Rcx);
    }

    [Fact]
    public void Write32_KillsWholeRegister()
    {
        var s = AsmSnippet.Function("""
            movl $1, %eax
            ret
            """);
        int mov = s.Node("movl $1, %eax");
        Live(s.LiveAfter(mov), Rax);
        Dead(s.LiveBefore(mov), Rax);
        Assert.True(s.Effects(mov).Kills.Contains(Rax));
        Assert.False(s.Effects(mov).Uses.Contains(Rax));
    }

    [Theory]
    [InlineData("movb $1, %al")]
    [InlineData("movb $1, %ah")]
    [InlineData("movw $1, %ax")]
    [InlineData("sete %al")]
    public void Write8Or16_MergesSoOldValueStaysLive(string partial)
    {
        var s = AsmSnippet.Function(partial + "\nret");
        int n = s.Node(partial);
        Live(s.LiveAfter(n), Rax);
        Live(s.LiveBefore(n), Rax);
        Assert.False(s.Effects(n).Kills.Contains(Rax));
        Assert.True(s.Effects(n).Writes.Contains(Rax));
    }

    [Fact]
    public void XorZeroIdiom_DoesNotReadRegister()
    {
        var s = AsmSnippet.Function("""
            xorl %eax, %eax
            ret
            """);
        int xor = s.Node("xorl %eax, %eax");
        Dead(s.LiveBefore(xor), Rax);
        Assert.False(s.Effects(xor).Uses.Contains(Rax));
        Assert.True(s.Effects(xor).Kills.Contains(Rax));
    }

    [Fact]
    public void XorOfDifferentRegisters_ReadsBoth()
    {
        var s = AsmSnippet.Function("""
            xorl %ecx, %eax
            ret
            """);
        Live(s.LiveBefore("xorl %ecx, %eax"), Rax, Rcx);
    }

    [Fact]
    public void Cmov_ReadsDestinationAndConditionFlags()
    {
        var s = AsmSnippet.Function("""
            cmpl %esi, %edi
            cmovl %ecx, %eax
            ret
            """);
        int cmp = s.Node("cmpl %esi, %edi"), cmov = s.Node("cmovl %ecx, %eax");
        Live(s.LiveBefore(cmov), Rax, Rcx, SF, OF);
        Dead(s.LiveBefore(cmov), CF, ZF, PF, AF);
        // The flags come from the cmpl; rax's old value survives it.
        Live(s.LiveBefore(cmp), Rax, Rcx, Rsi, Rdi);
        Dead(s.LiveBefore(cmp), StatusFlags);
    }

    [Fact]
    public void CmpThenJl_OnlySignAndOverflowLiveBetween()
    {
        var s = AsmSnippet.Function("""
            cmpl %esi, %edi
            jl .L2
            movl $1, %eax
            ret
            .L2:
            movl $2, %eax
            ret
            """);
        int cmp = s.Node("cmpl %esi, %edi");
        var between = s.LiveAfter(cmp);
        Live(between, SF, OF);
        Dead(between, CF, ZF, PF, AF);
        Dead(s.LiveBefore(cmp), StatusFlags);
        Dead(s.LiveBefore(cmp), Rax);
    }

    [Fact]
    public void Inc_PreservesCarry_SoCarryFromEarlierAddIsLiveAcrossIt()
    {
        var s = AsmSnippet.Function("""
            addl %esi, %edi
            incl %eax
            adcl $0, %edx
            ret
            """);
        int add = s.Node("addl %esi, %edi"), inc = s.Node("incl %eax");
        Live(s.LiveBefore(inc), CF);
        Live(s.LiveAfter(inc), CF);
        Live(s.LiveAfter(add), CF);
        Dead(s.LiveBefore(inc), ZF, SF, OF, PF, AF);
        Dead(s.LiveBefore(add), CF);
        Assert.False(s.Effects(inc).Writes.Contains(CF));
        Assert.True(s.Effects(inc).Kills.Contains(ZF));
    }

    [Fact]
    public void Inc_PreservesCarry_ForLaterJc()
    {
        var s = AsmSnippet.Function("""
            cmpl %esi, %edi
            incl %eax
            jc .L2
            ret
            .L2:
            xorl %eax, %eax
            ret
            """);
        Live(s.LiveBefore("incl %eax"), CF);
        Live(s.LiveAfter("cmpl %esi, %edi"), CF);
        Dead(s.LiveBefore("incl %eax"), ZF, SF, OF);
    }

    [Fact]
    public void AddImmediate_KillsCarry()
    {
        var s = AsmSnippet.Function("""
            addl %esi, %edi
            addl $1, %eax
            adcl $0, %edx
            ret
            """);
        int add1 = s.Node("addl $1, %eax");
        Live(s.LiveAfter(add1), CF);
        Dead(s.LiveBefore(add1), StatusFlags);
        Dead(s.LiveAfter(s.Node("addl %esi, %edi")), StatusFlags);
    }

    [Fact]
    public void ShiftByCl_MayLeaveFlagsUntouched_SoTheyStayLive()
    {
        var s = AsmSnippet.Function("""
            cmpl %esi, %edi
            shll %cl, %eax
            adcl $0, %edx
            ret
            """);
        int shl = s.Node("shll %cl, %eax");
        Live(s.LiveBefore(shl), CF, Rcx, Rax);
        Live(s.LiveAfter(s.Node("cmpl %esi, %edi")), CF);
        Assert.False(s.Effects(shl).Kills.Contains(CF));
        Assert.True(s.Effects(shl).Writes.Contains(CF));
    }

    [Fact]
    public void ShiftByNonZeroImmediate_KillsFlags()
    {
        var s = AsmSnippet.Function("""
            cmpl %esi, %edi
            shll $3, %eax
            adcl $0, %edx
            ret
            """);
        int shl = s.Node("shll $3, %eax");
        Live(s.LiveAfter(shl), CF);
        Dead(s.LiveBefore(shl), StatusFlags);
        Dead(s.LiveAfter(s.Node("cmpl %esi, %edi")), StatusFlags);
    }

    [Fact]
    public void ShiftByImmediateThatMasksToZero_LeavesFlags()
    {
        // 32-bit shifts mask the count to 5 bits: $32 shifts by 0 and changes no flag.
        var s = AsmSnippet.Function("""
            cmpl %esi, %edi
            shll $32, %eax
            adcl $0, %edx
            ret
            """);
        Live(s.LiveBefore("shll $32, %eax"), CF);
    }

    [Fact]
    public void Bsf_KeepsOldDestinationLive()
    {
        var s = AsmSnippet.Function("""
            bsfl %ecx, %eax
            ret
            """);
        int bsf = s.Node("bsfl %ecx, %eax");
        Live(s.LiveBefore(bsf), Rax, Rcx);
        Assert.False(s.Effects(bsf).Kills.Contains(Rax));
    }

    [Fact]
    public void Tzcnt_KillsDestination()
    {
        var s = AsmSnippet.Function("""
            tzcntl %ecx, %eax
            ret
            """);
        Dead(s.LiveBefore("tzcntl %ecx, %eax"), Rax);
        Live(s.LiveBefore("tzcntl %ecx, %eax"), Rcx);
    }

    [Fact]
    public void Div_ReadsRaxAndRdx_AndKillsBoth()
    {
        var s = AsmSnippet.Function("""
            divl %ecx
            ret
            """);
        int div = s.Node("divl %ecx");
        Live(s.LiveBefore(div), Rax, Rdx, Rcx);
        Assert.True(s.Effects(div).Kills.Contains(Rax));
        Assert.True(s.Effects(div).Kills.Contains(Rdx));
    }

    [Fact]
    public void Cqto_KillsRdx()
    {
        var s = AsmSnippet.Function("""
            cqto
            ret
            """);
        Dead(s.LiveBefore("cqto"), Rdx);
        Live(s.LiveBefore("cqto"), Rax);
    }

    // ---------------------------------------------------------------- vector registers

    [Fact]
    public void LegacyMovssRegister_MergesSoDestinationIsRead()
    {
        var s = AsmSnippet.Function("""
            movss %xmm1, %xmm0
            ret
            """);
        int movss = s.Node("movss %xmm1, %xmm0");
        Live(s.LiveBefore(movss), Xmm(0), Xmm(1), YmmHi(0));
    }

    [Fact]
    public void LegacyMovssLoad_KillsLowLaneOnly()
    {
        var s = AsmSnippet.Function("""
            movss (%rdi), %xmm0
            ret
            """);
        int movss = s.Node("movss (%rdi), %xmm0");
        Dead(s.LiveBefore(movss), Xmm(0));
        Live(s.LiveBefore(movss), YmmHi(0), Rdi);
    }

    [Theory]
    [InlineData("sqrtsd %xmm1, %xmm0")]
    [InlineData("cvtsi2sdl %eax, %xmm0")]
    [InlineData("cvtss2sd %xmm1, %xmm0")]
    [InlineData("movlps (%rdi), %xmm0")]
    public void LegacyScalarOps_MergeIntoDestination(string text)
    {
        var s = AsmSnippet.Function(text + "\nret");
        Live(s.LiveBefore(text), Xmm(0));
    }

    [Fact]
    public void LegacyMovaps_KillsLowLaneButUpperLaneStaysLive()
    {
        var s = AsmSnippet.Function("""
            movaps %xmm1, %xmm8
            vmovaps %ymm8, (%rdi)
            ret
            """);
        int movaps = s.Node("movaps %xmm1, %xmm8");
        var before = s.LiveBefore(movaps);
        Dead(before, Xmm(8));
        Live(before, YmmHi(8), Xmm(1));
        Live(s.LiveAfter(movaps), Xmm(8), YmmHi(8));
    }

    [Fact]
    public void VexMovaps_KillsBothLanes()
    {
        var s = AsmSnippet.Function("""
            vmovaps %xmm1, %xmm8
            vmovaps %ymm8, (%rdi)
            ret
            """);
        int vmovaps = s.Node("vmovaps %xmm1, %xmm8");
        var before = s.LiveBefore(vmovaps);
        Dead(before, Xmm(8), YmmHi(8));
        Live(before, Xmm(1));
        Assert.True(s.Effects(vmovaps).Kills.Contains(YmmHi(8)));
    }

    [Fact]
    public void VexMovaps_AtReturn_KillsXmm0UpperHalfToo()
    {
        var s = AsmSnippet.Function("""
            vmovaps %xmm1, %xmm0
            ret
            """);
        Dead(s.LiveBefore("vmovaps %xmm1, %xmm0"), Xmm(0), YmmHi(0));
        var legacy = AsmSnippet.Function("""
            movaps %xmm1, %xmm0
            ret
            """);
        Dead(legacy.LiveBefore("movaps %xmm1, %xmm0"), Xmm(0));
        Live(legacy.LiveBefore("movaps %xmm1, %xmm0"), YmmHi(0));
    }

    [Fact]
    public void Vzeroupper_KeepsLowLanesLive()
    {
        // GCC's usual epilogue: the scalar result in xmm0 must survive vzeroupper.
        var s = AsmSnippet.Function("""
            vaddsd %xmm1, %xmm2, %xmm0
            vzeroupper
            ret
            """);
        Live(s.LiveAfter("vaddsd %xmm1, %xmm2, %xmm0"), Xmm(0));
        Live(s.LiveBefore("vaddsd %xmm1, %xmm2, %xmm0"), Xmm(1), Xmm(2));
        Dead(s.LiveBefore("vaddsd %xmm1, %xmm2, %xmm0"), Xmm(0));
    }

    [Fact]
    public void MaskedEvexMove_MergesButZeroMaskingKills()
    {
        var s = AsmSnippet.Function("""
            vmovaps %zmm1, %zmm8{%k1}
            vmovaps %zmm2, %zmm9{%k1}{z}
            vmovaps %zmm8, (%rdi)
            vmovaps %zmm9, 64(%rdi)
            ret
            """);
        Live(s.LiveBefore("vmovaps %zmm1, %zmm8{%k1}"), Xmm(8), YmmHi(8), K(1));
        Dead(s.LiveBefore("vmovaps %zmm2, %zmm9{%k1}{z}"), Xmm(9), YmmHi(9));
    }

    // ---------------------------------------------------------------- calls, returns, tail calls

    [Fact]
    public void Call_ArgumentRegistersLiveBefore()
    {
        var s = AsmSnippet.Function("""
            call foo@PLT
            ret
            """);
        var before = s.LiveBefore("call foo@PLT");
        Live(before, Rdi, Rsi, Rdx, Rcx, R8, R9, Rax, Rsp);
        for (int i = 0; i < 8; i++) Live(before, Xmm(i));
        Dead(before, R11, Xmm(8), Xmm(15), YmmHi(8), K(1));
        Dead(before, StatusFlags);
    }

    [Fact]
    public void Call_CallerSavedDeadBeforeCall_EvenIfReadAfter()
    {
        // r11, xmm8 and the flags hold garbage after the call: the values set before it are dead.
        var s = AsmSnippet.Function("""
            cmpl %esi, %edi
            movl $1, %r11d
            movaps %xmm1, %xmm8
            call foo@PLT
            addl %r11d, %eax
            addss %xmm8, %xmm0
            ret
            """);
        int call = s.Node("call foo@PLT");
        var before = s.LiveBefore(call);
        Dead(before, R11, Xmm(8), YmmHi(8));
        Dead(before, StatusFlags);
        Live(s.LiveAfter(call), R11, Xmm(8), Rax, Xmm(0));
        Dead(s.LiveAfter(s.Node("movl $1, %r11d")), R11);
        Dead(s.LiveAfter(s.Node("cmpl %esi, %edi")), StatusFlags);
    }

    [Fact]
    public void Call_CalleeSavedLiveAcross()
    {
        var s = AsmSnippet.Function("""
            movl $1, %ebx
            movl $2, %r12d
            call foo@PLT
            leal (%rbx,%r12), %eax
            ret
            """);
        int call = s.Node("call foo@PLT");
        Live(s.LiveAfter(s.Node("movl $1, %ebx")), Rbx);
        Live(s.LiveBefore(call), Rbx, R12);
        Live(s.LiveAfter(call), Rbx, R12);
        Dead(s.Liveness.LiveIn(0), Rbx, R12);
        Assert.False(s.Effects(call).Kills.Contains(Rbx));
        Assert.False(s.Effects(call).Kills.Contains(R12));
    }

    [Fact]
    public void IndirectCall_ReadsTargetAndArguments()
    {
        var s = AsmSnippet.Function("""
            movq %rdi, %r11
            call *%r11
            ret
            """);
        Live(s.LiveBefore("call *%r11"), R11, Rdi, Rsi);
    }

    [Fact]
    public void Return_LivesAreReturnValuesAndCalleeSaved()
    {
        var s = AsmSnippet.Function("ret");
        var live = s.Liveness.LiveIn(0);
        Live(live, Rax, Rbx, Rbp, R12, R13, R14, R15, Rsp);
        Dead(live, Rcx, Rsi, Rdi, R8, R9, R10, R11);
        for (int i = 2; i < 32; i++) Dead(live, Xmm(i), YmmHi(i));
        for (int k = 0; k < 8; k++) Dead(live, K(k));
        Dead(live, StatusFlags);
        Assert.Equal(BlockExit.Return, s.Block(0).Exit);
        Assert.Empty(s.Block(0).Successors);
    }

    [Fact]
    public void Return_ValueComputedBeforeIsLive()
    {
        var s = AsmSnippet.Function("""
            movl %edi, %eax
            movl %esi, %ecx
            ret
            """);
        Live(s.LiveAfter("movl %edi, %eax"), Rax);
        Dead(s.LiveAfter("movl %esi, %ecx"), Rcx);
        Live(s.Liveness.LiveIn(0), Rdi, Rsi);
        Dead(s.Liveness.LiveIn(0), Rax, Rcx);
    }

    [Fact]
    public void TailCall_UsesArgumentRegistersAndCalleeSaved()
    {
        var s = AsmSnippet.Function("jmp foo@PLT");
        Assert.Equal(BlockExit.TailCall, s.Block(0).Exit);
        Assert.Empty(s.Block(0).Successors);
        var live = s.Liveness.LiveIn(0);
        Live(live, Rdi, Rsi, Rdx, Rcx, R8, R9, Rax, Rsp, Rbx, Rbp, R12, R13, R14, R15);
        for (int i = 0; i < 8; i++) Live(live, Xmm(i));
        Dead(live, R11, Xmm(8));
        Dead(live, StatusFlags);
    }

    [Fact]
    public void TailCall_ArgumentSetBeforeItIsLive_ScratchIsNot()
    {
        var s = AsmSnippet.Function("""
            movl $7, %edi
            movl $8, %r11d
            jmp foo
            """);
        Live(s.LiveAfter("movl $7, %edi"), Rdi);
        Dead(s.LiveAfter("movl $8, %r11d"), R11);
        Dead(s.Liveness.LiveIn(0), Rdi);
    }

    [Fact]
    public void ConditionalTailCall_CombinesAbiAndFallthrough()
    {
        var s = AsmSnippet.Function("""
            testl %edi, %edi
            jne foo@PLT
            movl %r11d, %eax
            ret
            """);
        int jne = s.Node("jne foo@PLT");
        var b = s.Block(s.BlockOf(jne));
        Assert.Equal(BlockExit.TailCall, b.Exit);
        Assert.Equal(new[] { s.BlockOf(s.Node("movl %r11d, %eax")) }, b.Successors);
        Live(s.LiveAfter(jne), Rdi, Rbx, R11);
    }

    // ---------------------------------------------------------------- loops

    [Fact]
    public void Loop_ValueUsedInHeaderIsLiveAroundBackEdge()
    {
        var s = AsmSnippet.Function("""
            movl $3, %r8d
            xorl %eax, %eax
            movl $10, %ecx
            .L2:
            addl %r8d, %eax
            .L3:
            subl $1, %ecx
            jne .L2
            ret
            """);
        int header = s.BlockOfLabel(".L2"), latch = s.BlockOfLabel(".L3");
        Assert.Contains(header, s.Block(latch).Successors);
        Live(s.Liveness.LiveIn(header), R8, Rax, Rcx);
        Live(s.Liveness.LiveIn(latch), R8, Rax, Rcx);
        Live(s.Liveness.LiveOut(latch), R8, Rax, Rcx);
        Live(s.LiveAfter(s.Node("subl $1, %ecx")), R8, ZF);
        Live(s.LiveAfter(s.Node("movl $3, %r8d")), R8);
        Dead(s.Liveness.LiveIn(0), R8, Rax, Rcx);
        // After the loop r8 is dead: the exit block does not keep it.
        int exit = s.BlockOf(s.Node("ret"));
        Dead(s.Liveness.LiveIn(exit), R8, Rcx);
    }

    [Fact]
    public void Loop_ValueDefinedInsideAndUsedNextIterationIsLiveAtBackEdge()
    {
        var s = AsmSnippet.Function("""
            xorl %r9d, %r9d
            .L2:
            addl %r9d, %eax
            movl (%rdi), %r9d
            addq $4, %rdi
            cmpq %rsi, %rdi
            jne .L2
            ret
            """);
        int load = s.Node("movl (%rdi), %r9d");
        Dead(s.LiveBefore(load), R9);
        Live(s.LiveAfter(load), R9);
        Live(s.LiveAfter(s.Node("cmpq %rsi, %rdi")), R9, ZF);
        Dead(s.LiveAfter(s.Node("cmpq %rsi, %rdi")), CF, SF, OF);
    }
}
