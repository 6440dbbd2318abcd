using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using CompilerLLM.Toolchain;
using CompilerLLM.Verification;

namespace CompilerLLM.Rewriting;

/// <summary>One proof obligation: a rule at one width, with one choice of encodings and value class.</summary>
public sealed record RuleProofInstance(int Width, string Instance, EquivalenceStatus Status, string? Detail);

public sealed record RuleProofResult(RewriteRule Rule, IReadOnlyList<RuleProofInstance> Instances)
{
    /// <summary>Every obligation proven, and at least one per width.</summary>
    public bool Proven => Instances.Count > 0 && Instances.All(i => i.Status == EquivalenceStatus.Equivalent)
        && Rule.Widths.All(w => Instances.Any(i => i.Width == w));
}

/// <summary>
/// Proves a rule with z3: for every width, every Iced encoding its pattern can match, and every
/// value class, "before" and "after" leave the same value in every register, status flag and all of
/// memory, except the locations the rule requires dead. Registers are instantiated distinctly
/// (the matcher never binds two variables to one register); stack slots use rbp; immediates with a
/// domain are enumerated, other immediates and every displacement are symbolic (one proof covers
/// every value in the encoding's range).
/// <para>
/// The rule's guard is a precondition of every obligation: its SMT meaning where it reads symbolic
/// values (so <c>fold-lea-into-load</c> is proven for exactly the displacements with d1+d2 in 32
/// bits), its decision where it reads only concrete ones (registers). An instantiation the guard
/// excludes, or a value class no value of which meets it, has nothing to prove; a width where that
/// leaves no obligation at all fails, so a guard that never holds cannot make a rule vacuously proven.
/// Computed operands enter the replacement as the functions' SMT meanings, a computed displacement
/// cut to its 32-bit field, so the guard is what makes it fit.
/// </para>
/// </summary>
public static class RuleProver
{
    private static readonly Register[] Pool =
        [Register.RAX, Register.RCX, Register.RDX, Register.RBX, Register.RSI, Register.RDI, Register.R8, Register.R9, Register.R10, Register.R11];

    private static readonly Dictionary<Mnemonic, Code[]> CodesByMnemonic = Enum.GetValues<Code>()
        .Where(c => c != Code.INVALID && c.ToOpCode() is { Mode64: true, IsInstruction: true, Encoding: EncodingKind.Legacy })
        .GroupBy(c => c.Mnemonic()).ToDictionary(g => g.Key, g => g.ToArray());

    /// <summary>Symbolic immediates are proven in two classes: values that fit a sign-extended byte, and the rest of 32 bits.</summary>
    private static readonly (long Placeholder, long Min, long Max)[] ValueClasses = [(5, -128, 127), (0x12345, int.MinValue, int.MaxValue)];

    public static RuleProofResult Prove(RewriteRule rule, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var instances = new List<RuleProofInstance>();
        foreach (int width in rule.Widths)
        {
            int outsideGuard = 0;
            foreach (var bindings in Instantiate(rule, width))
            {
                var variables = bindings.Terms.Values.Distinct().Select(t => (t, Smt.BvSort(64))).ToList();
                var preconditions = ValueClassPreconditions(bindings).ToList();
                string guard = rule.Conditions.Guard?.Precondition(bindings) ?? Smt.True;
                if (guard == Smt.False)
                {
                    outsideGuard++; // e.g. a register condition this instantiation does not meet: no site has these bindings
                    continue;
                }
                if (guard != Smt.True)
                {
                    // A guard no value of this class meets would make every obligation below hold vacuously.
                    preconditions.Add(guard);
                    var satisfiable = Satisfiable(variables, preconditions, limit);
                    if (satisfiable == SmtStatus.Unsat)
                    {
                        outsideGuard++;
                        continue;
                    }
                    if (satisfiable != SmtStatus.Sat)
                    {
                        instances.Add(new RuleProofInstance(width, $"[{bindings}] when {rule.Conditions.Guard}", EquivalenceStatus.Error,
                            $"z3 could not decide whether the guard can hold: {satisfiable}"));
                        continue;
                    }
                }

                var mayDiffer = rule.MayDiffer(bindings);
                var compare = (LocationSet.Range(Location.GprBase, 16) | LocationSet.StatusFlags | LocationSet.Of(Location.DF)) - mayDiffer;
                var after = rule.Build(bindings);
                if (after is null)
                {
                    instances.Add(new RuleProofInstance(width, bindings.ToString(), EquivalenceStatus.Error, "the replacement cannot be encoded"));
                    continue;
                }
                var afterTerms = rule.Replacement.Select(t => AsEncoded(t.Terms(bindings), bindings)).ToList();
                string when = guard == Smt.True ? "" : $" when {rule.Conditions.Guard}";
                foreach (var before in BeforeSequences(rule, width, bindings))
                {
                    var options = new EquivalenceOptions
                    {
                        Variables = variables,
                        Preconditions = preconditions,
                        BeforeTerms = before.Terms,
                        AfterTerms = afterTerms,
                        Timeout = limit,
                    };
                    var result = EquivalenceChecker.Check(before.Instructions, [.. after.Select(a => a.Instruction)], compare, compareMemory: true, options);
                    string name = $"{string.Join("; ", before.Instructions.Select(i => i.Code))} => {string.Join("; ", after.Select(a => a.Instruction.Code))} [{bindings}]{when}";
                    instances.Add(new RuleProofInstance(width, name, result.Status, result.IsEquivalent ? null : result.ToString()));
                }
                // A value class no encoding of this width can hold (e.g. a 32-bit value in an 8-bit op) has nothing to prove.
            }
            if (!instances.Any(i => i.Width == width))
            {
                instances.Add(new RuleProofInstance(width, "", EquivalenceStatus.Error, outsideGuard > 0
                    ? $"the guard ({rule.Conditions.Guard}) holds for no instantiation at this width: nothing would be proven"
                    : "no Iced encoding matches the pattern at this width"));
            }
        }
        return new RuleProofResult(rule, instances);
    }

