using System.Diagnostics;
using Xunit.Abstractions;
using Iced.Intel;
using CompilerLLM.Rewriting;
using CompilerLLM.Rewriting.Functions;
using CompilerLLM.Rewriting.Guards;
using CompilerLLM.Toolchain;
using CompilerLLM.Verification;

namespace CompilerLLM.Tests.Rewriting;

/// <summary>
/// The two readings of every operand function and guard agree: what runs at a site (C#) and what
/// the proofs assume (the SMT meaning, evaluated by z3), over edge values (0, ±1, the 8/16/32/64-bit
/// bounds, powers of two and their neighbours) and random ones. The set checked is every function
/// and guard the catalogue uses plus one of each kind, and every kind must be in it, so a new kind
/// is checked the day it is added. All cases go to z3 in a few batched runs.
/// </summary>
public sealed class MeaningAgreementTests(ITestOutputHelper output)
{
    private const int CasesPerRun = 6000;

    /// <summary>Single inputs range over all of these.</summary>
    private static readonly long[] Values = [.. EdgeValues().Concat(RandomValues(seed: 11, count: 40)).Distinct()];

    /// <summary>Pairs of inputs: every pair of the main edge values, and random pairs.</summary>
    private static readonly long[] PairValues =
    [
        0, 1, -1, 2, -2, 127, 128, -128, -129, 255, 32767, -32768, 65535, int.MaxValue, int.MinValue, (long)int.MaxValue + 1,
        (long)int.MinValue - 1, uint.MaxValue, 1L << 32, long.MaxValue, long.MinValue, 0x7fff_0000, 0x1_0000, -24, 1 << 30,
    ];

    private static IEnumerable<long> EdgeValues()
    {
        long[] bounds = [0, 1, -1, 2, -2, 3, 5, 9, sbyte.MaxValue, sbyte.MinValue, byte.MaxValue, short.MaxValue, short.MinValue, ushort.MaxValue,
            int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue];
        foreach (long b in bounds)
        {
            yield return b;
            yield return unchecked(b + 1);
            yield return unchecked(b - 1);
        }
        for (int n = 0; n < 64; n++)
        {
            long p = unchecked(1L << n);
            yield return p;
            yield return unchecked(-p);
            yield return unchecked(p - 1);
            yield return unchecked(p + 1);
        }
    }

    private static IEnumerable<long> RandomValues(int seed, int count)
    {
        var random = new Random(seed);
        for (int k = 0; k < count; k++)
        {
            // Half of them 32-bit, where displacements and immediates live; half anywhere.
            yield return k % 2 == 0 ? random.Next(int.MinValue, int.MaxValue) : random.NextInt64(long.MinValue, long.MaxValue);
        }
    }

    // ------------------------------------------------------------------ the closed set

    /// <summary>Every operand function the catalogue's templates use, and one of each kind (nested ones too).</summary>
    private static List<OperandFunction> Functions()
    {
        var a = new VariableFunction("a");
        var b = new VariableFunction("b");
        var functions = new List<OperandFunction>
        {
            a,
            new SumFunction(a, b),
            new MinusConstantFunction(a, 1),
            new MinusConstantFunction(a, long.MinValue),
            new Log2Function(a),
            new Log2Function(new SumFunction(a, b)),
            new MinusConstantFunction(new SumFunction(a, new ConstantFunction(int.MaxValue)), -7),
        };
        functions.AddRange(Values.Select(v => (OperandFunction)new ConstantFunction(v)));
        foreach (var rule in RuleCatalogue.All)
        {
            foreach (var operand in rule.Replacement.SelectMany(t => t.Operands))
            {
                switch (operand)
                {
                    case ImmediateTemplate i: functions.Add(i.Function); break;
                    case AddressTemplate t:
                        functions.Add(t.Scale);
                        if (t.Displacement is not null) functions.Add(t.Displacement);
                        break;
                }
            }
        }
        return functions;
    }

