using CompilerLLM.Analysis;
using CompilerLLM.Verification;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Tests.Verification;

/// <summary>Known x86 identities and non-identities, each decided by the real z3.</summary>
public sealed class EquivalenceTests
{
    private static readonly LocationSet Flags = LocationSet.StatusFlags;
    private static readonly LocationSet Gprs = LocationSet.Range(Location.GprBase, 16);
    private static readonly LocationSet Rax = LocationSet.Of(Location.Rax);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static EquivalenceResult Check(string before, string after, LocationSet compare, bool memory = false, EquivalenceOptions? options = null)
    {
        var parsed = X86Text.ParseMany([before, after]);
        return EquivalenceChecker.Check(parsed[0], parsed[1], compare, memory, options);
    }

    private static DifferenceReport Differences(string before, string after, LocationSet compare, bool memory = false, EquivalenceOptions? options = null)
    {
        var parsed = X86Text.ParseMany([before, after]);
        var report = EquivalenceChecker.FindDifferences(parsed[0], parsed[1], compare, memory, options);
        Assert.True(report.Status is EquivalenceStatus.Equivalent or EquivalenceStatus.Different, $"{report.Status}: {report.Reason}");
        return report;
    }

    private static void AssertEquivalent(string before, string after, LocationSet compare, bool memory = false, EquivalenceOptions? options = null)
    {
        var r = Check(before, after, compare, memory, options);
        Assert.True(r.IsEquivalent, $"'{before}' vs '{after}' on {compare}: {r}");
    }

    private static void AssertDifferent(string before, string after, LocationSet compare, bool memory = false, EquivalenceOptions? options = null)
    {
        var r = Check(before, after, compare, memory, options);
        Assert.True(r.Status == EquivalenceStatus.Different, $"'{before}' vs '{after}' on {compare}: {r}");
        Assert.False(r.Differing.IsEmpty && !r.MemoryDiffers, "a counterexample must name what differs");
        Assert.True((r.Differing - compare).IsEmpty);
    }

    /// <summary>Runs <paramref name="asm"/> from a fresh state and proves <paramref name="property"/>(initial, final) for every initial state.</summary>
    private static void Prove(string asm, Func<SymbolicState, SymbolicState, string> property, string? precondition = null, OperandTerms?[]? terms = null)
    {
        var status = Solve(asm, (i, f) => Smt.Not(property(i, f)), precondition, terms, out string details);
        Assert.True(status == SmtStatus.Unsat, $"{asm}: the property has a counterexample\n{details}");
    }

    /// <summary>Whether some initial state makes <paramref name="property"/> true after <paramref name="asm"/>.</summary>
    private static void AssertPossible(string asm, Func<SymbolicState, SymbolicState, string> property, string? precondition = null)
    {
        Assert.Equal(SmtStatus.Sat, Solve(asm, property, precondition, null, out _));
    }

    private static SmtStatus Solve(string asm, Func<SymbolicState, SymbolicState, string> goal, string? precondition, OperandTerms?[]? terms, out string details)
    {
        var smt = new SmtBuilder();
        var initial = SymbolicState.Fresh(smt, "init");
        if (precondition is not null) smt.Assert(precondition);
        var final = initial.Clone();
        string? why = EquivalenceChecker.Execute(X86Text.Parse(asm), final, smt, terms);
        Assert.True(why is null, why);
        string script = smt.ToScript(goal(initial, final));
        var r = Z3Solver.Check(script, Timeout);
        details = r.Output + "\n" + script;
        Assert.True(r.Status is SmtStatus.Sat or SmtStatus.Unsat, $"{asm}: {r.Status}\n{details}");
        return r.Status;
    }

    private static string Init(int location) => EquivalenceChecker.Initial(location);

    // ------------------------------------------------------------------ identities

    [Fact]
    public void XorZeroingEqualsMovZeroOnRaxButNotOnFlags()
    {
        AssertEquivalent("xorl %eax, %eax", "movl $0, %eax", Rax);
        AssertDifferent("xorl %eax, %eax", "movl $0, %eax", Rax | Flags);
        // mov leaves all six flags as they were; xor sets five and leaves AF undefined.
        Assert.Equal(Flags, Differences("xorl %eax, %eax", "movl $0, %eax", Gprs | Flags).CanDiffer);
    }

    [Fact]
    public void AddOneAndIncDifferOnlyInCarry()
    {
        foreach (var (add, inc) in new[] { ("addl $1, %eax", "incl %eax"), ("addb $1, %al", "incb %al"), ("addq $1, %rax", "incq %rax"), ("subw $1, %ax", "decw %ax") })
        {
            var report = Differences(add, inc, Gprs | Flags);
            Assert.Equal(LocationSet.Of(Location.CF), report.CanDiffer);
        }
        AssertEquivalent("addl $1, %eax", "incl %eax", Gprs | Flags - LocationSet.Of(Location.CF));
    }

