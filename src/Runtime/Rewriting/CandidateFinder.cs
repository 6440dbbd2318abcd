using Iced.Intel;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;

namespace CompilerLLM.Rewriting;

/// <summary>
/// Enumerates every site where a rule's pattern matches a window of consecutive instructions of a
/// block, and runs the site guard: the rule's dead locations are dead after the window (liveness),
/// the window holds only instructions (no verbatim line, no directive but <c>.loc</c> between them),
/// and every replacement instruction encodes. Not thread-safe (one reusable encoder): one instance per thread.
/// </summary>
public sealed class CandidateFinder
{
    private readonly IReadOnlyList<RewriteRule> _rules;
    private readonly Dictionary<Mnemonic, List<RewriteRule>> _byFirstMnemonic = [];
    private readonly Encoder _encoder;
    private readonly CountingWriter _writer = new();

    public CandidateFinder(IReadOnlyList<RewriteRule> rules)
    {
        _rules = rules;
        foreach (var rule in rules)
        {
            var m = rule.Pattern[0].Mnemonic;
            if (!_byFirstMnemonic.TryGetValue(m, out var list)) _byFirstMnemonic[m] = list = [];
            list.Add(rule);
        }
        _encoder = Encoder.Create(64, _writer);
    }

    public IReadOnlyList<RewriteRule> Rules => _rules;

    public List<Candidate> Find(FunctionAnalysis analysis)
    {
        var file = analysis.File;
        var cfg = analysis.Cfg;
        var result = new List<Candidate>();
        bool frameEscapes = FrameEscapes(analysis);
        var window = new AsmInstruction[4];
        foreach (var block in cfg.Blocks)
        {
            for (int start = block.FirstNode; start < block.EndNode; start++)
            {
                var first = file.Lines[cfg.Nodes[start]];
                if (first.Kind != LineKind.Instruction) continue;
                if (!_byFirstMnemonic.TryGetValue(file.Instructions[first.Instruction].Instruction.Mnemonic, out var rules)) continue;
                foreach (var rule in rules)
                {
                    int k = rule.Pattern.Count;
                    if (start + k > block.EndNode || !GatherWindow(file, cfg, start, k, window)) continue;
                    var bindings = rule.Match(window.AsSpan(0, k));
                    if (bindings is null) continue;
                    result.Add(frameEscapes && UsesStackSlots(rule)
                        ? new Candidate(rule, block.Index, start, k, bindings) { Rejection = Rejection.FrameEscapes }
                        : Guard(analysis, rule, block.Index, start, bindings, window.AsSpan(0, k)));
                }
            }
        }
        return result;
    }

    private static bool UsesStackSlots(RewriteRule rule) =>
        rule.Pattern.Any(p => p.Operands.Any(o => o is MemoryPattern { StackOnly: true }));

    /// <summary>
    /// True when the function lets the address of its stack frame out (an <c>lea</c> of an rsp/rbp slot,
    /// rsp/rbp copied into another register, a verbatim line). Then a stack slot may be a volatile
    /// object another thread or a signal handler sees, and loads and stores of it must all stay.
    /// </summary>
    internal static bool FrameEscapes(FunctionAnalysis analysis)
    {
        var file = analysis.File;
        foreach (int line in analysis.Cfg.Nodes)
        {
            var l = file.Lines[line];
            if (l.Kind != LineKind.Instruction) return true;
            var i = file.Instructions[l.Instruction].Instruction;
            if (i.Mnemonic == Mnemonic.Lea && i.MemoryBase is Register.RSP or Register.RBP or Register.ESP or Register.EBP) return true;
            for (int k = 0; k < i.OpCount; k++)
            {
                if (i.GetOpKind(k) != OpKind.Register || i.GetOpRegister(k).GetFullRegister() is not (Register.RSP or Register.RBP)) continue;
                bool frameManagement = i.Mnemonic switch
                {
                    Mnemonic.Push or Mnemonic.Pop => true,
                    Mnemonic.Sub or Mnemonic.Add or Mnemonic.And => k == 0 && i.Op0Register == Register.RSP,
                    Mnemonic.Mov => (i.Op0Register, i.Op1Register) is (Register.RBP, Register.RSP) or (Register.RSP, Register.RBP),
                    _ => false,
                };
                if (!frameManagement) return true;
            }
        }
        return false;
    }

    /// <summary>The window's instructions, if they are consecutive instruction lines with only comments, blanks or .loc between them.</summary>
    private static bool GatherWindow(AsmFile file, ControlFlowGraph cfg, int start, int count, AsmInstruction[] window)
    {
        for (int k = 0; k < count; k++)
        {
            var line = file.Lines[cfg.Nodes[start + k]];
            if (line.Kind != LineKind.Instruction) return false;
            window[k] = file.Instructions[line.Instruction];
            if (k == 0) continue;
            for (int between = cfg.Nodes[start + k - 1] + 1; between < cfg.Nodes[start + k]; between++)
            {
                var kind = file.Lines[between].Kind;
                if (kind is LineKind.Blank or LineKind.Comment) continue;
                if (kind == LineKind.Directive && file.TextOf(between).TrimStart().StartsWith(".loc")) continue;
                return false; // .cfi_*, labels or anything else must keep its place relative to the instructions
            }
        }
        return true;
    }

    /// <summary>The site guard: the candidate with its verdict, and with its replacement and size when it passes.</summary>
    private Candidate Guard(FunctionAnalysis analysis, RewriteRule rule, int block, int start, Bindings bindings, ReadOnlySpan<AsmInstruction> window)
    {
        int count = window.Length;
        var mayDiffer = rule.MayDiffer(bindings);
        var clash = mayDiffer & analysis.Liveness.LiveAfter(start + count - 1);
        if (!clash.IsEmpty) return Rejected(Rejection.LiveAfterWindow(clash));
        var replacement = rule.Build(bindings);
        if (replacement is null) return Rejected(Rejection.NoEncoding);
        int before = 0, after = 0;
        foreach (var w in window) before += w.Instruction.Length;
        foreach (var r in replacement)
        {
            _writer.Count = 0;
            if (!_encoder.TryEncode(r.Instruction, 0, out _, out string? error)) return Rejected(Rejection.CannotEncode(r.Instruction, error));
            after += _writer.Count;
        }
        return new Candidate(rule, block, start, count, bindings) { MayDiffer = mayDiffer, Replacement = replacement, SizeDelta = before - after };

        Candidate Rejected(Rejection verdict) => new(rule, block, start, count, bindings) { MayDiffer = mayDiffer, Rejection = verdict };
    }

    private sealed class CountingWriter : CodeWriter
    {
        public int Count;
        public override void WriteByte(byte value) => Count++;
    }
}