    /// <summary>Every guard the catalogue uses, and one of each kind.</summary>
    private static List<RuleGuard> Guards()
    {
        var a = new VariableFunction("a");
        var b = new VariableFunction("b");
        var guards = new List<RuleGuard>
        {
            new FitsInInt32Guard(a),
            new FitsInInt32Guard(new SumFunction(a, b)),
            new NonZeroGuard(a),
            new NonZeroGuard(new MinusConstantFunction(a, 1)),
            new DistinctRegistersGuard("r", "s"),
            new RegisterOutsideAddressGuard("r", "m"),
            new AllOfGuard(new NonZeroGuard(a), new FitsInInt32Guard(a), new RegisterOutsideAddressGuard("r", "m")),
        };
        guards.AddRange(RuleCatalogue.All.Select(r => r.Conditions.Guard).OfType<RuleGuard>());
        return guards;
    }

    [Fact]
    public void EveryKindOfFunctionAndGuardIsChecked()
    {
        var functionKinds = Functions().SelectMany(Nested).Select(f => f.GetType()).ToHashSet();
        var guardKinds = Guards().SelectMany(Nested).Select(g => g.GetType()).ToHashSet();
        foreach (var type in typeof(OperandFunction).Assembly.GetTypes().Where(t => !t.IsAbstract))
        {
            if (type.IsSubclassOf(typeof(OperandFunction))) Assert.True(functionKinds.Contains(type), $"{type.Name} is not in the agreement test");
            if (type.IsSubclassOf(typeof(RuleGuard))) Assert.True(guardKinds.Contains(type), $"{type.Name} is not in the agreement test");
        }
    }

    [Fact]
    public void OperandFunctionsAgreeWithTheirSmtMeaning()
    {
        var cases = new List<Case>();
        foreach (var f in Functions())
        {
            foreach (var b in ImmediateBindings(f.Inputs))
                cases.Add(new Case(f.ToString(), b, f.Meaning(b), Smt.Bv((ulong)f.Evaluate(b), 64)));
        }
        AssertAgreement(cases);
    }

    [Fact]
    public void GuardsAgreeWithTheirSmtMeaning()
    {
        var cases = new List<Case>();
        foreach (var g in Guards())
        {
            var (immediates, registers, memory) = Variables(g);
            foreach (var b in ImmediateBindings(immediates))
            {
                foreach (var full in RegisterBindings(b, registers, memory))
                    cases.Add(new Case(g.ToString(), full, g.Meaning(full), g.Holds(full) ? Smt.True : Smt.False));
            }
        }
        AssertAgreement(cases);
    }

    // ------------------------------------------------------------------ cases

    private sealed record Case(string What, Bindings Bindings, string Meaning, string Expected);

    /// <summary>One binding per value of each input: all values for one input, the pair table for two, a sample beyond.</summary>
    private static IEnumerable<Bindings> ImmediateBindings(IReadOnlyList<string> inputs)
    {
        IEnumerable<long[]> tuples = inputs.Count switch
        {
            0 => [[]],
            1 => Values.Select(v => new[] { v }),
            2 => PairValues.SelectMany(x => PairValues.Select(y => new[] { x, y }))
                .Concat(RandomValues(seed: 12, count: 400).Zip(RandomValues(seed: 13, count: 400), (x, y) => new[] { x, y })),
            _ => Enumerable.Range(0, 2000).Select(k => inputs.Select((_, n) => Values[(k * 7919 + n * 104729) % Values.Length]).ToArray()),
        };
        foreach (var tuple in tuples)
        {
            var b = new Bindings { Width = 64 };
            for (int k = 0; k < inputs.Count; k++) b.BindImmediate(inputs[k], tuple[k]);
            yield return b;
        }
    }

    private static readonly Register[] SomeRegisters = [Register.RAX, Register.RBX, Register.RBP, Register.RSP, Register.R12];

