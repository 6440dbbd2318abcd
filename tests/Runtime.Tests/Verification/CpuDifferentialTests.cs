using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Toolchain;
using CompilerLLM.Verification;
using Iced.Intel;
using Xunit.Abstractions;

namespace CompilerLLM.Tests.Verification;

/// <summary>
/// The semantics against the machine running the tests: each instruction shape runs on a few
/// hundred inputs under GNU inline asm (registers rax, rcx, rdx and RFLAGS set before, read back
/// with pushfq after); then z3 evaluates <see cref="X86Semantics"/> on the same concrete inputs.
/// Per shape, three facts are checked over all samples at once:
/// every output the manual defines is determined by the semantics and equals the CPU's; the CPU's
/// values are consistent with the semantics for all outputs, undefined ones included; and every
/// output the manual leaves undefined is left unconstrained (fresh) by the semantics.
/// Which outputs are undefined comes from this file's own reading of the manual, not from the
/// code under test.
/// </summary>
public sealed partial class CpuDifferentialTests(ITestOutputHelper output)
{
    private const int Samples = 256;     // 12 x 16 edge combinations + 64 random
    private const ulong FlagMask = 0x8d5; // OF SF ZF AF PF CF

    private static readonly (int Location, int Bit)[] FlagBits =
        [(Location.CF, 0), (Location.PF, 2), (Location.AF, 4), (Location.ZF, 6), (Location.SF, 7), (Location.OF, 11)];

    private static readonly int[] OutputRegisters = [Location.Rax, Location.Rcx, Location.Rdx];

    /// <summary>Which flags an instruction leaves undefined, as the SDM states it.</summary>
    private enum Rule
    {
        /// <summary>Every flag defined (computed or unchanged).</summary>
        All,
        /// <summary>Logic: AF undefined.</summary>
        NoAf,
        /// <summary>SHL/SHR: for a non-zero masked count AF undefined, CF undefined when count ≥ width, OF unless count = 1.</summary>
        ShlShr,
        /// <summary>SAR: as SHL/SHR but CF always defined.</summary>
        Sar,
        /// <summary>ROL/ROR: for a non-zero masked count OF undefined unless count = 1.</summary>
        Rotate,
        /// <summary>IMUL/MUL: only CF and OF defined.</summary>
        Multiply,
        /// <summary>BSF/BSR: only ZF defined; the destination is undefined for a zero source.</summary>
        BitScan,
        /// <summary>TZCNT/LZCNT: only CF and ZF defined.</summary>
        CountZeros,
    }

    /// <param name="Asm">One instruction over rax/rcx/rdx and their parts.</param>
    /// <param name="Width">Width of the generated operand values (edge cases are per width).</param>
    /// <param name="CountInCl">rcx holds a shift count (edge counts 0, 1, 31, 32, 63, 64...).</param>
    /// <param name="ImmediateCount">The count of an immediate-count shift.</param>
    private sealed record Shape(string Asm, int Width, Rule Rule, bool CountInCl = false, int? ImmediateCount = null);

    private static readonly string[] A = ["%al", "%ax", "%eax", "%rax"], C = ["%cl", "%cx", "%ecx", "%rcx"];
    private static readonly int[] Widths = [8, 16, 32, 64];
    private const string Suffix = "bwlq";

