using Iced.Intel;
using CompilerLLM.Assembly;

namespace CompilerLLM.Analysis;

/// <summary>How control leaves the function at the end of a block, which decides what is live there.</summary>
public enum BlockExit : byte
{
    /// <summary>Control stays in the function (or never continues, after a no-return call).</summary>
    None,
    /// <summary><c>ret</c>: return values and callee-saved registers are live.</summary>
    Return,
    /// <summary>A jump to another function: its arguments and our callee-saved registers are live.</summary>
    TailCall,
    /// <summary>Somewhere we cannot see (a label outside the function, falling off the end): everything is live.</summary>
    Unknown,
}

/// <summary>A maximal straight-line run of a function's nodes (instructions and verbatim lines).</summary>
public sealed class BasicBlock
{
    internal BasicBlock(int index, int firstNode) { Index = index; FirstNode = firstNode; }

    public int Index { get; }
    /// <summary>First node (index into <see cref="ControlFlowGraph.Nodes"/>).</summary>
    public int FirstNode { get; }
    public int NodeCount { get; internal set; }
    public int EndNode => FirstNode + NodeCount;
    // Built in lists, then frozen into exact arrays (most blocks have one label and one or two edges).
    private List<string>? _labelList;
    private List<int>? _successorList;
    private List<int>? _predecessorList;

    public IReadOnlyList<string> Labels { get; private set; } = [];
    public IReadOnlyList<int> Successors { get; private set; } = [];
    public IReadOnlyList<int> Predecessors { get; private set; } = [];

    internal void AddLabel(string label) => (_labelList ??= new List<string>(1)).Add(label);

    internal void AddSuccessor(int block)
    {
        _successorList ??= new List<int>(2);
        if (!_successorList.Contains(block)) _successorList.Add(block);
    }

    internal IReadOnlyList<int> SuccessorsSoFar => (IReadOnlyList<int>?)_successorList ?? [];

    internal void AddPredecessor(int block) => (_predecessorList ??= new List<int>(2)).Add(block);

    internal void Freeze()
    {
        if (_labelList is not null) Labels = _labelList.ToArray();
        if (_successorList is not null) Successors = _successorList.ToArray();
        if (_predecessorList is not null) Predecessors = _predecessorList.ToArray();
        _labelList = null;
        _successorList = _predecessorList = null;
    }

    public BlockExit Exit { get; internal set; }
    /// <summary>Line of the block's first label or node, for messages.</summary>
    public int FirstLine { get; internal set; }
}

/// <summary>
/// Basic blocks and edges of one function: direct branches resolved by label, indirect jumps to
/// every address-taken label of the function (jump tables, computed goto) or, when it has none, a
/// tail call; <c>ret</c>, tail calls and jumps out of the function as exits; no-return calls end
/// their block with no successor.
/// </summary>
public sealed class ControlFlowGraph
{
    private ControlFlowGraph(AsmFile file, AsmFunction function, int[] nodes, BasicBlock[] blocks)
    {
        File = file;
        Function = function;
        Nodes = nodes;
        Blocks = blocks;
    }

    public AsmFile File { get; }
    public AsmFunction Function { get; }
    /// <summary>The function's instruction and verbatim lines, in order; blocks are ranges of these.</summary>
    public int[] Nodes { get; }
    public BasicBlock[] Blocks { get; }

    public static ControlFlowGraph Build(AsmFile file, AsmFunction function)
    {
        // With exception landing pads in the function, every call may continue at any of them:
        // calls then end their block and get the pads as successors.
        bool callsMayUnwind = false;
        foreach (int line in function.Lines)
        {
            if (file.Lines[line].Kind == LineKind.Label && file.ExceptionLabels.Contains(file.LabelName(line))) { callsMayUnwind = true; break; }
        }
        var nodes = new List<int>(function.Lines.Length);
        var blocks = new List<BasicBlock>();
        var labelBlock = new Dictionary<string, int>();
        BasicBlock? current = null;
        bool endAfterPrevious = false;
        foreach (int line in function.Lines)
        {
            var kind = file.Lines[line].Kind;
            if (kind == LineKind.Label)
            {
                if (current is null || current.NodeCount > 0 || endAfterPrevious)
                {
                    current = NewBlock(blocks, nodes.Count, line);
                    endAfterPrevious = false;
                }
                string name = file.SharedLabelName(line);
                current.AddLabel(name);
                labelBlock.TryAdd(name, current.Index);
                continue;
            }
            if (current is null || endAfterPrevious)
            {
                current = NewBlock(blocks, nodes.Count, line);
                endAfterPrevious = false;
            }
            nodes.Add(line);
            current.NodeCount++;
            if (kind == LineKind.Instruction && EndsBlock(file, file.Instructions[file.Lines[line].Instruction], callsMayUnwind))
                endAfterPrevious = true;
        }

        var nodeArray = nodes.ToArray();
        var blockArray = blocks.ToArray();
        var indirectTargets = new List<int>();
        var landingPads = new List<int>();
        foreach (var (name, block) in labelBlock)
        {
            if (file.AddressTakenLabels.Contains(name)) indirectTargets.Add(block);
            if (callsMayUnwind && file.ExceptionLabels.Contains(name)) landingPads.Add(block);
        }
        indirectTargets.Sort();
        landingPads.Sort();
        bool siblingTargets = HasAddressTakenLabelInSibling(file, function);

        for (int b = 0; b < blockArray.Length; b++)
        {
            var block = blockArray[b];
            int fallthrough = b + 1 < blockArray.Length ? b + 1 : -1;
            if (block.NodeCount == 0)
            {
                AddFallthrough(block, fallthrough);
                continue;
            }
            int lastLine = nodeArray[block.EndNode - 1];
            var last = file.Lines[lastLine];
            if (last.Kind != LineKind.Instruction)
            {
                AddFallthrough(block, fallthrough);
                continue;
            }
            var asm = file.Instructions[last.Instruction];
            var instruction = asm.Instruction;
            switch (instruction.FlowControl)
            {
                case FlowControl.UnconditionalBranch:
                    AddBranchTarget(file, asm, block, labelBlock);
                    break;
                case FlowControl.ConditionalBranch:
                case FlowControl.XbeginXabortXend when instruction.Mnemonic == Mnemonic.Xbegin:
                    AddBranchTarget(file, asm, block, labelBlock);
                    AddFallthrough(block, fallthrough);
                    break;
                case FlowControl.IndirectBranch:
                    foreach (int t in indirectTargets) AddEdge(block, t);
                    // A jump table may point into another part of this function (f.cold): then we cannot see the target.
                    block.Exit = siblingTargets ? BlockExit.Unknown : BlockExit.TailCall;
                    break;
                case FlowControl.Return:
                    block.Exit = BlockExit.Return;
                    break;
                case FlowControl.Exception:
                    break;
                case FlowControl.Call:
                case FlowControl.IndirectCall:
                    if (callsMayUnwind) foreach (int t in landingPads) AddEdge(block, t);
                    if (!IsNoReturnCall(file, asm)) AddFallthrough(block, fallthrough);
                    break;
                default:
                    AddFallthrough(block, fallthrough);
                    break;
            }
        }
        foreach (var block in blockArray)
        {
            foreach (int s in block.SuccessorsSoFar) blockArray[s].AddPredecessor(block.Index);
        }
        foreach (var block in blockArray) block.Freeze();
        return new ControlFlowGraph(file, function, nodeArray, blockArray);
    }

