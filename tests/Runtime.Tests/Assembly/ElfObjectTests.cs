using System.Diagnostics;
using CompilerLLM.Assembly;
using static CompilerLLM.Assembly.ElfConstants;

using CompilerLLM.Toolchain;

using CompilerLLM.Lab.RoundTrip;

namespace CompilerLLM.Tests.Assembly;

public sealed class ElfObjectTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "elfobject-tests-" + Guid.NewGuid().ToString("N"));
    private int _counter;

    public ElfObjectTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    // ---- helper: run GNU as ---------------------------------------------------------------------------------

    private string AssembleToFile(string source)
    {
        int n = Interlocked.Increment(ref _counter);
        string src = Path.Combine(_dir, $"t{n}.s");
        string obj = Path.Combine(_dir, $"t{n}.o");
        File.WriteAllText(src, source.EndsWith('\n') ? source : source + "\n");

        var psi = new ProcessStartInfo("as")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--64");
        psi.ArgumentList.Add("-o");
        psi.ArgumentList.Add(obj);
        psi.ArgumentList.Add(src);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start `as`");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("`as` timed out");
        }
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"as failed ({p.ExitCode}):\n{stderr.Result}\n{stdout.Result}");
        return obj;
    }

    private ElfObject Assemble(string source) => ElfObject.Load(AssembleToFile(source));

    private static ElfSection Section(ElfObject obj, string name) =>
        obj.FindSection(name) ?? throw new Xunit.Sdk.XunitException($"section {name} not found");

    private static ElfSymbol Symbol(ElfObject obj, string name) =>
        obj.FindSymbol(name) ?? throw new Xunit.Sdk.XunitException($"symbol {name} not found");

    private static string SymbolName(ElfObject obj, ElfRelocation r) => obj.Symbols[(int)r.SymbolIndex].Name;

    // ---- sections and bytes ---------------------------------------------------------------------------------

    [Fact]
    public void Elf_SectionsAndBytesMatchAssemblerInput()
    {
        ElfObject obj = Assemble("""
                .data
                .byte 1, 2, 3, 0xff
                .short 0x1234
                .long 0xdeadbeef
                .text
                ret
                nop
                .bss
                .balign 16
                .zero 40
                .section .rodata.str,"aMS",@progbits,1
                .string "hi"
            """);

        Assert.Equal(ET_REL, obj.FileType);
        Assert.Equal(SHT_NULL, obj.Sections[0].Type);
        Assert.Equal(string.Empty, obj.Sections[0].Name);
        for (int i = 0; i < obj.Sections.Count; i++)
            Assert.Equal(i, obj.Sections[i].Index);

        ElfSection data = Section(obj, ".data");
        Assert.Equal(SHT_PROGBITS, data.Type);
        Assert.Equal(SHF_WRITE | SHF_ALLOC, data.Flags);
        Assert.Equal(new byte[] { 1, 2, 3, 0xff, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde }, data.Data.ToArray());
        Assert.Equal(10UL, data.Size);
        Assert.Null(data.GroupSignature);

        ElfSection text = Section(obj, ".text");
        Assert.Equal(SHF_ALLOC | SHF_EXECINSTR, text.Flags);
        Assert.Equal(new byte[] { 0xC3, 0x90 }, text.Data.ToArray());
        Assert.Empty(obj.RelocationsFor(text));

        ElfSection bss = Section(obj, ".bss");
        Assert.Equal(SHT_NOBITS, bss.Type);
        Assert.Equal(40UL, bss.Size);
        Assert.Equal(16UL, bss.Alignment);
        Assert.True(bss.Data.IsEmpty);

        ElfSection str = Section(obj, ".rodata.str");
        Assert.Equal(SHF_ALLOC | SHF_MERGE | SHF_STRINGS, str.Flags);
        Assert.Equal(1UL, str.EntrySize);
        Assert.Equal("hi\0"u8.ToArray(), str.Data.ToArray());

        // No symbols at all: `as` omits .symtab/.strtab entirely.
        Assert.Null(obj.FindSection(".symtab"));
        Assert.Empty(obj.Symbols);
        Assert.NotNull(obj.FindSection(".shstrtab"));
        Assert.Null(obj.FindSection(".nonexistent"));
    }

    // ---- symbols --------------------------------------------------------------------------------------------

    [Fact]
    public void Elf_SymbolsHaveBindingTypeSizeVisibilityAndSection()
    {
        ElfObject obj = Assemble("""
                .text
            localfn:
                ret
                .globl gfn
                .type gfn, @function
            gfn:
                nop
                nop
                ret
                .size gfn, .-gfn
                .weak wk
            wk:
                ret
                .data
                .globl obj
                .type obj, @object
                .size obj, 8
                .hidden obj
            obj:
                .quad 42
                .protected prot
                .globl prot
            prot:
                .long 0
                .comm cbuf, 64, 16
                .set absval, 0x1234
                .globl absval
                .globl undef_ref
                .quad undef_ref
            """);

        Assert.Equal(STT_NOTYPE, obj.Symbols[0].Type);
        Assert.Equal(string.Empty, obj.Symbols[0].Name);

        ElfSection text = Section(obj, ".text");
        ElfSection data = Section(obj, ".data");

        ElfSymbol local = Symbol(obj, "localfn");
        Assert.Equal(STB_LOCAL, local.Binding);
        Assert.Equal(0UL, local.Value);
        Assert.Equal(text.Index, local.SectionIndex);

        ElfSymbol gfn = Symbol(obj, "gfn");
        Assert.Equal(STB_GLOBAL, gfn.Binding);
        Assert.Equal(STT_FUNC, gfn.Type);
        Assert.Equal(1UL, gfn.Value);
        Assert.Equal(3UL, gfn.Size);
        Assert.Equal(STV_DEFAULT, gfn.Visibility);

        ElfSymbol wk = Symbol(obj, "wk");
        Assert.Equal(STB_WEAK, wk.Binding);
        Assert.Equal(4UL, wk.Value);

        ElfSymbol o = Symbol(obj, "obj");
        Assert.Equal(STT_OBJECT, o.Type);
        Assert.Equal(8UL, o.Size);
        Assert.Equal(STV_HIDDEN, o.Visibility);
        Assert.Equal(data.Index, o.SectionIndex);

        Assert.Equal(STV_PROTECTED, Symbol(obj, "prot").Visibility);
        Assert.Equal(8UL, Symbol(obj, "prot").Value);

        ElfSymbol common = Symbol(obj, "cbuf");
        Assert.Equal(SHN_COMMON, common.SectionIndex);
        Assert.Equal(64UL, common.Size);
        Assert.Equal(16UL, common.Value);   // alignment for common symbols

        ElfSymbol abs = Symbol(obj, "absval");
        Assert.Equal(SHN_ABS, abs.SectionIndex);
        Assert.Equal(0x1234UL, abs.Value);

        ElfSymbol undef = Symbol(obj, "undef_ref");
        Assert.True(undef.IsUndefined);
        Assert.Equal(STB_GLOBAL, undef.Binding);

        // Locals precede globals in .symtab.
        int firstGlobal = obj.Symbols.ToList().FindIndex(s => s.Binding != STB_LOCAL);
        Assert.True(obj.Symbols.Skip(firstGlobal).All(s => s.Binding != STB_LOCAL));
        Assert.Equal((uint)firstGlobal, Section(obj, ".symtab").Info);

        Assert.Null(obj.FindSymbol("nope"));
    }

    [Fact]
    public void Elf_SectionSymbolsAreNamedAfterTheirSectionAndNotFoundByFindSymbol()
    {
        ElfObject obj = Assemble("""
                .data
                .byte 0
            here:
                .byte 1
                .text
                leaq here(%rip), %rax
            """);

        ElfSymbol[] sectionSymbols = obj.Symbols.Where(s => s.IsSection).ToArray();
        Assert.NotEmpty(sectionSymbols);
        foreach (ElfSymbol s in sectionSymbols)
            Assert.Equal(obj.Sections[s.SectionIndex].Name, s.Name);
        Assert.Contains(sectionSymbols, s => s.Name == ".data");
        Assert.Null(obj.FindSymbol(".data"));

        ElfRelocation r = Assert.Single(obj.RelocationsFor(Section(obj, ".text")));
        Assert.Equal(ElfRelocationType.R_X86_64_PC32, r.Type);
        Assert.Equal(".data", SymbolName(obj, r));
        Assert.True(obj.Symbols[(int)r.SymbolIndex].IsSection);
        Assert.Equal(1 - 4, r.Addend);
        Assert.Equal(3UL, r.Offset);
    }

    // ---- relocations ----------------------------------------------------------------------------------------

    [Fact]
    public void Elf_RelocationsOfVariousKinds()
    {
        ElfObject obj = Assemble("""
                .text
                .globl f
                .type f, @function
            f:
                call foo@PLT
                leaq x(%rip), %rax
                movq foo@GOTPCREL(%rip), %rax
                movl %fs:tv@tpoff, %eax
                movq tv2@gottpoff(%rip), %rcx
                movl $abs32, %eax
                ret
                .size f, .-f
                .data
                .quad sym+8
                .long bar-.
                .quad f
            """);

        ElfSection text = Section(obj, ".text");
        IReadOnlyList<ElfRelocation> tr = obj.RelocationsFor(text);
        Assert.Equal(6, tr.Count);

        Assert.Equal(new ElfRelocation(1, ElfRelocationType.R_X86_64_PLT32, tr[0].SymbolIndex, -4), tr[0]);
        Assert.Equal("foo", SymbolName(obj, tr[0]));

        Assert.Equal(ElfRelocationType.R_X86_64_PC32, tr[1].Type);
        Assert.Equal(8UL, tr[1].Offset);
        Assert.Equal("x", SymbolName(obj, tr[1]));
        Assert.Equal(-4, tr[1].Addend);

        Assert.Equal(ElfRelocationType.R_X86_64_REX_GOTPCRELX, tr[2].Type);
        Assert.Equal(15UL, tr[2].Offset);
        Assert.Equal("foo", SymbolName(obj, tr[2]));
        Assert.Equal(-4, tr[2].Addend);

        Assert.Equal(ElfRelocationType.R_X86_64_TPOFF32, tr[3].Type);
        Assert.Equal("tv", SymbolName(obj, tr[3]));
        Assert.Equal(0, tr[3].Addend);
        Assert.Equal(STT_TLS, Symbol(obj, "tv").Type);

        Assert.Equal(ElfRelocationType.R_X86_64_GOTTPOFF, tr[4].Type);
        Assert.Equal("tv2", SymbolName(obj, tr[4]));

        Assert.Equal(ElfRelocationType.R_X86_64_32, tr[5].Type);
        Assert.Equal("abs32", SymbolName(obj, tr[5]));

        for (int i = 1; i < tr.Count; i++)
            Assert.True(tr[i - 1].Offset <= tr[i].Offset);

        IReadOnlyList<ElfRelocation> dr = obj.RelocationsFor(Section(obj, ".data"));
        Assert.Equal(3, dr.Count);
        Assert.Equal(new ElfRelocation(0, ElfRelocationType.R_X86_64_64, dr[0].SymbolIndex, 8), dr[0]);
        Assert.Equal("sym", SymbolName(obj, dr[0]));
        Assert.Equal(new ElfRelocation(8, ElfRelocationType.R_X86_64_PC32, dr[1].SymbolIndex, 0), dr[1]);
        Assert.Equal("bar", SymbolName(obj, dr[1]));
        Assert.Equal(ElfRelocationType.R_X86_64_64, dr[2].Type);
        Assert.Equal("f", SymbolName(obj, dr[2]));   // global symbols are not reduced to section symbols

        // Relocation sections themselves have no relocations; same instance is returned (cached).
        Assert.Empty(obj.RelocationsFor(Section(obj, ".rela.text")));
        Assert.Same(tr, obj.RelocationsFor(text));
    }

    [Fact]
    public void Elf_TlsRelocations()
    {
        ElfObject obj = Assemble("""
                .section .tbss,"awT",@nobits
                .globl tlsvar
                .type tlsvar, @object
                .size tlsvar, 4
            tlsvar:
                .zero 4
                .text
                leaq tlsgd@tlsgd(%rip), %rdi
                leaq tlsld@tlsld(%rip), %rdi
                leaq tlsvar@dtpoff(%rax), %rdx
                movq %fs:0, %rax
                leaq tlsvar@tpoff(%rax), %rax
            """);

        IReadOnlyList<ElfRelocation> r = obj.RelocationsFor(Section(obj, ".text"));
        Assert.Equal(
            new[] { ElfRelocationType.R_X86_64_TLSGD, ElfRelocationType.R_X86_64_TLSLD, ElfRelocationType.R_X86_64_DTPOFF32, ElfRelocationType.R_X86_64_TPOFF32 },
            r.Select(x => x.Type).ToArray());
        Assert.Equal("tlsvar", SymbolName(obj, r[3]));
        ElfSection tbss = Section(obj, ".tbss");
        Assert.Equal(SHT_NOBITS, tbss.Type);
        Assert.True((tbss.Flags & SHF_TLS) != 0);
    }

    [Fact]
    public void Elf_RelocationTypeNames()
    {
        Assert.Equal("R_X86_64_NONE", ElfRelocationType.Name(0));
        Assert.Equal("R_X86_64_64", ElfRelocationType.Name(ElfRelocationType.R_X86_64_64));
        Assert.Equal("R_X86_64_PLT32", ElfRelocationType.Name(4));
        Assert.Equal("R_X86_64_GOTPCREL", ElfRelocationType.Name(9));
        Assert.Equal("R_X86_64_32S", ElfRelocationType.Name(11));
        Assert.Equal("R_X86_64_TPOFF32", ElfRelocationType.Name(23));
        Assert.Equal("R_X86_64_PC64", ElfRelocationType.Name(24));
        Assert.Equal("R_X86_64_RELATIVE64", ElfRelocationType.Name(38));
        Assert.Equal("R_X86_64_GOTPCRELX", ElfRelocationType.Name(41));
        Assert.Equal("R_X86_64_REX_GOTPCRELX", ElfRelocationType.Name(42));
        Assert.Equal("R_X86_64_999", ElfRelocationType.Name(999));
        Assert.Equal(ElfRelocationType.R_X86_64_PC32, ElfRelocationType.PC32);
        Assert.Equal(2u, ElfRelocationType.PC32);
        Assert.Equal(42u, ElfRelocationType.REX_GOTPCRELX);
        for (uint t = 0; t <= 42; t++)
            Assert.StartsWith("R_X86_64_", ElfRelocationType.Name(t));
    }

    // ---- groups ---------------------------------------------------------------------------------------------

    [Fact]
    public void Elf_ComdatGroupMembersCarryTheSignature()
    {
        ElfObject obj = Assemble("""
                .text
                ret
                .section .text.f,"axG",@progbits,f,comdat
                .globl f
                .type f, @function
            f:
                call g@PLT
                ret
                .size f, .-f
            """);

        ElfSection tf = Section(obj, ".text.f");
        Assert.Equal("f", tf.GroupSignature);
        Assert.True((tf.Flags & SHF_GROUP) != 0);
        Assert.Null(Section(obj, ".text").GroupSignature);

        ElfSection rela = Section(obj, ".rela.text.f");
        Assert.Equal("f", rela.GroupSignature);

        ElfSection group = Section(obj, ".group");
        Assert.Equal(SHT_GROUP, group.Type);
        Assert.Null(group.GroupSignature);
        Assert.Equal("f", group.Signature);
        Assert.Equal(GRP_COMDAT, group.GroupFlags);
        Assert.Equal(new[] { tf.Index, rela.Index }, group.GroupMembers);

        ElfRelocation r = Assert.Single(obj.RelocationsFor(tf));
        Assert.Equal(ElfRelocationType.R_X86_64_PLT32, r.Type);
        Assert.Equal("g", SymbolName(obj, r));
    }

    // ---- invalid input --------------------------------------------------------------------------------------

    [Fact]
    public void Elf_GarbageAndTruncatedInputThrowInvalidData()
    {
        byte[] good = File.ReadAllBytes(AssembleToFile("""
                .text
                call foo@PLT
                .data
                .quad bar
            """));
        ElfObject.Read(good);   // sanity

        Assert.Throws<InvalidDataException>(() => ElfObject.Read([]));
        Assert.Throws<InvalidDataException>(() => ElfObject.Read("hello, world, this is not an ELF object at all"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => ElfObject.Read(new byte[200]));
        Assert.Throws<InvalidDataException>(() => ElfObject.Read(good[..16]));
        Assert.Throws<InvalidDataException>(() => ElfObject.Read(good[..63]));
        Assert.Throws<InvalidDataException>(() => ElfObject.Read(good[..200]));       // section headers cut off
        Assert.Throws<InvalidDataException>(() => ElfObject.Read(good[..(good.Length - 1)]));

        byte[] elf32 = (byte[])good.Clone();
        elf32[4] = 1;
        Assert.Contains("ELF64", Assert.Throws<InvalidDataException>(() => ElfObject.Read(elf32)).Message);

        byte[] bigEndian = (byte[])good.Clone();
        bigEndian[5] = 2;
        Assert.Throws<InvalidDataException>(() => ElfObject.Read(bigEndian));

        byte[] aarch64 = (byte[])good.Clone();
        aarch64[0x12] = 183;   // EM_AARCH64
        aarch64[0x13] = 0;
        Assert.Contains("x86-64", Assert.Throws<InvalidDataException>(() => ElfObject.Read(aarch64)).Message);

        // Section data pointing past the end of the file.
        ElfObject parsed = ElfObject.Read(good);
        ulong shoff = BitConverter.ToUInt64(good, 0x28);
        int textHeader = (int)shoff + Section(parsed, ".text").Index * 64;
        byte[] badOffset = (byte[])good.Clone();
        BitConverter.GetBytes((ulong)good.Length + 100).CopyTo(badOffset, textHeader + 0x18);
        Assert.Throws<InvalidDataException>(() => ElfObject.Read(badOffset));

        // Random garbage with a valid magic number must not crash with anything other than InvalidDataException.
        var rng = new Random(12345);
        for (int i = 0; i < 200; i++)
        {
            byte[] fuzz = (byte[])good.Clone();
            for (int k = 0; k < 8; k++)
                fuzz[64 + rng.Next(fuzz.Length - 64)] = (byte)rng.Next(256);
            fuzz[0x28 + rng.Next(24)] ^= (byte)(1 << rng.Next(8));
            try
            {
                ElfObject o = ElfObject.Read(fuzz);
                foreach (ElfSection s in o.Sections)
                    o.RelocationsFor(s);
            }
            catch (InvalidDataException)
            {
            }
        }

        string missing = Path.Combine(_dir, "missing.o");
        Assert.Throws<FileNotFoundException>(() => ElfObject.Load(missing));
        string garbageFile = Path.Combine(_dir, "garbage.o");
        File.WriteAllBytes(garbageFile, [1, 2, 3]);
        Assert.Contains("garbage.o", Assert.Throws<InvalidDataException>(() => ElfObject.Load(garbageFile)).Message);
    }

    // ---- comparison -----------------------------------------------------------------------------------------

    private const string ProgramTemplate = """
            .text
            .globl main
            .type main, @function
        main:
            pushq %rbp
            movq %rsp, %rbp
            call helper@PLT
            leaq msg(%rip), %rdi
            movq counter@GOTPCREL(%rip), %rax
            movl $BYTE, %eax
            popq %rbp
            ret
            .size main, .-main
            BINDING helper
            .type helper, @function
        helper:
            ret
            .size helper, .-helper
            .section .rodata
        msg:
            .string "hello"
            .data
            .globl table
            .type table, @object
            .size table, 16
        table:
            .quad main
            .quad msg+ADDEND
            .section .text.inl,"axG",@progbits,inl,comdat
            .weak inl
        inl:
            ret
        """;

    private static string Program(string b = "0x11", string addend = "8", string binding = ".globl") =>
        ProgramTemplate.Replace("BYTE", b).Replace("ADDEND", addend).Replace("BINDING", binding);

    [Fact]
    public void Elf_CompareSameProgramAssembledTwiceIsIdentical()
    {
        ElfObject a = Assemble(Program());
        ElfObject b = Assemble(Program());
        Assert.Empty(ObjectComparison.Compare(a, b));
        Assert.Empty(ObjectComparison.Compare(a, a));
    }

    [Fact]
    public void Elf_CompareIgnoresSymbolTableLayoutDifferences()
    {
        // Same object code, but the symbol table order differs (a label defined in another order and an extra
        // unreferenced local .L label which never reaches the symbol table).
        ElfObject a = Assemble("""
                .text
                .globl a
                .globl b
            a:  call b
            b:  ret
            """);
        ElfObject b = Assemble("""
                .text
                .globl b
                .globl a
            a:  call b
            .Lunused:
            b:  ret
            """);
        Assert.Empty(ObjectComparison.Compare(a, b));
    }

    [Fact]
    public void Elf_CompareReportsChangedByte()
    {
        ElfObject a = Assemble(Program(b: "0x11"));
        ElfObject b = Assemble(Program(b: "0x12"));
        IReadOnlyList<string> d = ObjectComparison.Compare(a, b);
        string diff = Assert.Single(d);
        Assert.Contains(".text", diff);
        Assert.Contains("offset 0x", diff);
        Assert.Contains("0x11", diff);
        Assert.Contains("0x12", diff);
    }

    [Fact]
    public void Elf_CompareReportsChangedRelocationAddend()
    {
        ElfObject a = Assemble(Program(addend: "8"));
        ElfObject b = Assemble(Program(addend: "16"));
        IReadOnlyList<string> d = ObjectComparison.Compare(a, b);
        string diff = Assert.Single(d);
        Assert.Contains(".data", diff);
        Assert.Contains("relocation", diff);
        Assert.Contains("+8", diff);
        Assert.Contains("+16", diff);
    }

    [Fact]
    public void Elf_CompareReportsChangedSymbolBinding()
    {
        ElfObject a = Assemble(Program(binding: ".globl"));
        ElfObject b = Assemble(Program(binding: ".weak"));
        IReadOnlyList<string> d = ObjectComparison.Compare(a, b);
        Assert.Contains(d, s => s.Contains("helper") && s.Contains("binding") && s.Contains("GLOBAL") && s.Contains("WEAK"));
    }

    [Fact]
    public void Elf_CompareReportsRelocationSymbolAndSectionDifferences()
    {
        ElfObject a = Assemble("""
                .text
                call foo@PLT
                .data
                .byte 1
            """);
        ElfObject b = Assemble("""
                .text
                call bar@PLT
                .section .data.extra,"aw"
                .byte 1
            """);
        IReadOnlyList<string> d = ObjectComparison.Compare(a, b);
        Assert.Contains(d, s => s.Contains("relocation") && s.Contains("foo") && s.Contains("bar"));
        Assert.Contains(d, s => s.Contains(".data.extra") && s.Contains("not in the expected"));
        Assert.Contains(d, s => s.Contains("symbol foo"));
        // .data exists in both (as always creates it) but with different sizes.
        Assert.Contains(d, s => s.Contains("section .data:") && s.Contains("size"));
    }

    [Fact]
    public void Elf_CompareCapsTheNumberOfDifferences()
    {
        string Many(int v) => string.Join('\n', Enumerable.Range(0, 50).Select(i => $".globl s{i}\ns{i}: .byte {v}\n.quad ext{i}+{v}"));
        ElfObject a = Assemble(".data\n" + Many(1));
        ElfObject b = Assemble(".data\n" + Many(2));
        Assert.Equal(20, ObjectComparison.Compare(a, b).Count);
        Assert.Equal(3, ObjectComparison.Compare(a, b, maxDifferences: 3).Count);
        Assert.True(ObjectComparison.Compare(a, b, maxDifferences: 1000).Count > 20);
    }
}