    [Fact]
    public void CmpZeroAndTestDifferOnlyInAuxiliaryCarry()
    {
        foreach (string s in new[] { "b %al", "w %ax", "l %eax", "q %rax" })
        {
            string reg = s[2..];
            var report = Differences($"cmp{s[0]} $0, {reg}", $"test{s[0]} {reg}, {reg}", Gprs | Flags);
            Assert.Equal(LocationSet.Of(Location.AF), report.CanDiffer);
        }
    }

    [Fact]
    public void LeaTimesThreeEqualsImulByThree()
    {
        AssertEquivalent("leal (%rax,%rax,2), %eax", "imull $3, %eax, %eax", Gprs);
        AssertEquivalent("leaq (%rax,%rax,2), %rax", "imulq $3, %rax, %rax", Gprs);
        AssertEquivalent("leal (%rcx,%rcx,8), %edx", "imull $9, %ecx, %edx", Gprs);
        AssertDifferent("leal (%rax,%rax,2), %eax", "imull $5, %eax, %eax", Rax);
        // The 32-bit lea truncates a 64-bit address computation: the same low bits.
        AssertEquivalent("leal 7(%rax,%rcx,4), %edx", "movl %ecx, %edx; shll $2, %edx; addl %eax, %edx; addl $7, %edx", LocationSet.Of(Location.Rdx));
    }

    [Fact]
    public void ShiftLeftByOneAndAddToItselfDifferOnlyInAuxiliaryCarry()
    {
        foreach (var (shl, add) in new[] { ("shll $1, %eax", "addl %eax, %eax"), ("shlq %rax", "addq %rax, %rax"), ("shlb $1, %al", "addb %al, %al") })
            Assert.Equal(LocationSet.Of(Location.AF), Differences(shl, add, Gprs | Flags).CanDiffer);
        // A larger count leaves OF undefined as well.
        Assert.Equal(LocationSet.Of(Location.OF, Location.AF),
            Differences("shll $2, %eax", "addl %eax, %eax; addl %eax, %eax", Gprs | Flags).CanDiffer);
    }

    [Fact]
    public void MovzblEqualsAndFfOnRaxButNotOnFlags()
    {
        AssertEquivalent("movzbl %al, %eax", "andl $0xff, %eax", Gprs);
        AssertEquivalent("movzwl %cx, %ecx", "andl $0xffff, %ecx", Gprs);
        Assert.Equal(Flags, Differences("movzbl %al, %eax", "andl $0xff, %eax", Gprs | Flags).CanDiffer);
        AssertDifferent("movzbl %al, %eax", "andq $0xff, %rcx", Gprs);
    }

    [Fact]
    public void BorrowAndCarryChains()
    {
        // sbb x,x materialises -CF; every flag agrees with setb/movzbl/neg, AF included.
        AssertEquivalent("sbbl %eax, %eax", "setb %al; movzbl %al, %eax; negl %eax", Gprs | Flags);
        AssertEquivalent("adcl $0, %eax", "setb %cl; movzbl %cl, %ecx; addl %ecx, %eax", Rax | Flags);
        AssertEquivalent("cmpq %rcx, %rax; sbbq %rdx, %rdx", "xorl %edx, %edx; cmpq %rcx, %rax; setb %dl; negq %rdx",
            LocationSet.Of(Location.Rdx));
        AssertDifferent("adcl $0, %eax", "addl $0, %eax", Rax);

        // A 128-bit addition and subtraction as add/adc and sub/sbb pairs.
        string Pair(int hi, int lo, SymbolicState s) => Smt.Concat(s[hi], s[lo]);
        string InitPair(int hi, int lo) => Smt.Concat(Init(hi), Init(lo));
        Prove("addq %rcx, %rax; adcq %rbx, %rdx", (i, f) => Smt.And(
            Smt.Eq(Pair(Location.Rdx, Location.Rax, f), Smt.BvAdd(InitPair(Location.Rdx, Location.Rax), InitPair(Location.Rbx, Location.Rcx))),
            Smt.Eq(f[Location.CF], Smt.Extract(128, 128, Smt.BvAdd(Smt.ZeroExtend(1, InitPair(Location.Rdx, Location.Rax)), Smt.ZeroExtend(1, InitPair(Location.Rbx, Location.Rcx)))))));
        Prove("subq %rcx, %rax; sbbq %rbx, %rdx", (i, f) => Smt.And(
            Smt.Eq(Pair(Location.Rdx, Location.Rax, f), Smt.BvSub(InitPair(Location.Rdx, Location.Rax), InitPair(Location.Rbx, Location.Rcx))),
            Smt.Eq(Smt.IsSet(f[Location.CF]), Smt.BvUlt(InitPair(Location.Rdx, Location.Rax), InitPair(Location.Rbx, Location.Rcx)))));
    }

    // ------------------------------------------------------------------ conditions

    public static TheoryData<string> ConditionNames() =>
        new() { "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g" };