    /// <summary>The bindings extended by every distinct choice of the registers and stack slots (rbp/rsp based, with or without an index).</summary>
    private static IEnumerable<Bindings> RegisterBindings(Bindings immediates, IReadOnlyList<string> registers, IReadOnlyList<string> memory)
    {
        IEnumerable<Bindings> partial = [immediates];
        foreach (var name in registers)
        {
            partial = partial.SelectMany(b => SomeRegisters.Select(r =>
            {
                var c = b.Clone();
                return c.BindRegister(name, r) ? c : null; // the matcher never binds two variables to one register
            }).OfType<Bindings>());
        }
        foreach (var name in memory)
        {
            partial = partial.SelectMany(b => new[] { Register.RBP, Register.RSP }.SelectMany(@base =>
                new[] { Register.None, Register.RAX, Register.R12 }.Select(index =>
                {
                    var c = b.Clone();
                    c.BindMemory(name, new MemoryBinding(@base, index, 1, -24, 1, Register.None, default));
                    return c;
                })));
        }
        return partial;
    }

    private static IEnumerable<object> Nested(object node) => node switch
    {
        SumFunction s => [s, .. Nested(s.Left), .. Nested(s.Right)],
        MinusConstantFunction m => [m, .. Nested(m.Operand)],
        Log2Function l => [l, .. Nested(l.Operand)],
        FitsInInt32Guard f => [f, .. Nested(f.Value)],
        NonZeroGuard n => [n, .. Nested(n.Value)],
        AllOfGuard all => [all, .. all.Conditions.SelectMany(Nested)],
        _ => [node],
    };

    private static (List<string> Immediates, List<string> Registers, List<string> Memory) Variables(RuleGuard guard)
    {
        var nodes = Nested(guard).ToList();
        return (
            [.. nodes.OfType<OperandFunction>().SelectMany(f => f.Inputs).Distinct()],
            [.. nodes.OfType<DistinctRegistersGuard>().SelectMany(d => new[] { d.First, d.Second })
                .Concat(nodes.OfType<RegisterOutsideAddressGuard>().Select(r => r.RegisterVariable)).Distinct()],
            [.. nodes.OfType<RegisterOutsideAddressGuard>().Select(r => r.MemoryVariable).Distinct()]);
    }

    // ------------------------------------------------------------------ z3

    private void AssertAgreement(List<Case> cases)
    {
        var clock = Stopwatch.StartNew();
        var verdicts = Evaluate(cases.Select(c => Smt.Eq(c.Meaning, c.Expected)).ToList());
        var wrong = cases.Where((_, k) => verdicts[k] != Smt.True).ToList();
        string Describe(Case c) =>
            $"{c.What} [{c.Bindings}]: C# gives {c.Expected}, z3 evaluates the meaning to {Evaluate([c.Meaning])[0]}";
        output.WriteLine($"{cases.Count} cases ({cases.Select(c => c.What).Distinct().Count()} functions or guards), {wrong.Count} disagree, " +
            $"{(cases.Count + CasesPerRun - 1) / CasesPerRun} z3 runs, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} cases disagree, e.g.\n" + string.Join("\n", wrong.Take(5).Select(Describe)));
    }

    /// <summary>z3's value of each ground term, by <c>(simplify t)</c>, <see cref="CasesPerRun"/> terms a run.</summary>
    private static List<string> Evaluate(IReadOnlyList<string> terms)
    {
        var values = new List<string>(terms.Count);
        for (int start = 0; start < terms.Count; start += CasesPerRun)
        {
            var batch = terms.Skip(start).Take(CasesPerRun).ToList();
            var script = new System.Text.StringBuilder("(check-sat)\n");
            foreach (var t in batch) script.Append("(simplify ").Append(t).Append(")\n");
            var result = Z3Solver.Check(script.ToString(), TimeSpan.FromSeconds(120));
            Assert.True(result.Status == SmtStatus.Sat, $"z3: {result.Status} {result.Output[..Math.Min(500, result.Output.Length)]}");
            var lines = result.Rest.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(batch.Count, lines.Length);
            values.AddRange(lines);
        }
        return values;
    }
}
