using System.Text;
using Iced.Intel;

namespace CompilerLLM.Assembly;

/// <summary>
/// Writes an <see cref="AsmFile"/> back as GAS text. Unchanged lines are copied verbatim so diffs
/// stay small; instructions that are replaced (or all of them, for the round-trip check) go
/// through Iced's <see cref="GasFormatter"/>, with symbolic operands put back by name.
/// </summary>
public sealed class AsmPrinter
{
    private readonly GasFormatter _formatter;
    private readonly SymbolicOperandResolver _resolver = new();
    private readonly StringOutput _output = new();

    public AsmPrinter()
    {
        _formatter = new GasFormatter(_resolver);
        var o = _formatter.Options;
        // Without this GAS would read sym(%rip) back as an absolute address.
        o.RipRelativeAddresses = true;
        o.SpaceAfterOperandSeparator = true;
        o.GasShowMnemonicSizeSuffix = true;
        o.ShowBranchSize = false;
        o.BranchLeadingZeros = false;
        o.DisplacementLeadingZeros = false;
        o.LeadingZeros = false;
        // Closer to GCC's own spelling ($-128, not $0xFFFFFFFFFFFFFF80); GAS encodes both alike.
        o.UppercaseHex = false;
        o.SignedImmediateOperands = true;
        // Iced's pseudo-op names (vpcmpeqd for vpcmpd $0, vpcmpfalsed …) are other instructions to GAS.
        o.UsePseudoOps = false;
        // Segment overrides and repeat prefixes that do nothing in 64-bit mode still change the bytes.
        o.ShowUselessPrefixes = true;
    }

    /// <summary>Writes the file. With <paramref name="formatAll"/> every modelled instruction is re-formatted.</summary>
    public void Print(AsmFile file, TextWriter writer, bool formatAll = false)
    {
        for (int i = 0; i < file.Lines.Length; i++)
        {
            var line = file.Lines[i];
            if (formatAll && line.Kind == LineKind.Instruction)
                writer.Write(Format(file, file.Instructions[line.Instruction]));
            else
                writer.Write(file.TextOf(i));
            writer.Write('\n');
        }
    }

    /// <summary>
    /// Writes the file with instruction lines replaced: each key line is printed as its list of new
    /// instructions (an empty list deletes it). <paramref name="newLineOf"/> receives, for every
    /// original line, the index in the output where it (or its replacement) starts.
    /// </summary>
    public string Print(AsmFile file, IReadOnlyDictionary<int, IReadOnlyList<(Instruction Instruction, SymbolicOperand Symbol0, SymbolicOperand Symbol1)>> replacements,
        out int[] newLineOf, IReadOnlyDictionary<int, string>? insertBefore = null)
    {
        var sb = new StringBuilder(file.Source.Length + 1024);
        newLineOf = new int[file.Lines.Length + 1];
        int written = 0;
        for (int i = 0; i < file.Lines.Length; i++)
        {
            newLineOf[i] = written;
            if (insertBefore is not null && insertBefore.TryGetValue(i, out var text))
            {
                sb.Append(text).Append('\n');
                written += text.Count(ch => ch == '\n') + 1;
            }
            if (replacements.TryGetValue(i, out var list))
            {
                foreach (var (instruction, s0, s1) in list)
                {
                    sb.Append(Format(file.Source, instruction, s0, s1)).Append('\n');
                    written++;
                }
                continue;
            }
            sb.Append(file.TextOf(i)).Append('\n');
            written++;
        }
        newLineOf[file.Lines.Length] = written;
        return sb.ToString();
    }

    public string Print(AsmFile file, bool formatAll = false)
    {
        var sb = new StringWriter(new StringBuilder(file.Source.Length + 1024));
        Print(file, sb, formatAll);
        return sb.ToString();
    }

    /// <summary>One instruction as a GAS source line (leading tab, mnemonic, tab, operands).</summary>
    public string Format(AsmFile file, in AsmInstruction instruction) =>
        Format(file.Source, instruction.Instruction, instruction.Symbol0, instruction.Symbol1);

    public string Format(string symbolSource, in Instruction instruction, SymbolicOperand symbol0 = default, SymbolicOperand symbol1 = default)
    {
        _resolver.Set(symbolSource, symbol0, symbol1);
        _output.Reset();
        _output.Write("\t", FormatterTextKind.Text);
        _formatter.FormatMnemonic(instruction, _output);
        if (_formatter.GetOperandCount(instruction) > 0)
        {
            _output.Write("\t", FormatterTextKind.Text);
            _formatter.FormatAllOperands(instruction, _output);
        }
        _resolver.Set(string.Empty, default, default);
        return _output.ToStringAndReset();
    }

    /// <summary>Gives the formatter the source text of a symbolic field instead of its number.</summary>
    private sealed class SymbolicOperandResolver : ISymbolResolver
    {
        private string _source = string.Empty;
        private SymbolicOperand _s0, _s1;

        public void Set(string source, SymbolicOperand s0, SymbolicOperand s1)
        {
            _source = source;
            _s0 = s0;
            _s1 = s1;
        }

        public bool TryGetSymbol(in Instruction instruction, int operand, int instructionOperand, ulong address, int addressSize, out SymbolResult symbol)
        {
            symbol = default;
            if (instructionOperand < 0) return false;
            var field = instruction.GetOpKind(instructionOperand) switch
            {
                OpKind.Memory => OperandField.Displacement,
                OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64 => OperandField.BranchTarget,
                OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32 or OpKind.Immediate64 or OpKind.Immediate8to16
                    or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64 => OperandField.Immediate,
                _ => OperandField.None,
            };
            var s = _s0.Field == field ? _s0 : _s1.Field == field ? _s1 : default;
            if (!s.IsPresent) return false;
            symbol = new SymbolResult(address, _source.Substring(s.TextStart, s.TextLength));
            return true;
        }
    }
}