    /// <summary>The condition as the manual's table writes it, over the flags of <paramref name="s"/>.</summary>
    private static string FlagDefinition(string cc, SymbolicState s)
    {
        string Set(int f) => Smt.Eq(s[f], Smt.Bit1);
        string Clear(int f) => Smt.Eq(s[f], Smt.Bit0);
        return cc switch
        {
            "o" => Set(Location.OF), "no" => Clear(Location.OF),
            "b" => Set(Location.CF), "ae" => Clear(Location.CF),
            "e" => Set(Location.ZF), "ne" => Clear(Location.ZF),
            "be" => Smt.Or(Set(Location.CF), Set(Location.ZF)), "a" => Smt.And(Clear(Location.CF), Clear(Location.ZF)),
            "s" => Set(Location.SF), "ns" => Clear(Location.SF),
            "p" => Set(Location.PF), "np" => Clear(Location.PF),
            "l" => Smt.Distinct(s[Location.SF], s[Location.OF]), "ge" => Smt.Eq(s[Location.SF], s[Location.OF]),
            "le" => Smt.Or(Set(Location.ZF), Smt.Distinct(s[Location.SF], s[Location.OF])),
            "g" => Smt.And(Clear(Location.ZF), Smt.Eq(s[Location.SF], s[Location.OF])),
            _ => throw new ArgumentException(cc),
        };
    }

    /// <summary>What the condition means after <c>cmp c, a</c> (a - c), in integer terms.</summary>
    private static string Meaning(string cc, string a, string c)
    {
        string diff = Smt.BvSub(a, c);
        string parityEven = Smt.Eq(Smt.BvXor([.. Enumerable.Range(0, 8).Select(b => Smt.Bit(b, diff))]), Smt.Bit0);
        string overflow = Smt.Distinct(Smt.BvSub(Smt.SignExtend(1, a), Smt.SignExtend(1, c)), Smt.SignExtend(1, diff));
        string lt = Smt.App("bvslt", a, c);
        return cc switch
        {
            "o" => overflow, "no" => Smt.Not(overflow),
            "b" => Smt.BvUlt(a, c), "ae" => Smt.App("bvuge", a, c),
            "e" => Smt.Eq(a, c), "ne" => Smt.Distinct(a, c),
            "be" => Smt.BvUle(a, c), "a" => Smt.App("bvugt", a, c),
            "s" => Smt.App("bvslt", diff, Smt.Zero(32)), "ns" => Smt.App("bvsge", diff, Smt.Zero(32)),
            "p" => parityEven, "np" => Smt.Not(parityEven),
            "l" => lt, "ge" => Smt.App("bvsge", a, c),
            "le" => Smt.App("bvsle", a, c), "g" => Smt.App("bvsgt", a, c),
            _ => throw new ArgumentException(cc),
        };
    }

    [Theory]
    [MemberData(nameof(ConditionNames))]
    public void SetccMatchesItsDefinition(string cc)
    {
        // Against the flag table, on arbitrary flags; the rest of rdx is kept.
        Prove($"set{cc} %dl", (i, f) => Smt.Eq(f[Location.Rdx],
            Smt.Concat(Smt.Extract(63, 8, i[Location.Rdx]), Smt.ZeroExtend(7, Smt.BoolToBit(FlagDefinition(cc, i))))));
        // Against the integer meaning after a compare.
        Prove($"cmpl %ecx, %eax; set{cc} %dl", (i, f) => Smt.Eq(Smt.Low(8, f[Location.Rdx]),
            Smt.ZeroExtend(7, Smt.BoolToBit(Meaning(cc, Smt.Low(32, i[Location.Rax]), Smt.Low(32, i[Location.Rcx]))))));
        // And the conditional move agrees with the same table.
        Prove($"cmov{cc}q %rcx, %rax", (i, f) => Smt.Eq(f[Location.Rax], Smt.Ite(FlagDefinition(cc, i), i[Location.Rcx], i[Location.Rax])));
    }

    [Fact]
    public void Cmov32ZeroExtendsEvenWhenTheConditionIsFalse()
    {
        string zfClear = Smt.Eq(Init(Location.ZF), Smt.Bit0);
        Prove("cmovel %ecx, %eax", (i, f) => Smt.Eq(f[Location.Rax], Smt.ZeroExtend(32, Smt.Low(32, i[Location.Rax]))), zfClear);
        Prove("cmoveq %rcx, %rax", (i, f) => Smt.Eq(f[Location.Rax], i[Location.Rax]), zfClear);
        Prove("cmovew %cx, %ax", (i, f) => Smt.Eq(f[Location.Rax], i[Location.Rax]), zfClear);
        AssertPossible("cmovel %ecx, %eax", (i, f) => Smt.Distinct(f[Location.Rax], i[Location.Rax]), zfClear);
    }

    // ------------------------------------------------------------------ partial writes

