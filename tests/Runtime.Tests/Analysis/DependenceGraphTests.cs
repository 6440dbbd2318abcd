using CompilerLLM.Analysis;
using CompilerLLM.Tests.TestSupport;
using static CompilerLLM.Analysis.DependenceKind;

namespace CompilerLLM.Tests.Analysis;

/// <summary>Per-block dependence edges: registers, single flags, memory disambiguation, barriers.</summary>
public sealed class DependenceGraphTests
{
    private static void AssertEdge(AsmSnippet s, DependenceKind expected, int from, int to) =>
        Assert.True(expected == s.Edge(from, to),
            $"edge {from}->{to}: expected {expected}, got {s.Edge(from, to)}; edges: {s.DescribeEdges(s.BlockOf(from))}");

    private static void AssertEdge(AsmSnippet s, DependenceKind expected, string from, string to) =>
        AssertEdge(s, expected, s.Node(from), s.Node(to));

    private static void AssertHas(AsmSnippet s, DependenceKind kind, string from, string to)
    {
        var actual = s.Edge(from, to);
        Assert.True((actual & kind) == kind, $"edge {from} -> {to}: expected {kind} among {actual}; edges: {s.DescribeEdges(s.BlockOf(s.Node(from)))}");
    }

    // ---------------------------------------------------------------- registers and flags

    [Fact]
    public void AddThenAdc_RawOnCarry()
    {
        var s = AsmSnippet.Function("""
            addl %esi, %edi
            adcl $0, %eax
            ret
            """);
        // adc reads CF written by add (RAW) and rewrites the flags add wrote (WAW); no register is shared.
        AssertEdge(s, Raw | Waw, "addl %esi, %edi", "adcl $0, %eax");
    }

    [Fact]
    public void IndependentMoves_HaveNoEdge()
    {
        var s = AsmSnippet.Function("""
            movl $1, %eax
            movl $2, %ecx
            ret
            """);
        AssertEdge(s, None, 0, 1);
        AssertEdge(s, None, 1, 0);
        // The terminator follows both (one edge per pair, whatever else ret reads).
        Assert.True((s.Edge(0, 2) & Order) != 0, s.DescribeEdges(0));
        AssertEdge(s, Order, 1, 2);
        Assert.Equal(2, s.Analysis.Dependences(0).Edges.Length);
    }

    [Fact]
    public void RegisterRaw()
    {
        var s = AsmSnippet.Function("""
            movl $1, %ecx
            movl %ecx, %edx
            ret
            """);
        AssertEdge(s, Raw, 0, 1);
    }

    [Fact]
    public void RegisterWar()
    {
        var s = AsmSnippet.Function("""
            movl %ecx, %edx
            movl $1, %ecx
            ret
            """);
        AssertEdge(s, War, 0, 1);
    }

    [Fact]
    public void RegisterWaw()
    {
        var s = AsmSnippet.Function("""
            movl $1, %ecx
            movl $2, %ecx
            ret
            """);
        AssertEdge(s, Waw, 0, 1);
    }

    [Fact]
    public void PartialRegisterWrite_DependsOnEarlierFullWrite()
    {
        var s = AsmSnippet.Function("""
            movl $1, %ecx
            movb $2, %cl
            ret
            """);
        // movb keeps bits 8..63 of rcx: it reads them (RAW) as well as rewriting rcx (WAW).
        AssertEdge(s, Raw | Waw, 0, 1);
    }

    [Fact]
    public void FlagsAreTrackedOneByOne()
    {
        var s = AsmSnippet.Function("""
            addl %esi, %edi
            incl %eax
            adcl $0, %edx
            ret
            """);
        int add = s.Node("addl %esi, %edi"), inc = s.Node("incl %eax"), adc = s.Node("adcl $0, %edx");
        // inc writes OF SF ZF AF PF but not CF: adc's carry comes from add, not inc.
        AssertEdge(s, Waw, add, inc);
        AssertEdge(s, Waw, inc, adc);
        AssertEdge(s, Raw | Waw, add, adc);
    }

    [Fact]
    public void FlagReaderBeforeFlagWriter_IsWar()
    {
        var s = AsmSnippet.Function("""
            setc %al
            addl %esi, %edi
            ret
            """);
        // setc reads CF, add rewrites it; no register is shared between them.
        AssertEdge(s, War, 0, 1);
    }