    /// <summary>
    /// A computed displacement as the built instruction holds it: a 32-bit field, sign-extended. The
    /// input variables are constrained to their fields by the value classes, but a computed value
    /// (d1+d2) may leave the field, and then only the rule's guard makes the obligation hold: the
    /// proof is exactly as strong as the guard. Immediates need no cut: <see cref="RewriteRule.Build"/>
    /// picks an alternative whose field holds the computed value exactly, or builds nothing.
    /// </summary>
    private static OperandTerms? AsEncoded(OperandTerms? terms, Bindings bindings)
    {
        if (terms?.Displacement is not { } d || bindings.Terms.Values.Contains(d)) return terms;
        return terms with { Displacement = Smt.SignExtend(32, Smt.Low(32, d)) };
    }

    /// <summary>Whether some values of the variables meet the preconditions (one z3 run).</summary>
    private static SmtStatus Satisfiable(IReadOnlyList<(string Name, string Sort)> variables, IReadOnlyList<string> preconditions, TimeSpan timeout)
    {
        var smt = new SmtBuilder();
        foreach (var (name, sort) in variables) smt.Declare(name, sort);
        foreach (var p in preconditions) smt.Assert(p);
        return Z3Solver.Check(smt.ToScript(), timeout).Status;
    }

    /// <summary>Each symbolic immediate lies in its value class; each displacement is a signed 32-bit number.</summary>
    private static IEnumerable<string> ValueClassPreconditions(Bindings b)
    {
        foreach (var (name, term) in b.Terms)
        {
            (long min, long max) = b.Immediates.ContainsKey(name) && b.Immediates.ContainsKey(name + ".class")
                ? (ValueClasses[b.Immediate(name + ".class")].Min, ValueClasses[b.Immediate(name + ".class")].Max)
                : (int.MinValue, int.MaxValue);
            yield return $"(and (bvsge {term} {Smt.Bv((ulong)min, 64)}) (bvsle {term} {Smt.Bv((ulong)max, 64)}))";
        }
    }

    /// <summary>Bindings for one width: registers from the pool, stack slots on rbp, immediates per domain value or value class.</summary>
    private static IEnumerable<Bindings> Instantiate(RewriteRule rule, int width)
    {
        var registers = new List<string>();
        var enumerated = new List<(string Name, IReadOnlyList<long> Values)>();
        var symbolic = new List<string>();
        var displacements = new List<string>();
        var memory = new List<string>();
        void Reg(string name) { if (!registers.Contains(name)) registers.Add(name); }
        foreach (var p in rule.Pattern)
        {
            foreach (var o in p.Operands)
            {
                switch (o)
                {
                    case RegisterPattern r: Reg(r.Name); break;
                    case ImmediatePattern { Name: { } n, Domain: { } d }: enumerated.Add((n, d)); break;
                    case ImmediatePattern { Name: { } n }: symbolic.Add(n); break;
                    case MemoryPattern m: memory.Add(m.Name); break;
                    case BasedMemoryPattern bm: Reg(bm.BaseName); displacements.Add(bm.DisplacementName); break;
                    case AddressPattern a:
                        Reg(a.BaseName);
                        if (a.IndexName is not null)
                        {
                            Reg(a.IndexName);
                            if (a.Scale == 0) enumerated.Add((a.IndexName + ".scale", [1, 2, 4, 8]));
                        }
                        if (a.DisplacementName is not null) displacements.Add(a.DisplacementName);
                        break;
                }
            }
        }
        enumerated = enumerated.DistinctBy(e => e.Name).ToList();
        symbolic = symbolic.Distinct().ToList();
        displacements = displacements.Distinct().ToList();

        foreach (var values in Product(enumerated.Select(e => e.Values).ToList()))
        {
            foreach (var classes in Product(symbolic.Select(_ => (IReadOnlyList<long>)[0, 1]).ToList()))
            {
                var b = new Bindings { Width = width };
                for (int k = 0; k < registers.Count; k++) b.BindRegister(registers[k], Pool[k]);
                for (int k = 0; k < enumerated.Count; k++) b.BindImmediate(enumerated[k].Name, values[k]);
                for (int k = 0; k < symbolic.Count; k++)
                {
                    var cls = ValueClasses[classes[k]];
                    b.BindImmediate(symbolic[k], cls.Placeholder);
                    b.BindImmediate(symbolic[k] + ".class", classes[k]);
                    b.SetTerm(symbolic[k], "imm_" + symbolic[k]);
                }
                foreach (var d in displacements)
                {
                    b.BindImmediate(d, -24);
                    b.SetTerm(d, "disp_" + d);
                }
                foreach (var m in memory)
                {
                    b.BindMemory(m, new MemoryBinding(Register.RBP, Register.None, 1, -24, 1, Register.None, default));
                    b.SetTerm(m, "disp_" + m);
                }
                yield return b;
            }
        }
    }