    [Fact]
    public void PartialRegisterWrites()
    {
        Prove("movb $1, %al", (i, f) => Smt.Eq(f[Location.Rax], Smt.Concat(Smt.Extract(63, 8, i[Location.Rax]), "#x01")));
        Prove("movw $-1, %ax", (i, f) => Smt.Eq(f[Location.Rax], Smt.Concat(Smt.Extract(63, 16, i[Location.Rax]), "#xffff")));
        Prove("movl %ecx, %eax", (i, f) => Smt.Eq(f[Location.Rax], Smt.ZeroExtend(32, Smt.Low(32, i[Location.Rcx]))));
        Prove("movl $-1, %eax", (i, f) => Smt.Eq(f[Location.Rax], "#x00000000ffffffff"));
        Prove("movq $-1, %rax", (i, f) => Smt.Eq(f[Location.Rax], "#xffffffffffffffff"));
        Prove("movabsq $0x123456789abcdef0, %rdx", (i, f) => Smt.Eq(f[Location.Rdx], "#x123456789abcdef0"));
        Prove("movb $5, %ah", (i, f) => Smt.Eq(f[Location.Rax],
            Smt.Concat(Smt.Extract(63, 16, i[Location.Rax]), "#x05", Smt.Extract(7, 0, i[Location.Rax]))));
        Prove("movb %ah, %cl", (i, f) => Smt.Eq(f[Location.Rcx], Smt.Concat(Smt.Extract(63, 8, i[Location.Rcx]), Smt.Extract(15, 8, i[Location.Rax]))));
        Prove("addb %ch, %ah", (i, f) => Smt.Eq(f[Location.Rax], Smt.Concat(Smt.Extract(63, 16, i[Location.Rax]),
            Smt.BvAdd(Smt.Extract(15, 8, i[Location.Rax]), Smt.Extract(15, 8, i[Location.Rcx])), Smt.Extract(7, 0, i[Location.Rax]))));
        Prove("xchgl %ecx, %eax", (i, f) => Smt.And(
            Smt.Eq(f[Location.Rax], Smt.ZeroExtend(32, Smt.Low(32, i[Location.Rcx]))),
            Smt.Eq(f[Location.Rcx], Smt.ZeroExtend(32, Smt.Low(32, i[Location.Rax])))));
        // The one-byte nop (0x90, "xchg eax,eax") does not zero-extend.
        AssertEquivalent("nop", "", Gprs | Flags, memory: true);
        AssertEquivalent("endbr64; nopw 0(%rax,%rax,1)", "", Gprs | Flags, memory: true);
        AssertDifferent("movl %eax, %eax", "", Rax);
        // Legacy SSE keeps ymm bits 128..255; VEX clears them.
        var hi0 = LocationSet.Of(Location.VectorHighBase);
        AssertEquivalent("movaps %xmm1, %xmm0", "movups %xmm1, %xmm0", LocationSet.Of(Location.VectorLowBase) | hi0);
        Assert.Equal(hi0, Differences("movaps %xmm1, %xmm0", "vmovaps %xmm1, %xmm0", LocationSet.Range(Location.VectorLowBase, 32) | hi0).CanDiffer);
        Prove("vmovaps %xmm1, %xmm0", (i, f) => Smt.Eq(f[Location.VectorHighBase], Smt.Zero(128)));
        Prove("vmovdqu %ymm1, %ymm0", (i, f) => Smt.And(Smt.Eq(f[Location.VectorHighBase], i[Location.VectorHighBase + 1]),
            Smt.Eq(f[Location.VectorLowBase], i[Location.VectorLowBase + 1])));
        Prove("movq %rax, %xmm0", (i, f) => Smt.And(Smt.Eq(f[Location.VectorLowBase], Smt.ZeroExtend(64, i[Location.Rax])),
            Smt.Eq(f[Location.VectorHighBase], i[Location.VectorHighBase])));
        Prove("movd %xmm3, %ecx", (i, f) => Smt.Eq(f[Location.Rcx], Smt.ZeroExtend(32, Smt.Low(32, i[Location.VectorLowBase + 3]))));
        Prove("movq %xmm1, %xmm0", (i, f) => Smt.Eq(f[Location.VectorLowBase], Smt.ZeroExtend(64, Smt.Low(64, i[Location.VectorLowBase + 1]))));
        Prove("movsd %xmm1, %xmm0", (i, f) => Smt.Eq(f[Location.VectorLowBase],
            Smt.Concat(Smt.Extract(127, 64, i[Location.VectorLowBase]), Smt.Low(64, i[Location.VectorLowBase + 1]))));
    }

    [Fact]
    public void VectorLogic()
    {
        Prove("pxor %xmm0, %xmm0", (i, f) => Smt.And(Smt.Eq(f[Location.VectorLowBase], Smt.Zero(128)),
            Smt.Eq(f[Location.VectorHighBase], i[Location.VectorHighBase])));
        Prove("vpxor %xmm2, %xmm2, %xmm0", (i, f) => Smt.And(Smt.Eq(f[Location.VectorLowBase], Smt.Zero(128)),
            Smt.Eq(f[Location.VectorHighBase], Smt.Zero(128))));
        Prove("vxorps %ymm1, %ymm1, %ymm1", (i, f) => Smt.And(Smt.Eq(f[Location.VectorLowBase + 1], Smt.Zero(128)),
            Smt.Eq(f[Location.VectorHighBase + 1], Smt.Zero(128))));
        var xmm0 = LocationSet.Of(Location.VectorLowBase, Location.VectorHighBase);
        AssertEquivalent("pxor %xmm0, %xmm0", "xorps %xmm0, %xmm0", xmm0);
        AssertEquivalent("pand %xmm1, %xmm0; por %xmm1, %xmm0", "movaps %xmm1, %xmm2; pand %xmm0, %xmm2; por %xmm1, %xmm2; movaps %xmm2, %xmm0", xmm0);
        Prove("pandn %xmm1, %xmm0", (i, f) => Smt.Eq(f[Location.VectorLowBase], Smt.BvAnd(Smt.BvNot(i[Location.VectorLowBase]), i[Location.VectorLowBase + 1])));
        Prove("vpandn %ymm2, %ymm1, %ymm0", (i, f) => Smt.Eq(f[Location.VectorHighBase], Smt.BvAnd(Smt.BvNot(i[Location.VectorHighBase + 1]), i[Location.VectorHighBase + 2])));
    }