    [Fact]
    public void ConditionalJumpReadsOnlyItsFlags()
    {
        var s = AsmSnippet.Function("""
            cmpl %esi, %edi
            incl %eax
            jb .L2
            ret
            .L2:
            ret
            """);
        int cmp = s.Node("cmpl %esi, %edi"), inc = s.Node("incl %eax"), jb = s.Node("jb .L2");
        Assert.True((s.Edge(cmp, jb) & Order) != 0, s.DescribeEdges(0));
        AssertEdge(s, Order, inc, jb);  // jb reads CF only, which incl does not write
        AssertEdge(s, Waw, cmp, inc);
    }

    // ---------------------------------------------------------------- memory

    [Fact]
    public void DisjointStoreThenLoadOffSameBase_HaveNoEdge()
    {
        // Only a later load may pass an earlier store (as x86-TSO allows), and only to another place.
        var s = AsmSnippet.Function("""
            movl $1, -4(%rsp)
            movl -8(%rsp), %eax
            ret
            """);
        AssertEdge(s, None, 0, 1);
        var stores = AsmSnippet.Function("""
            movl $1, -4(%rsp)
            movl $2, -8(%rsp)
            ret
            """);
        AssertEdge(stores, Memory, 0, 1); // stores stay in program order, disjoint or not
    }

    [Fact]
    public void OverlappingStoresOffSameBase_AreOrdered()
    {
        var s = AsmSnippet.Function("""
            movl $1, -4(%rsp)
            movl $2, -2(%rsp)
            ret
            """);
        AssertEdge(s, Memory, 0, 1);
    }

    [Fact]
    public void AdjacentAccessesOfDifferentSizes()
    {
        var s = AsmSnippet.Function("""
            movq $1, -16(%rsp)
            movl -8(%rsp), %eax
            movb -9(%rsp), %cl
            ret
            """);
        AssertEdge(s, None, 0, 1);   // store [-16,-8), load [-8,-4): disjoint
        AssertEdge(s, Memory, 0, 2); // store [-16,-8), load [-9,-8): overlap
        AssertEdge(s, Memory, 1, 2); // two loads stay in program order
    }

    [Fact]
    public void SameDisplacementAfterBaseChanged_IsOrdered()
    {
        // After subq $4, -4(%rsp) is the old -8(%rsp): the two stores hit the same bytes.
        var s = AsmSnippet.Function("""
            movl $1, -8(%rsp)
            subq $4, %rsp
            movl $2, -4(%rsp)
            addq $4, %rsp
            ret
            """);
        int first = s.Node("movl $1, -8(%rsp)"), second = s.Node("movl $2, -4(%rsp)");
        // Every write to rsp is a barrier now (it moves the red zone): ordered through it.
        Assert.True(s.Reaches(first, second), s.DescribeEdges(0));
        Assert.True((s.Edge(first, s.Node("subq $4, %rsp")) & Order) != 0, s.DescribeEdges(0));
    }

    [Fact]
    public void SameDisplacementAfterBaseChanged_EvenWhenOffsetsLookDisjoint()
    {
        var s = AsmSnippet.Function("""
            movl $1, -4(%rdi)
            subq $8, %rdi
            movl $2, -8(%rdi)
            ret
            """);
        Assert.True((s.Edge(0, 2) & Memory) != 0, s.DescribeEdges(0));
    }

    [Fact]
    public void DifferentBaseRegisters_MayAlias()
    {
        var s = AsmSnippet.Function("""
            movl $1, (%rdi)
            movl $2, 4(%rsi)
            ret
            """);
        AssertEdge(s, Memory, 0, 1);
    }

    [Fact]
    public void StoreThenLoad_SameAddress_IsOrdered()
    {
        var s = AsmSnippet.Function("""
            movl $1, 8(%rdi)
            movl 8(%rdi), %eax
            ret
            """);
        AssertEdge(s, Memory, 0, 1);
    }

    [Fact]
    public void LoadThenStore_DifferentBase_IsOrdered()
    {
        var s = AsmSnippet.Function("""
            movl (%rsi), %eax
            movl $1, (%rdi)
            ret
            """);
        AssertEdge(s, Memory, 0, 1);
    }

    [Fact]
    public void TwoLoads_StayInProgramOrder()
    {
        // An acquire load is a plain mov on x86: later loads must not pass it.
        var s = AsmSnippet.Function("""
            movl (%rdi), %eax
            movl (%rsi), %ecx
            movl (%rdi), %edx
            ret
            """);
        AssertEdge(s, Memory, 0, 1);
        AssertEdge(s, Memory, 0, 2);
        AssertEdge(s, Memory, 1, 2);
    }