    private static List<Shape> Shapes()
    {
        var s = new List<Shape>();
        for (int k = 0; k < 4; k++)
        {
            int w = Widths[k];
            char x = Suffix[k];
            string a = A[k], c = C[k];
            foreach (var op in new[] { "add", "sub", "adc", "sbb", "cmp" }) s.Add(new($"{op}{x} {c}, {a}", w, Rule.All));
            foreach (var op in new[] { "and", "or", "xor", "test" }) s.Add(new($"{op}{x} {c}, {a}", w, Rule.NoAf));
            s.Add(new($"add{x} $1, {a}", w, Rule.All));
            s.Add(new($"adc{x} $0, {a}", w, Rule.All));
            s.Add(new($"sbb{x} $-1, {a}", w, Rule.All));
            s.Add(new($"sub{x} $-128, {a}", w, Rule.All));
            s.Add(new($"cmp{x} $127, {a}", w, Rule.All));
            s.Add(new($"and{x} $85, {a}", w, Rule.NoAf));
            s.Add(new($"test{x} $-128, {a}", w, Rule.NoAf));
            foreach (var op in new[] { "inc", "dec", "neg", "not" }) s.Add(new($"{op}{x} {a}", w, Rule.All));
            foreach (var (op, rule) in new[] { ("shl", Rule.ShlShr), ("shr", Rule.ShlShr), ("sar", Rule.Sar), ("rol", Rule.Rotate), ("ror", Rule.Rotate) })
            {
                s.Add(new($"{op}{x} %cl, {a}", w, rule, CountInCl: true));
                foreach (int n in new[] { 1, 5, w - 1 }.Distinct())
                    s.Add(new($"{op}{x} ${n}, {a}", w, rule, ImmediateCount: n));
            }
            s.Add(new($"shl{x} ${(w == 64 ? 65 : 9)}, {a}", w, Rule.ShlShr, ImmediateCount: w == 64 ? 65 : 9));
            s.Add(new($"sar{x} ${(w == 64 ? 63 : 17)}, {a}", w, Rule.Sar, ImmediateCount: w == 64 ? 63 : 17));
            s.Add(new($"mul{x} {c}", w, Rule.Multiply));
            s.Add(new($"imul{x} {c}", w, Rule.Multiply));
            if (w >= 16)
            {
                s.Add(new($"imul{x} {c}, {a}", w, Rule.Multiply));
                s.Add(new($"imul{x} $3, {c}, {a}", w, Rule.Multiply));
                s.Add(new($"imul{x} $-100, {c}, {a}", w, Rule.Multiply));
                s.Add(new($"imul{x} $100000, {c}, {a}", w, Rule.Multiply));
                foreach (var op in new[] { "bsf", "bsr" }) s.Add(new($"{op}{x} {c}, {a}", w, Rule.BitScan));
                // Without BMI1/LZCNT the CPU would run tzcnt/lzcnt as bsf/bsr (the semantics assume them).
                if (CpuHas("bmi1")) s.Add(new($"tzcnt{x} {c}, {a}", w, Rule.CountZeros));
                if (CpuHas("abm")) s.Add(new($"lzcnt{x} {c}, {a}", w, Rule.CountZeros));
                if (CpuHas("popcnt")) s.Add(new($"popcnt{x} {c}, {a}", w, Rule.All));
                foreach (var cc in new[] { "e", "l", "a", "o", "p" }) s.Add(new($"cmov{cc}{x} {c}, {a}", w, Rule.All));
            }
            s.Add(new($"mov{x} {c}, {a}", w, Rule.All));
            s.Add(new($"xchg{x} {c}, {a}", w, Rule.All));
        }
        foreach (var cc in new[] { "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g" })
        {
            s.Add(new($"set{cc} %dl", 64, Rule.All));
            s.Add(new($"cmov{cc}l %ecx, %eax", 32, Rule.All));
        }
        s.AddRange(
        [
            new("addb %ch, %ah", 16, Rule.All), new("subb %al, %ch", 16, Rule.All), new("xorb %dh, %al", 16, Rule.NoAf),
            new("cmpb %ah, %cl", 16, Rule.All), new("movb %cl, %ah", 16, Rule.All), new("seta %ah", 16, Rule.All),
            new("movb $1, %al", 64, Rule.All), new("movw $-1, %ax", 64, Rule.All), new("movl $-1, %eax", 64, Rule.All),
            new("movq $-1, %rax", 64, Rule.All), new("movabsq $0x123456789abcdef0, %rax", 64, Rule.All),
            new("leal (%rax,%rcx,2), %edx", 32, Rule.All), new("leaq 8(%rax,%rcx,4), %rdx", 64, Rule.All),
            new("leaw -1(%rax), %dx", 16, Rule.All), new("leal 0x7fffffff(%rcx), %eax", 32, Rule.All),
            new("leaq -8(,%rcx,8), %rax", 64, Rule.All), new("leal (%rax,%rax,2), %eax", 32, Rule.All),
            new("movzbl %cl, %eax", 8, Rule.All), new("movzwl %cx, %eax", 16, Rule.All), new("movzbq %cl, %rax", 8, Rule.All),
            new("movzwq %cx, %rax", 16, Rule.All), new("movzbw %cl, %ax", 8, Rule.All), new("movzbl %ch, %eax", 16, Rule.All),
            new("movsbl %cl, %eax", 8, Rule.All), new("movswl %cx, %eax", 16, Rule.All), new("movsbq %cl, %rax", 8, Rule.All),
            new("movswq %cx, %rax", 16, Rule.All), new("movslq %ecx, %rax", 32, Rule.All), new("movsbw %cl, %ax", 8, Rule.All),
            new("bswapl %eax", 32, Rule.All), new("bswapq %rax", 64, Rule.All),
            new("cbtw", 8, Rule.All), new("cwtl", 16, Rule.All), new("cltq", 32, Rule.All),
            new("cwtd", 16, Rule.All), new("cltd", 32, Rule.All), new("cqto", 64, Rule.All),
            new("xchgl %eax, %eax", 32, Rule.All), new("nop", 64, Rule.All),
        ]);
        return s;
    }