    // ------------------------------------------------------------------ stack and memory

    [Fact]
    public void PushPopRoundTrip()
    {
        AssertEquivalent("pushq %rbx; popq %rcx", "movq %rbx, %rcx", Gprs | Flags);
        AssertDifferent("pushq %rbx; popq %rcx", "movq %rbx, %rcx", Gprs, memory: true); // the slot below rsp was written
        AssertEquivalent("pushq %rax; popq %rax", "", Gprs | Flags);
        AssertEquivalent("pushq %rax; popq %rsp", "movq %rax, %rsp", Gprs);
        AssertEquivalent("pushq %rsp; popq %rax", "movq %rsp, %rax", Gprs);
        Prove("pushq %rbx", (i, f) => Smt.And(
            Smt.Eq(f[Location.Rsp], Smt.BvSub(i[Location.Rsp], "#x0000000000000008")),
            Smt.Eq($"(select {f.Memory} {f[Location.Rsp]})", Smt.Low(8, i[Location.Rbx])),
            Smt.Eq($"(select {f.Memory} (bvadd {f[Location.Rsp]} #x0000000000000007))", Smt.Extract(63, 56, i[Location.Rbx]))));
        // Memory operands: push reads its source before decrementing rsp; pop addresses its destination after incrementing it.
        string Load64(string mem, string address) => Smt.Concat([.. Enumerable.Range(0, 8).Reverse().Select(k => $"(select {mem} (bvadd {address} {Smt.Bv((ulong)k, 64)}))")]);
        Prove("pushq 8(%rsp)", (i, f) => Smt.Eq(Load64(f.Memory, f[Location.Rsp]),
            Load64(i.Memory, Smt.BvAdd(i[Location.Rsp], Smt.Bv(8UL, 64)))));
        Prove("popq 8(%rsp)", (i, f) => Smt.And(Smt.Eq(f[Location.Rsp], Smt.BvAdd(i[Location.Rsp], Smt.Bv(8UL, 64))),
            Smt.Eq(Load64(f.Memory, Smt.BvAdd(i[Location.Rsp], Smt.Bv(16UL, 64))), Load64(i.Memory, i[Location.Rsp]))));
        Prove("pushq $-2", (i, f) => Smt.Eq($"(select {f.Memory} (bvadd {f[Location.Rsp]} #x0000000000000007))", "#xff"));
    }

    [Fact]
    public void StoreThenLoadGivesTheStoredValue()
    {
        var rcxRax = LocationSet.Of(Location.Rax, Location.Rcx);
        AssertEquivalent("movl %ecx, 8(%rdi); movl 8(%rdi), %eax", "movl %ecx, 8(%rdi); movl %ecx, %eax", Gprs, memory: true);
        AssertEquivalent("movq %rax, (%rdi,%rsi,4); movq (%rdi,%rsi,4), %rdx", "movq %rax, (%rdi,%rsi,4); movq %rax, %rdx", Gprs, memory: true);
        // Little-endian: byte 1 of the stored quadword is bits 8..15.
        AssertEquivalent("movq %rax, (%rdi); movb 1(%rdi), %cl", "movq %rax, (%rdi); movb %ah, %cl", rcxRax, memory: true);
        AssertDifferent("movl %ecx, 8(%rdi); movl 9(%rdi), %eax", "movl %ecx, 8(%rdi); movl %ecx, %eax", Rax);
        // A later store to another address may alias: not equivalent without a precondition...
        AssertDifferent("movl %ecx, (%rdi); movl %edx, (%rsi); movl (%rdi), %eax", "movl %ecx, (%rdi); movl %edx, (%rsi); movl %ecx, %eax", Rax);
        // ...and equivalent when a precondition puts the second store elsewhere.
        var fourApart = new EquivalenceOptions
        {
            Preconditions = [Smt.Eq(Init(Location.Rsi), Smt.BvAdd(Init(Location.Rdi), Smt.Bv(4UL, 64)))],
        };
        AssertEquivalent("movl %ecx, (%rdi); movl %edx, (%rsi); movl (%rdi), %eax", "movl %ecx, (%rdi); movl %edx, (%rsi); movl %ecx, %eax", Rax, options: fourApart);
        // Absolute (moffs) addressing and RIP-relative addressing with the symbol's address as a term.
        AssertEquivalent("movabsl 0x1122334455667788, %eax", "movabsq $0x1122334455667788, %rcx; movl (%rcx), %eax", Rax, memory: true);
        var rip = X86Text.ParseMany(["movq 0(%rip), %rax", "leaq 0(%rip), %rcx; movq (%rcx), %rax"]);
        var symbol = new EquivalenceOptions
        {
            Variables = [("sym", Smt.BvSort(64))],
            BeforeTerms = [new OperandTerms(Displacement: "sym")],
            AfterTerms = [new OperandTerms(Displacement: "sym"), null],
        };
        Assert.True(EquivalenceChecker.Check(rip[0], rip[1], Rax, true, symbol).IsEquivalent);
        // Without the terms the two RIP-relative operands are different constants (different IPs).
        Assert.Equal(EquivalenceStatus.Different, EquivalenceChecker.Check(rip[0], rip[1], Rax, false).Status);
        // xchg with memory swaps both ways.
        AssertEquivalent("xchgq %rax, (%rdi)", "movq (%rdi), %rcx; movq %rax, (%rdi); movq %rcx, %rax", Rax, memory: true);
        // Memory comparison sees a dead store.
        AssertDifferent("movl %ecx, (%rdi)", "", Gprs, memory: true);
        AssertEquivalent("movl %ecx, (%rdi)", "", Gprs, memory: false);
    }