    [Fact]
    public void IndexedAccesses_SameIndexDisjointOffsets()
    {
        var s = AsmSnippet.Function("""
            movl $1, (%rdi,%rcx,4)
            movl 4(%rdi,%rcx,4), %eax
            movl 4(%rdi,%rdx,4), %esi
            ret
            """);
        AssertEdge(s, None, 0, 1);   // same index, disjoint offsets
        AssertEdge(s, Memory, 0, 2); // another index may alias
        AssertEdge(s, Memory, 1, 2); // loads in program order
    }

    [Fact]
    public void SymbolPlusOffsets_AreDisjoint()
    {
        var s = AsmSnippet.Function("""
            movq %rax, x(%rip)
            movq x+8(%rip), %rcx
            ret
            """);
        AssertEdge(s, None, 0, 1);
    }

    [Fact]
    public void SymbolPlusOverlappingOffsets_AreOrdered()
    {
        var s = AsmSnippet.Function("""
            movq %rax, x(%rip)
            movq %rcx, x+4(%rip)
            ret
            """);
        AssertEdge(s, Memory, 0, 1);
    }

    [Fact]
    public void DifferentSymbols_AreNotAssumedDisjoint()
    {
        var s = AsmSnippet.Function("""
            movq %rax, x(%rip)
            movq %rcx, y(%rip)
            movq y+8(%rip), %rdx
            ret
            """);
        AssertEdge(s, Memory, 0, 1);
        AssertEdge(s, Memory, 0, 2);   // y+8 could still be x: different symbols say nothing
        AssertEdge(s, None, 1, 2);     // store y, load y+8: disjoint
    }

    [Fact]
    public void RepString_HasUnknownExtent()
    {
        var s = AsmSnippet.Function("""
            movq $1, 64(%rdi)
            rep stosq
            ret
            """);
        AssertHas(s, Memory, "movq $1, 64(%rdi)", "rep stosq");
    }

    [Fact]
    public void BitTestWithImmediateOffset_StaysInsideOperand()
    {
        // btsl $3 touches only the dword at 32(%rdi): a later load of 36(%rdi) may pass it.
        var s = AsmSnippet.Function("""
            btsl $3, 32(%rdi)
            movl 36(%rdi), %eax
            ret
            """);
        AssertEdge(s, None, 0, 1);
    }

    [Fact]
    public void BitTestWithRegisterOffset_MayTouchMemoryBeyondTheOperand()
    {
        var s = AsmSnippet.Function("""
            btsl %eax, (%rdi)
            movl $1, 8(%rdi)
            btl %ecx, 16(%rdi)
            movl $2, 24(%rdi)
            ret
            """);
        AssertHas(s, Memory, "btsl %eax, (%rdi)", "movl $1, 8(%rdi)");
        AssertHas(s, Memory, "btl %ecx, 16(%rdi)", "movl $2, 24(%rdi)");
        Assert.False(s.Analysis.Dependences(0).IsValidOrder([1, 0, 2, 3, 4]));
    }

    [Fact]
    public void PushAndPop_StackSlotsAreDisambiguated()
    {
        // push writes 8 bytes below the old rsp; pop reads 8 bytes at it.
        var s = AsmSnippet.Function("""
            movq %rax, -8(%rsp)
            pushq %rbx
            ret
            """);
        // push and pop write rsp: barriers, so every stack access stays on its side of them.
        AssertHas(s, Order, "movq %rax, -8(%rsp)", "pushq %rbx");
        var t = AsmSnippet.Function("""
            movq $1, (%rsp)
            movq $2, 8(%rsp)
            popq %rbx
            ret
            """);
        AssertHas(t, Order, "movq $1, (%rsp)", "popq %rbx");
        AssertHas(t, Order, "movq $2, 8(%rsp)", "popq %rbx");
    }

    // ---------------------------------------------------------------- x87 stack and TLS sequences

    [Fact]
    public void X87Loads_PushOntoTheSameStack_AndStayOrdered()
    {
        var s = AsmSnippet.Function("""
            fldt 16(%rsp)
            fldt 32(%rsp)
            fsubrp %st, %st(1)
            fstpt (%rdi)
            ret
            """);
        Assert.True(s.Effects(0).Writes.Contains(Location.X87), $"fldt writes {s.Effects(0).Writes}");
        Assert.NotEqual(None, s.Edge(0, 1));
        Assert.False(s.Analysis.Dependences(0).IsValidOrder([1, 0, 2, 3, 4]));
    }

    [Fact]
    public void X87ConstantLoads_StayOrdered()
    {
        var s = AsmSnippet.Function("""
            fld1
            fldz
            fdivrp %st, %st(1)
            fstpt (%rdi)
            ret
            """);
        Assert.False(s.Analysis.Dependences(0).IsValidOrder([1, 0, 2, 3, 4]));
    }

