using System.Runtime.CompilerServices;
using Iced.Intel;
using CompilerLLM.Assembly;

namespace CompilerLLM.Analysis;

/// <summary>
/// Which registers each function of a file may write, transitively through its direct calls to
/// functions of the same file (external and indirect calls write all of
/// <see cref="SysVAbi.CallClobbers"/>).
/// </summary>
/// <remarks>
/// GCC's <c>-fipa-ra</c> (on from -O1) lets a caller keep values in call-clobbered registers
/// across a call to a function of the same file that does not write them. Two rules follow, and
/// the analyses apply both: a call to a function of this file kills nothing (it may only write its
/// summary), and at every exit of a function everything it does not already write is live, so no
/// rewrite may start using a register the function never wrote.
/// </remarks>
public sealed class CallSummaries
{
    private static readonly ConditionalWeakTable<AsmFile, CallSummaries> Cache = new();
    private readonly Dictionary<string, LocationSet> _clobbers;
    private readonly HashSet<string> _calledLocally;

    private CallSummaries(Dictionary<string, LocationSet> clobbers, HashSet<string> calledLocally)
    {
        _clobbers = clobbers;
        _calledLocally = calledLocally;
    }

    /// <summary>
    /// What must stay live at every exit of <paramref name="function"/> besides the ABI's sets: the
    /// registers it never writes, when some call in this file targets it (only such callers can
    /// rely on -fipa-ra); nothing otherwise.
    /// </summary>
    public LocationSet PreservedAtExits(string function) =>
        _calledLocally.Contains(function) && _clobbers.TryGetValue(function, out var c) ? LocationSet.All - c : LocationSet.Empty;

    /// <summary>The registers a function may write (including through its callees), or null when the file does not define it.</summary>
    public LocationSet? ClobbersOf(ReadOnlySpan<char> function) =>
        _clobbers.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(function, out var set) ? set : null;

    public static CallSummaries For(AsmFile file) => Cache.GetValue(file, Compute);

    private static CallSummaries Compute(AsmFile file)
    {
        var builder = new EffectsBuilder { SymbolSource = file.Source, CollectMemory = false };
        var own = new Dictionary<string, LocationSet>(StringComparer.Ordinal);
        var callees = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        // Local labels by owning function: GCC's hot/cold parts (f, f.cold) are one function to its summary.
        var labelOwner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var function in file.Functions)
        {
            foreach (int line in function.Lines)
                if (file.Lines[line].Kind == LineKind.Label) labelOwner.TryAdd(file.SharedLabelName(line), function.Name);
        }
        foreach (var function in file.Functions)
        {
            var writes = LocationSet.Empty;
            var direct = new List<string>();
            foreach (int line in function.Lines)
            {
                var l = file.Lines[line];
                if (l.Kind == LineKind.Verbatim) { writes = LocationSet.All; continue; }
                if (l.Kind != LineKind.Instruction) continue;
                var asm = file.Instructions[l.Instruction];
                if (asm.Instruction.FlowControl is FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch
                    && asm.SymbolFor(OperandField.BranchTarget) is { IsPresent: true } t
                    && labelOwner.TryGetValue(file.TextOf(t).ToString(), out string? owner) && owner != function.Name)
                {
                    direct.Add(owner); // a jump into another part of the same source function
                    continue;
                }
                if (TryLocalCallee(file, asm, out string? callee))
                {
                    direct.Add(callee);
                    writes |= builder.Compute(asm, localCallWrites: LocationSet.Empty).Writes;
                }
                else
                {
                    writes |= builder.Compute(asm).Writes;
                    // A tail call out of the file (or through a pointer, when the function has no jump table)
                    // clobbers what any call does, as GCC's own summary of this function says.
                    if (IsTailCallOut(file, function, asm)) writes |= SysVAbi.CallClobbers;
                }
            }
            own[function.Name] = writes;
            callees[function.Name] = direct;
            builder.TakeMemory();
        }

        // Propagate through the call graph to a fixed point (sets only grow; at most 96 bits each).
        var clobbers = new Dictionary<string, LocationSet>(own, StringComparer.Ordinal);
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (name, direct) in callees)
            {
                var set = clobbers[name];
                foreach (var callee in direct)
                {
                    // A defined label that is not a function (rare) gets the ABI's worst case.
                    set |= clobbers.TryGetValue(callee, out var c) ? c : SysVAbi.CallClobbers;
                }
                if (set != clobbers[name])
                {
                    clobbers[name] = set;
                    changed = true;
                }
            }
        }
        var calledLocally = new HashSet<string>(StringComparer.Ordinal);
        foreach (var direct in callees.Values) calledLocally.UnionWith(direct);
        return new CallSummaries(clobbers, calledLocally);
    }

    private static bool IsTailCallOut(AsmFile file, AsmFunction function, in AsmInstruction asm)
    {
        switch (asm.Instruction.FlowControl)
        {
            case FlowControl.IndirectBranch:
                return !file.AddressTakenCodeLabelOwners.Values.Contains(function);
            case FlowControl.UnconditionalBranch:
            case FlowControl.ConditionalBranch:
                var target = asm.SymbolFor(OperandField.BranchTarget);
                return target.IsPresent && !file.TextOf(target).StartsWith(".L");
            default:
                return false;
        }
    }

    /// <summary>A direct call or tail jump to a symbol this file defines (<c>call f</c>, <c>call f@PLT</c>, <c>jmp f</c>).</summary>
    internal static bool TryLocalCallee(AsmFile file, in AsmInstruction asm, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? callee)
    {
        callee = null;
        if (asm.Instruction.FlowControl is not (FlowControl.Call or FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch)) return false;
        if (asm.Instruction.Mnemonic is Mnemonic.Syscall or Mnemonic.Sysenter) return false;
        var target = asm.SymbolFor(OperandField.BranchTarget);
        if (!target.IsPresent) return false;
        var text = file.TextOf(target);
        int at = text.IndexOf('@');
        if (at >= 0)
        {
            if (!text[at..].SequenceEqual("@PLT")) return false;
            text = text[..at];
        }
        if (text.StartsWith(".L") || !(file.DefinedLabels is Dictionary<string, int> d
            && d.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out string? name, out _)))
            return false;
        callee = name;
        return true;
    }
}