    // ------------------------------------------------------------------ conversions

    [Fact]
    public void Cvtsi2sdMergesTheUpperBits()
    {
        var xmm0 = LocationSet.Of(Location.VectorLowBase, Location.VectorHighBase);
        Assert.Equal(LocationSet.Of(Location.VectorLowBase),
            Differences("cvtsi2sdl %eax, %xmm0", "pxor %xmm0, %xmm0; cvtsi2sdl %eax, %xmm0", xmm0 | Gprs | Flags).CanDiffer);
        // Bits 0..63 always agree; 64..127 can differ.
        var parsed = X86Text.ParseMany(["cvtsi2sdl %eax, %xmm0", "pxor %xmm0, %xmm0; cvtsi2sdl %eax, %xmm0"]);
        var smt = new SmtBuilder();
        var initial = SymbolicState.Fresh(smt, "init");
        var a = initial.Clone();
        var b = initial.Clone();
        Assert.Null(EquivalenceChecker.Execute(parsed[0], a, smt));
        Assert.Null(EquivalenceChecker.Execute(parsed[1], b, smt));
        string low = Smt.Distinct(Smt.Low(64, a[Location.VectorLowBase]), Smt.Low(64, b[Location.VectorLowBase]));
        string high = Smt.Distinct(Smt.Extract(127, 64, a[Location.VectorLowBase]), Smt.Extract(127, 64, b[Location.VectorLowBase]));
        Assert.Equal(SmtStatus.Unsat, Z3Solver.Check(smt.ToScript(low), Timeout).Status);
        Assert.Equal(SmtStatus.Sat, Z3Solver.Check(smt.ToScript(high), Timeout).Status);
        Prove("pxor %xmm0, %xmm0; cvtsi2sdl %eax, %xmm0", (i, f) => Smt.Eq(Smt.Extract(127, 64, f[Location.VectorLowBase]), Smt.Zero(64)));

        // Concrete values: 1 → 1.0, -1 → -1.0, 2^53+1 rounds to even (2^53), 3.0f.
        string Eax(long v) => Smt.Eq(Smt.Low(32, Init(Location.Rax)), Smt.Bv((ulong)v, 32));
        string Rax64(ulong v) => Smt.Eq(Init(Location.Rax), Smt.Bv(v, 64));
        Prove("cvtsi2sdl %eax, %xmm0", (i, f) => Smt.Eq(Smt.Low(64, f[Location.VectorLowBase]), "#x3ff0000000000000"), Eax(1));
        Prove("cvtsi2sdl %eax, %xmm0", (i, f) => Smt.Eq(Smt.Low(64, f[Location.VectorLowBase]), "#xbff0000000000000"), Eax(-1));
        Prove("cvtsi2sdq %rax, %xmm0", (i, f) => Smt.Eq(Smt.Low(64, f[Location.VectorLowBase]), "#x4340000000000000"), Rax64((1UL << 53) + 1));
        Prove("cvtsi2ssl %eax, %xmm0", (i, f) => Smt.Eq(Smt.Low(32, f[Location.VectorLowBase]), "#x40400000"), Eax(3));
        // VEX: bits 64..127 from the first source, ymm upper half cleared.
        Prove("vcvtsi2sdl %eax, %xmm1, %xmm0", (i, f) => Smt.And(
            Smt.Eq(Smt.Extract(127, 64, f[Location.VectorLowBase]), Smt.Extract(127, 64, i[Location.VectorLowBase + 1])),
            Smt.Eq(f[Location.VectorHighBase], Smt.Zero(128))));
    }

    // ------------------------------------------------------------------ symbolic operands