    [Fact]
    public void X87Arithmetic_IsOrdered()
    {
        var s = AsmSnippet.Function("""
            fxch %st(1)
            fmul %st(1), %st
            ret
            """);
        Assert.NotEqual(None, s.Edge(0, 1));
    }

    [Fact]
    public void TlsLocalDynamicSequence_StaysAdjacent()
    {
        var s = AsmSnippet.Function("""
            subq $8, %rsp
            leaq x@tlsld(%rip), %rdi
            call __tls_get_addr@PLT
            movl x@dtpoff(%rax), %eax
            addq $8, %rsp
            ret
            """, after: """
            .section .tbss,"awT",@nobits
            .align 4
            .type x, @object
            .size x, 4
            x:
            .zero 4
            """);
        var g = s.Analysis.Dependences(0);
        Assert.True(g.IsValidOrder([0, 1, 2, 3, 4, 5]));
        Assert.False(g.IsValidOrder([1, 0, 2, 3, 4, 5]));
    }

    // ---------------------------------------------------------------- barriers

    [Fact]
    public void Call_IsBarrierBetweenEverythingBeforeAndAfter()
    {
        // rbx, r12-r14 are neither read nor written by the call: only the barrier orders them.
        var s = AsmSnippet.Function("""
            movl $1, %ebx
            movl $2, %r12d
            call foo@PLT
            movl $3, %r13d
            movl $4, %r14d
            ret
            """);
        int call = s.Node("call foo@PLT");
        Assert.Equal(BarrierKind.Call, s.Effects(call).Barrier);
        AssertEdge(s, Order, 0, call);
        AssertEdge(s, Order, 1, call);
        AssertEdge(s, Order, call, 3);
        AssertEdge(s, Order, call, 4);
        AssertEdge(s, None, 0, 1);
        AssertEdge(s, None, 3, 4);
        for (int before = 0; before < call; before++)
        for (int after = call + 1; after < 6; after++)
            Assert.True(s.Reaches(before, after), $"{before} should reach {after}");
    }

    [Fact]
    public void Call_OrdersMemoryAccessesAroundIt()
    {
        var s = AsmSnippet.Function("""
            movl $1, (%rbx)
            call foo@PLT
            movl (%rbx), %eax
            ret
            """);
        Assert.True(s.Reaches(0, 2));
        Assert.True((s.Edge(0, 1) & Order) != 0);
        Assert.True((s.Edge(1, 2) & Order) != 0);
    }

    [Fact]
    public void VerbatimLine_IsBarrier()
    {
        var s = AsmSnippet.Function("""
            movl $1, %ebx
            movl $2, %r12d
            #APP
            nop
            #NO_APP
            movl $3, %r13d
            movl $4, %r14d
            ret
            """, allowVerbatim: true);
        int nop = s.Node("nop");
        Assert.Equal(2, nop);
        Assert.True((s.Edge(0, nop) & Order) != 0);
        Assert.True((s.Edge(1, nop) & Order) != 0);
        Assert.True((s.Edge(nop, 3) & Order) != 0);
        Assert.True((s.Edge(nop, 4) & Order) != 0);
        AssertEdge(s, None, 0, 1);
        AssertEdge(s, None, 3, 4);
        for (int before = 0; before < nop; before++)
        for (int after = nop + 1; after < 6; after++)
            Assert.True(s.Reaches(before, after), $"{before} should reach {after}");
    }

    [Fact]
    public void LockedInstruction_IsBarrier()
    {
        var s = AsmSnippet.Function("""
            movl $1, %ebx
            lock addl $1, (%rdi)
            movl $3, %r13d
            ret
            """);
        Assert.Equal(BarrierKind.Ordering, s.Effects(1).Barrier);
        AssertEdge(s, Order, 0, 1);
        AssertEdge(s, Order, 1, 2);
    }

    [Fact]
    public void Terminator_HasEdgeFromEveryNode()
    {
        var s = AsmSnippet.Function("""
            movl $1, %ecx
            movl $2, %edx
            addl $3, %esi
            jmp .L2
            .L2:
            ret
            """);
        int jmp = s.Node("jmp .L2");
        Assert.Equal(BarrierKind.ControlFlow, s.Effects(jmp).Barrier);
        for (int i = 0; i < jmp; i++) AssertEdge(s, Order, i, jmp);
        Assert.Equal(3, s.Analysis.Dependences(0).Edges.Length);
        Assert.Equal(3, s.Analysis.Dependences(0).Predecessors(jmp).Length);
    }