    private sealed record BeforeSequence(List<Instruction> Instructions, List<OperandTerms?> Terms);

    /// <summary>Every combination of encodings the pattern can match with these bindings.</summary>
    private static IEnumerable<BeforeSequence> BeforeSequences(RewriteRule rule, int width, Bindings bindings)
    {
        var choices = new List<IReadOnlyList<(Instruction, OperandTerms?)>>();
        foreach (var pattern in rule.Pattern)
        {
            var list = new List<(Instruction, OperandTerms?)>();
            var values = pattern.Operands.Select(o => Value(o, width, bindings)).ToArray();
            var terms = TermsOf(pattern, bindings);
            foreach (var code in CodesByMnemonic.GetValueOrDefault(pattern.Mnemonic, []))
            {
                if (!InstructionTemplate.Accepts(code, values) || !AcceptsFixedRegisters(code, values)) continue;
                Instruction instruction;
                try { instruction = InstructionTemplate.Create(code, values, out _); }
                catch (ArgumentException) { continue; }
                // The encoding must be one the pattern really matches (e.g. imm8 sign-extension gives the same value).
                if (!pattern.Match(new AsmInstruction(instruction, -1, default, default), width, bindings.Clone())) continue;
                list.Add((instruction, terms));
            }
            if (list.Count == 0) yield break;
            choices.Add(list);
        }
        foreach (var combo in Product(choices))
            yield return new BeforeSequence([.. combo.Select(c => c.Item1)], [.. combo.Select(c => c.Item2)]);
    }

    /// <summary>Codes with a fixed register operand (al, eax …) apply only when the bound register is that one.</summary>
    private static bool AcceptsFixedRegisters(Code code, object[] values)
    {
        var op = code.ToOpCode();
        for (int k = 0; k < values.Length; k++)
        {
            string kind = op.GetOpKind(k).ToString();
            if (kind is "al" or "ax" or "eax" or "rax" or "cl" or "dx")
            {
                if (values[k] is not Register r || !string.Equals(r.ToString(), kind, StringComparison.OrdinalIgnoreCase)) return false;
            }
            if (kind == "imm8_const_1" && values[k] is not 1L) return false;
        }
        return true;
    }

    private static object Value(OperandPattern o, int width, Bindings b) => o switch
    {
        RegisterPattern r => Registers.OfWidth(b.Register(r.Name), r.Width == 0 ? width : r.Width),
        ImmediatePattern { Name: { } n } => b.Immediate(n),
        ImmediatePattern i => i.Domain![0],
        MemoryPattern m => b.MemoryOperand(m.Name),
        BasedMemoryPattern bm => new MemoryBinding(b.Register(bm.BaseName), Register.None, 1, b.Immediate(bm.DisplacementName), 1, Register.None, default),
        AddressPattern a => new MemoryBinding(b.Register(a.BaseName), a.IndexName is null ? Register.None : b.Register(a.IndexName),
            a.IndexName is null ? 1 : a.Scale == 0 ? (int)b.Immediate(a.IndexName + ".scale") : a.Scale,
            a.DisplacementName is null ? a.Displacement ?? 0 : b.Immediate(a.DisplacementName), 1, Register.None, default),
        _ => throw new InvalidOperationException($"no instance for {o}"),
    };

    private static OperandTerms? TermsOf(InstructionPattern pattern, Bindings b)
    {
        string? immediate = null, displacement = null;
        foreach (var o in pattern.Operands)
        {
            switch (o)
            {
                case ImmediatePattern { Name: { } n } when b.TermOf(n) is { } t: immediate = t; break;
                case MemoryPattern m: displacement = b.TermOf(m.Name); break;
                case BasedMemoryPattern bm: displacement = b.TermOf(bm.DisplacementName); break;
                case AddressPattern { DisplacementName: { } d }: displacement = b.TermOf(d); break;
            }
        }
        return immediate is null && displacement is null ? null : new OperandTerms(immediate, displacement);
    }

    private static IEnumerable<IReadOnlyList<T>> Product<T>(IReadOnlyList<IReadOnlyList<T>> lists)
    {
        if (lists.Count == 0)
        {
            yield return [];
            yield break;
        }
        foreach (var head in lists[0])
        {
            foreach (var tail in Product(lists.Skip(1).ToList()))
                yield return [head, .. tail];
        }
    }
}