    [Fact]
    public void SymbolicImmediateProvesARuleForEveryConstant()
    {
        var parsed = X86Text.ParseMany(["addl $5, %eax", "subl $-5, %eax"]);
        var options = new EquivalenceOptions
        {
            Variables = [("c", Smt.BvSort(64))],
            BeforeTerms = [new OperandTerms(Immediate: "c")],
            AfterTerms = [new OperandTerms(Immediate: "(bvneg c)")],
        };
        Assert.True(EquivalenceChecker.Check(parsed[0], parsed[1], Gprs, false, options).IsEquivalent);
        // The carry differs: add's carry and sub's borrow are different functions of c.
        var r = EquivalenceChecker.Check(parsed[0], parsed[1], LocationSet.Of(Location.CF), false, options);
        Assert.Equal(EquivalenceStatus.Different, r.Status);
        Assert.Contains("c = ", r.Counterexample);

        // Displacement: a load through lea'd address equals the direct load, for every offset.
        var loads = X86Text.ParseMany(["movl 16(%rdi), %eax", "leaq 16(%rdi), %rsi; movl (%rsi), %eax"]);
        var disp = new EquivalenceOptions
        {
            Variables = [("d", Smt.BvSort(64))],
            BeforeTerms = [new OperandTerms(Displacement: "d")],
            AfterTerms = [new OperandTerms(Displacement: "d"), null],
        };
        Assert.True(EquivalenceChecker.Check(loads[0], loads[1], Rax, true, disp).IsEquivalent);
        // Shift counts: only the low bits of the count matter (masking), so shll $c ≡ shll $(c+32).
        var shifts = X86Text.ParseMany(["shll $3, %eax", "shll $3, %eax"]);
        var count = new EquivalenceOptions
        {
            Variables = [("c", Smt.BvSort(64))],
            BeforeTerms = [new OperandTerms(Immediate: "c")],
            AfterTerms = [new OperandTerms(Immediate: "(bvadd c #x0000000000000020)")],
        };
        Assert.True(EquivalenceChecker.Check(shifts[0], shifts[1], Gprs | LocationSet.Of(Location.CF, Location.ZF, Location.SF, Location.PF), false, count).IsEquivalent);
    }

    // ------------------------------------------------------------------ undefined values

    [Fact]
    public void UndefinedFlagsAreFreshOnEachSide()
    {
        // An instruction against itself differs exactly where the manual says "undefined".
        Assert.Equal(LocationSet.Of(Location.OF, Location.AF), Differences("shll $2, %eax", "shll $2, %eax", Gprs | Flags).CanDiffer);
        Assert.Equal(LocationSet.Of(Location.AF), Differences("shll $1, %eax", "shll $1, %eax", Gprs | Flags).CanDiffer);
        Assert.Equal(LocationSet.Of(Location.CF, Location.OF, Location.AF), Differences("shlb $9, %al", "shlb $9, %al", Gprs | Flags).CanDiffer);
        Assert.Equal(LocationSet.Of(Location.OF, Location.AF), Differences("sarb $9, %al", "sarb $9, %al", Gprs | Flags).CanDiffer);
        Assert.Equal(LocationSet.Of(Location.OF), Differences("roll $3, %eax", "roll $3, %eax", Gprs | Flags).CanDiffer);
        Assert.Equal(LocationSet.Of(Location.SF, Location.ZF, Location.AF, Location.PF), Differences("imull %ecx, %eax", "imull %ecx, %eax", Gprs | Flags).CanDiffer);
        Assert.Equal(LocationSet.Of(Location.AF), Differences("andl %ecx, %eax", "andl %ecx, %eax", Gprs | Flags).CanDiffer);
        Assert.Equal(LocationSet.Of(Location.Rax, Location.CF, Location.OF, Location.SF, Location.AF, Location.PF),
            Differences("bsfl %ecx, %eax", "bsfl %ecx, %eax", Gprs | Flags).CanDiffer);
        Assert.Equal(LocationSet.Of(Location.OF, Location.SF, Location.AF, Location.PF), Differences("tzcntq %rcx, %rax", "tzcntq %rcx, %rax", Gprs | Flags).CanDiffer);
        Assert.True(Differences("popcntl %ecx, %eax", "popcntl %ecx, %eax", Gprs | Flags).CanDiffer.IsEmpty);
        // With a non-zero source bsf is defined.
        var nonZero = new EquivalenceOptions { Preconditions = [Smt.Distinct(Smt.Low(32, Init(Location.Rcx)), Smt.Zero(32))] };
        AssertEquivalent("bsfl %ecx, %eax", "tzcntl %ecx, %eax", Gprs, options: nonZero);
        AssertEquivalent("bsrq %rcx, %rax", "lzcntq %rcx, %rax; xorq $63, %rax", Gprs, options: new EquivalenceOptions { Preconditions = [Smt.Distinct(Init(Location.Rcx), Smt.Zero(64))] });
    }