    [Fact]
    public void Predecessors_ListIncomingEdges()
    {
        var s = AsmSnippet.Function("""
            movl $1, %ecx
            movl $2, %edx
            leal (%rcx,%rdx), %esi
            ret
            """);
        var g = s.Analysis.Dependences(0);
        var preds = g.Predecessors(2).ToArray();
        Assert.Equal(new[] { 0, 1 }, preds.Select(e => (int)e.From).Order());
        Assert.All(preds, e => Assert.Equal(Raw, e.Kind));
        Assert.Empty(g.Predecessors(0).ToArray());
    }

    // ---------------------------------------------------------------- schedules

    [Fact]
    public void IsValidOrder_AcceptsOriginalAndLegalSwaps_RejectsIllegal()
    {
        var s = AsmSnippet.Function("""
            movl $1, %ecx
            movl $2, %edx
            addl %ecx, %esi
            ret
            """);
        var g = s.Analysis.Dependences(0);
        Assert.Equal(4, g.NodeCount);
        Assert.True(g.IsValidOrder([0, 1, 2, 3]));
        Assert.True(g.IsValidOrder([1, 0, 2, 3]));   // independent moves swapped
        Assert.True(g.IsValidOrder([0, 2, 1, 3]));   // add only needs rcx
        Assert.True(g.IsValidOrder([1, 0, 2, 3]));
        Assert.False(g.IsValidOrder([2, 0, 1, 3]));  // add before the rcx it reads
        Assert.False(g.IsValidOrder([0, 1, 3, 2]));  // terminator not last
        Assert.False(g.IsValidOrder([0, 1, 2]));     // not a permutation
        Assert.False(g.IsValidOrder([0, 0, 2, 3]));
        Assert.False(g.IsValidOrder([0, 1, 2, 4]));
    }

    [Fact]
    public void IsValidOrder_RejectsSwappingMemoryDependentStores()
    {
        var s = AsmSnippet.Function("""
            movl $1, (%rdi)
            movl $2, (%rsi)
            movl $3, -4(%rsp)
            ret
            """);
        var g = s.Analysis.Dependences(0);
        Assert.False(g.IsValidOrder([1, 0, 2, 3]));
        Assert.True(g.IsValidOrder([0, 1, 2, 3]));
    }
}

/// <summary>Memory order other threads can observe, and the red zone: found by review, each with a real failure.</summary>
public sealed class MemoryOrderTests
{
    private static CompilerLLM.Analysis.DependenceGraph Graph(string body, out CompilerLLM.Assembly.AsmFile file)
    {
        file = CompilerLLM.Assembly.AsmReader.Read("m.s", "\t.text\n\t.type f, @function\nf:\n" + body + "\tret\n\t.size f, .-f\n");
        var a = CompilerLLM.Analysis.FunctionAnalysis.Analyze(file, file.Functions[0]);
        return a.Dependences(0);
    }

    private static bool Edge(CompilerLLM.Analysis.DependenceGraph g, int from, int to) =>
        g.Edges.ToArray().Any(e => e.From == from && e.To == to);

    [Fact]
    public void LoadsStayInProgramOrder()
    {
        // An acquire load (plain mov on x86) must not be passed by a later load.
        var g = Graph("\tmovl\t(%rdi), %eax\n\tmovslq\t4(%rdi), %rcx\n", out _);
        Assert.True(Edge(g, 0, 1));
        Assert.False(g.IsValidOrder([1, 0, 2]));
    }

    [Fact]
    public void StoresStayInProgramOrderEvenWhenDisjoint()
    {
        var g = Graph("\tmovq\t%rsi, (%rdi)\n\tmovq\t$1, 8(%rdi)\n", out _);
        Assert.True(Edge(g, 0, 1));
    }

    [Fact]
    public void ALoadMayPassAnEarlierStoreToAnotherPlace()
    {
        var g = Graph("\tmovq\t%rsi, (%rdi)\n\tmovq\t8(%rdi), %rax\n", out _);
        Assert.False(Edge(g, 0, 1));
        Assert.True(g.IsValidOrder([1, 0, 2]));
    }

    [Fact]
    public void StackAccessesDoNotCrossTheStackPointer()
    {
        // Hoisting a spill above the allocation would write below the red zone (signal frames clobber it).
        var g = Graph("\tsubq\t$288, %rsp\n\tmovl\t%edi, -260(%rbp)\n", out _);
        Assert.True(Edge(g, 0, 1));
        Assert.False(g.IsValidOrder([1, 0, 2]));
    }
}