    private sealed record Sample(ulong[] In, ulong[] Out); // rax rcx rdx rflags

    private static readonly Lazy<HashSet<string>> CpuFlags = new(() =>
    {
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/cpuinfo"))
        {
            if (!line.StartsWith("flags", StringComparison.Ordinal)) continue;
            foreach (var f in line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)) flags.Add(f);
            break;
        }
        return flags;
    });

    private static bool CpuHas(string feature) => CpuFlags.Value.Contains(feature);

    [Fact]
    public void SemanticsAgreeWithTheCpu()
    {
        var total = Stopwatch.StartNew();
        var shapes = Shapes();
        var instructions = X86Text.ParseMany(shapes.Select(s => s.Asm).ToList());
        for (int k = 0; k < shapes.Count; k++) Assert.Single(instructions[k]);
        var samples = RunOnCpu(shapes);
        output.WriteLine($"cpu: {shapes.Count} shapes x {Samples} samples in {total.Elapsed.TotalSeconds:F1}s");
        output.WriteLine("shapes per mnemonic: " + string.Join(", ", shapes.GroupBy(s => s.Asm.Split(' ')[0]).Select(g => $"{g.Key} {g.Count()}")));

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        int checkedOutputs = 0, undefinedOutputs = 0;
        Parallel.For(0, shapes.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, k =>
        {
            var (defined, undefined, problems) = CheckShape(shapes[k], instructions[k][0], samples[k]);
            Interlocked.Add(ref checkedOutputs, defined);
            Interlocked.Add(ref undefinedOutputs, undefined);
            foreach (var p in problems) failures.Add(p);
        });
        output.WriteLine($"total {total.Elapsed.TotalSeconds:F1}s; {checkedOutputs} defined outputs compared, {undefinedOutputs} undefined outputs checked to be unconstrained");
        Assert.True(failures.IsEmpty, $"{failures.Count} disagreements:\n" + string.Join("\n", failures.OrderBy(f => f).Take(40)));
    }

    // ------------------------------------------------------------------ the CPU side

    private static List<Sample[]> RunOnCpu(List<Shape> shapes)
    {
        using var temp = new TempDirectory("verification-cpu-");
        string source = temp.File("shapes.c"), exe = temp.File("shapes");
        File.WriteAllText(source, CProgram(shapes));
        var compile = ProcessRunner.Run(new ProcessSpec("gcc", ["-O1", "-mno-red-zone", "-o", exe, source]) { Timeout = TimeSpan.FromMinutes(2) });
        Assert.True(compile.Succeeded, compile.StandardError);
        var run = ProcessRunner.Run(new ProcessSpec(exe, []) { Timeout = TimeSpan.FromMinutes(1) });
        Assert.True(run.Succeeded, run.StandardError);

        var result = shapes.Select(_ => new Sample[Samples]).ToList();
        int lines = 0;
        foreach (var line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            int shape = int.Parse(f[0], CultureInfo.InvariantCulture), i = int.Parse(f[1], CultureInfo.InvariantCulture);
            var v = f.Skip(2).Select(h => ulong.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            result[shape][i] = new Sample(v[..4], v[4..]);
            lines++;
        }
        Assert.Equal(shapes.Count * Samples, lines);
        return result;
    }

    private static string CProgram(List<Shape> shapes)
    {
        var sb = new StringBuilder("""
            #include <stdio.h>
            typedef unsigned long long u64;
            static u64 seed = 0x243f6a8885a308d3ULL;
            /* splitmix64: fixed, so every run tests the same inputs */
            static u64 next(void) {
                u64 z = (seed += 0x9e3779b97f4a7c15ULL);
                z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
                z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
                return z ^ (z >> 31);
            }
            static u64 mask(int w) { return w == 64 ? ~0ULL : (1ULL << w) - 1; }
            #define NE 16
            static u64 edge(int w, int k) {
                u64 m = mask(w), min = 1ULL << (w - 1);
                static const u64 fixed[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x0f, 0x10, 0x5555555555555555ULL, 0xaaaaaaaaaaaaaaaaULL, 0x8000, 0x7fff };
                switch (k) {
                case 0: return m;       /* -1 */
                case 1: return min;     /* INT_MIN */
                case 2: return min - 1; /* INT_MAX */
                case 3: return min + 1;
                default: return fixed[k - 4] & m;
                }
            }
            static const u64 counts[16] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255 };
            static u64 random_value(int w) {
                u64 r = next();
                if ((r & 3) == 0) return (r >> 8) & 0xff & mask(w);
                return next() & mask(w);
            }
            /* random bits above the operand, so merges and zero-extensions are visible */
            static u64 garnish(int w, u64 v) {
                if (w == 64 || (next() & 1)) return v;
                return v | (next() << w);
            }

            """);
        for (int k = 0; k < shapes.Count; k++)
        {
            var s = shapes[k];
            string asm = s.Asm.Replace("%", "%%", StringComparison.Ordinal);
            sb.Append(CultureInfo.InvariantCulture, $$"""
                static void shape{{k}}(void) { /* {{s.Asm}} */
                    const int w = {{s.Width}};
                    for (int i = 0; i < {{Samples}}; i++) {
                        u64 a, c, d, f;
                        if (i < 12 * 16) {
                            a = edge(w, i / 16);
                            c = {{(s.CountInCl ? "counts[i % 16] | (next() & ~0xffULL)" : "edge(w, i % 16)")}};
                        } else {
                            a = random_value(w);
                            c = {{(s.CountInCl ? "next()" : "random_value(w)")}};
                        }
                        a = garnish(w, a);
                        {{(s.CountInCl ? "" : "c = garnish(w, c);")}}
                        d = (next() & 1) ? garnish(w, edge(w, (int)(next() % NE))) : next();
                        f = (next() & 0x8d5) | 0x202;
                        u64 ia = a, ic = c, id = d, iflags = f;
                        __asm__ volatile("pushq %[f]\n\tpopfq\n\t{{asm}}\n\tpushfq\n\tpopq %[f]"
                                         : "+a"(a), "+c"(c), "+d"(d), [f] "+r"(f) : : "cc", "memory");
                        printf("{{k}} %d %016llx %016llx %016llx %016llx %016llx %016llx %016llx %016llx\n", i, ia, ic, id, iflags, a, c, d, f);
                    }
                }

                """);
        }
        sb.Append("int main(void) {\n");
        for (int k = 0; k < shapes.Count; k++) sb.Append(CultureInfo.InvariantCulture, $"    shape{k}();\n");
        sb.Append("    return 0;\n}\n");
        return sb.ToString();
    }

    // ------------------------------------------------------------------ the z3 side

    /// <summary>The outputs (locations) the manual leaves undefined for one sample.</summary>
    private static LocationSet Undefined(Shape shape, Sample sample)
    {
        int w = shape.Width;
        ulong source = sample.In[1] & (w == 64 ? ulong.MaxValue : (1UL << w) - 1);
        ulong count = shape.CountInCl ? sample.In[1] & 0xff : (ulong)(shape.ImmediateCount ?? 0);
        int masked = (int)(count & (w == 64 ? 63UL : 31UL));
        var af = LocationSet.Of(Location.AF);
        var of = LocationSet.Of(Location.OF);
        return shape.Rule switch
        {
            Rule.All => LocationSet.Empty,
            Rule.NoAf => af,
            Rule.ShlShr when masked == 0 => LocationSet.Empty,
            Rule.ShlShr => af | (masked == 1 ? LocationSet.Empty : of) | (masked >= w ? LocationSet.Of(Location.CF) : LocationSet.Empty),
            Rule.Sar when masked == 0 => LocationSet.Empty,
            Rule.Sar => af | (masked == 1 ? LocationSet.Empty : of),
            Rule.Rotate when masked == 0 => LocationSet.Empty,
            Rule.Rotate => masked == 1 ? LocationSet.Empty : of,
            Rule.Multiply => LocationSet.Of(Location.SF, Location.ZF, Location.AF, Location.PF),
            Rule.BitScan => LocationSet.Of(Location.CF, Location.OF, Location.SF, Location.AF, Location.PF)
                | (source == 0 ? LocationSet.Of(Location.Rax) : LocationSet.Empty),
            Rule.CountZeros => LocationSet.Of(Location.OF, Location.SF, Location.AF, Location.PF),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    private static string Literal(int location, ulong value) =>
        location < Location.VectorLowBase ? Smt.Bv(value, 64) : Smt.Bv(value, 1);

    private static ulong CpuValue(int location, ulong[] registers)
    {
        foreach (var (flag, bit) in FlagBits)
        {
            if (flag == location) return registers[3] >> bit & 1;
        }
        return registers[Array.IndexOf(OutputRegisters, location)];
    }

    private static IEnumerable<int> Outputs()
    {
        foreach (int r in OutputRegisters) yield return r;
        foreach (var (flag, _) in FlagBits) yield return flag;
    }

    private static (int Defined, int Undefined, List<string> Problems) CheckShape(Shape shape, Instruction instruction, Sample[] samples)
    {
        var smt = new SmtBuilder();
        string memory = smt.Declare("mem", Smt.MemorySort);
        var terms = new List<(int Sample, int Location, string Term, ulong Cpu, bool Defined)>();
        var problems = new List<string>();
        for (int i = 0; i < samples.Length; i++)
        {
            var sample = samples[i];
            var state = SymbolicState.FromTerms(l => l switch
            {
                Location.Rax => Smt.Bv(sample.In[0], 64),
                Location.Rcx => Smt.Bv(sample.In[1], 64),
                Location.Rdx => Smt.Bv(sample.In[2], 64),
                >= Location.CF and <= Location.OF => Literal(l, CpuValue(l, sample.In)),
                Location.DF => Smt.Bit0,
                _ => Smt.Zero(SymbolicState.BitsOf(l)),
            }, memory);
            if (!X86Semantics.TryExecute(instruction, state, smt, null, out string? why))
                return (0, 0, [$"{shape.Asm}: unsupported: {why}"]);
            var undefined = Undefined(shape, sample);
            foreach (int l in Outputs())
                terms.Add((i, l, state[l], CpuValue(l, sample.Out), !undefined.Contains(l)));
        }

        var after = new List<string>
        {
            "(get-value (" + string.Join(' ', terms.Select(t => t.Term)) + "))",
            // 2: every defined output is forced to the CPU's value.
            "(push 1)",
            "(assert " + Smt.Or([.. terms.Where(t => t.Defined).Select(t => Smt.Distinct(t.Term, Literal(t.Location, t.Cpu)))]) + ")",
            "(check-sat)",
            "(pop 1)",
            // 3: the CPU's values, undefined ones included, are all possible together.
            "(push 1)",
            "(assert " + Smt.And([.. terms.Select(t => Smt.Eq(t.Term, Literal(t.Location, t.Cpu)))]) + ")",
            "(check-sat)",
            "(pop 1)",
        };
        var undefinedTerms = terms.Where(t => !t.Defined).ToList();
        if (undefinedTerms.Count > 0)
        {
            // 4: every undefined output could have been something else: the semantics does not pin it.
            after.Add("(push 1)");
            after.Add("(assert " + Smt.And([.. undefinedTerms.Select(t => Smt.Distinct(t.Term, Literal(t.Location, t.Cpu)))]) + ")");
            after.Add("(check-sat)");
            after.Add("(pop 1)");
        }
        var result = Z3Solver.Check(smt.ToScript(null, after), TimeSpan.FromSeconds(120));
        if (result.Status != SmtStatus.Sat) return (0, 0, [$"{shape.Asm}: z3 {result.Status}: {result.Output[..Math.Min(500, result.Output.Length)]}"]);

        var values = ValuePair().Matches(result.Output).Select(m => m.Groups[1].Value).ToList();
        if (values.Count != terms.Count) return (0, 0, [$"{shape.Asm}: {values.Count} values for {terms.Count} outputs"]);
        for (int k = 0; k < terms.Count; k++)
        {
            var t = terms[k];
            if (!t.Defined) continue;
            ulong got = ulong.Parse(values[k][2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (values[k].StartsWith("#b", StringComparison.Ordinal)) got = values[k] == "#b1" ? 1UL : 0UL;
            if (got != t.Cpu)
            {
                var s = samples[t.Sample];
                problems.Add($"{shape.Asm}: {Location.Name(t.Location)} cpu {t.Cpu:x} semantics {got:x} " +
                    $"(in rax={s.In[0]:x} rcx={s.In[1]:x} rdx={s.In[2]:x} flags={s.In[3] & FlagMask:x}; cpu flags={s.Out[3] & FlagMask:x})");
                if (problems.Count > 8) break;
            }
        }
        var statuses = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l is "sat" or "unsat" or "unknown").ToList();
        string Status(int n) => n < statuses.Count ? statuses[n] : "missing";
        if (Status(1) != "unsat") problems.Add($"{shape.Asm}: a defined output is not determined by the semantics ({Status(1)})");
        if (Status(2) != "sat") problems.Add($"{shape.Asm}: the CPU's values contradict the semantics ({Status(2)})");
        if (undefinedTerms.Count > 0 && Status(3) != "sat") problems.Add($"{shape.Asm}: an undefined output is pinned by the semantics ({Status(3)})");
        return (terms.Count(t => t.Defined), undefinedTerms.Count, problems);
    }

    [GeneratedRegex(@"\([^\s()]+ (#x[0-9a-f]+|#b[01]+)\)")]
    private static partial Regex ValuePair();
}