    private static BasicBlock NewBlock(List<BasicBlock> blocks, int firstNode, int line)
    {
        var block = new BasicBlock(blocks.Count, firstNode) { FirstLine = line };
        blocks.Add(block);
        return block;
    }

    private static bool EndsBlock(AsmFile file, in AsmInstruction asm, bool callsMayUnwind) => asm.Instruction.FlowControl switch
    {
        FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch or FlowControl.IndirectBranch
            or FlowControl.Return or FlowControl.Exception => true,
        FlowControl.XbeginXabortXend => asm.Instruction.Mnemonic == Mnemonic.Xbegin,
        FlowControl.Call or FlowControl.IndirectCall => callsMayUnwind || IsNoReturnCall(file, asm),
        _ => false,
    };

    /// <summary>A call to a well-known no-return function that this file does not define itself.</summary>
    private static bool IsNoReturnCall(AsmFile file, in AsmInstruction asm)
    {
        if (asm.Instruction.Mnemonic != Mnemonic.Call) return false;
        var target = asm.SymbolFor(OperandField.BranchTarget);
        if (!target.IsPresent) return false;
        var name = SymbolName(file.TextOf(target), out bool plain);
        return plain && SysVAbi.IsNoReturn(name)
            && !file.DefinedLabels.ContainsKey(name.ToString());
    }

    /// <summary>
    /// True when an address-taken label lies in another part of the same source function (GCC's
    /// <c>f.cold</c>, <c>f.part.0</c> …), which a jump table of this part may target.
    /// </summary>
    private static bool HasAddressTakenLabelInSibling(AsmFile file, AsmFunction function)
    {
        var family = Family(function.Name);
        foreach (var owner in file.AddressTakenCodeLabelOwners.Values)
        {
            if (owner != function && Family(owner.Name).SequenceEqual(family)) return true;
        }
        return false;
    }

    private static ReadOnlySpan<char> Family(string name)
    {
        int dot = name.IndexOf('.');
        return dot > 0 ? name.AsSpan(0, dot) : name;
    }

    /// <summary>The symbol a target expression names; <paramref name="plain"/> is false when it has an offset.</summary>
    private static ReadOnlySpan<char> SymbolName(ReadOnlySpan<char> text, out bool plain)
    {
        text = text.Trim();
        int i = 0;
        while (i < text.Length && GasLexer.IsIdentifierPart(text[i])) i++;
        var name = text[..i];
        var rest = text[i..];
        if (rest.StartsWith("@PLT")) rest = rest[4..];
        plain = rest.IsEmpty;
        return name;
    }

    private static void AddBranchTarget(AsmFile file, in AsmInstruction asm, BasicBlock block, Dictionary<string, int> labelBlock)
    {
        var target = asm.SymbolFor(OperandField.BranchTarget);
        if (!target.IsPresent)
        {
            block.Exit = BlockExit.Unknown;
            return;
        }
        var name = SymbolName(file.TextOf(target), out bool plain);
        if (plain && labelBlock.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out int b))
            AddEdge(block, b);
        else if (plain && !name.StartsWith(".L"))
            block.Exit = BlockExit.TailCall;
        else
            block.Exit = BlockExit.Unknown;
    }

    private static void AddFallthrough(BasicBlock block, int next)
    {
        if (next >= 0) AddEdge(block, next);
        else block.Exit = BlockExit.Unknown;
    }

    private static void AddEdge(BasicBlock block, int target)
    {
        block.AddSuccessor(target);
    }
}