    [Fact]
    public void ShiftByZeroLeavesFlagsButStillZeroExtends()
    {
        var countZero = new EquivalenceOptions { Preconditions = [Smt.Eq(Smt.BvAnd(Smt.Low(8, Init(Location.Rcx)), "#x1f"), "#x00")] };
        foreach (string op in new[] { "shll", "shrl", "sarl", "roll", "rorl" })
        {
            AssertEquivalent($"{op} %cl, %eax", "movl %eax, %eax", Gprs | Flags, options: countZero);
            AssertDifferent($"{op} %cl, %eax", "movl %eax, %eax", Gprs | Flags); // some count changes something
        }
        // 8-bit rotate by 8: the value is unchanged, but CF is written (= bit 0).
        Prove("rolb $8, %al", (i, f) => Smt.And(Smt.Eq(f[Location.Rax], i[Location.Rax]), Smt.Eq(f[Location.CF], Smt.Bit(0, i[Location.Rax]))));
        Prove("shlq $64, %rax", (i, f) => Smt.And(Smt.Eq(f[Location.Rax], i[Location.Rax]), Smt.Eq(f[Location.CF], i[Location.CF]), Smt.Eq(f[Location.OF], i[Location.OF])));
    }

    // ------------------------------------------------------------------ unsupported and plumbing

    [Theory]
    [InlineData("lock addl $1, (%rdi)", "lock")]
    [InlineData("movl %fs:0, %eax", "FS/GS")]
    [InlineData("divl %ecx", "not modelled")]
    [InlineData("rcll $1, %eax", "not modelled")]
    [InlineData("vpxord %zmm1, %zmm1, %zmm0", "EVEX")]
    [InlineData("movq %mm0, %rax", "MMX")]
    [InlineData("pushw %ax", "64-bit push")]
    [InlineData("rep stosq", "string")]
    public void UnsupportedInstructionsAreRejectedWithAReason(string asm, string reasonPart)
    {
        var r = Check(asm, "", Gprs);
        Assert.Equal(EquivalenceStatus.Unsupported, r.Status);
        Assert.Contains(reasonPart, r.Reason);
    }

    [Fact]
    public void SixteenBitBswapIsRejected()
    {
        // GAS refuses to assemble it (the result is undefined), so it is built directly.
        var bswap = Iced.Intel.Instruction.Create(Iced.Intel.Code.Bswap_r16, Iced.Intel.Register.AX);
        var r = EquivalenceChecker.Check([bswap], [], Gprs, false);
        Assert.Equal(EquivalenceStatus.Unsupported, r.Status);
        Assert.Contains("16-bit", r.Reason);
    }

    [Fact]
    public void OperandTermsForAMissingFieldAreRejected()
    {
        var parsed = X86Text.ParseMany(["addl %ecx, %eax", ""]);
        var r = EquivalenceChecker.Check(parsed[0], parsed[1], Gprs, false, new EquivalenceOptions { BeforeTerms = [new OperandTerms(Immediate: "#x0000000000000001")] });
        Assert.Equal(EquivalenceStatus.Unsupported, r.Status);
        Assert.Contains("no immediate", r.Reason);
    }

    [Fact]
    public void CounterexampleNamesTheDifferingLocationAndValues()
    {
        var r = Check("addl %ecx, %eax", "subl %ecx, %eax", Rax);
        Assert.Equal(EquivalenceStatus.Different, r.Status);
        Assert.Equal(Rax, r.Differing);
        Assert.Contains("* rax: before #x", r.Counterexample);
        Assert.Contains("init_rcx = #x", r.Counterexample);
    }

    [Fact]
    public void SolverReportsStatusesAndAMissingBinary()
    {
        Assert.Equal(SmtStatus.Sat, Z3Solver.Check("(declare-fun x () (_ BitVec 8))(assert (= x #x01))(check-sat)", Timeout).Status);
        Assert.Equal(SmtStatus.Unsat, Z3Solver.Check("(assert false)(check-sat)", Timeout).Status);
        Assert.Equal(SmtStatus.Error, Z3Solver.Check("(assert y)(check-sat)", Timeout).Status);
        var e = Assert.Throws<Z3NotFoundException>(() => Z3Solver.Check("(check-sat)", Timeout, "z3-not-installed-here"));
        Assert.Contains("z3-not-installed-here", e.Message);
        Assert.Contains("scripts/setup.sh", e.Message);
    }

    [Fact]
    public void SmtBuilderNamesAndRendersScripts()
    {
        var smt = new SmtBuilder();
        string x = smt.Fresh(Smt.BvSort(8), "x");
        string y = smt.Fresh(Smt.BvSort(8), "x");
        Assert.NotEqual(x, y);
        string sum = smt.DefineBv(8, Smt.BvAdd(x, y), "sum");
        Assert.Equal(x, smt.DefineBv(8, x)); // atoms are not renamed
        smt.Assert(Smt.Eq(sum, "#x05"));
        string script = smt.ToScript(Smt.Eq(x, "#x02"), ["(get-value (" + y + "))"]);
        Assert.Contains($"(define-fun {sum} () (_ BitVec 8) (bvadd {x} {y}))", script);
        Assert.Contains("(check-sat)", script);
        var r = Z3Solver.Check(script, Timeout);
        Assert.Equal(SmtStatus.Sat, r.Status);
        Assert.Contains("#x03", r.Rest);
        Assert.Throws<ArgumentException>(() => smt.Declare(x, Smt.BvSort(8)));
        Assert.Equal("#x00000000000000000000000000000001", Smt.Bv(1UL, 128));
        Assert.Equal("#b101", Smt.Bv(5UL, 3));
    }
}
