using System.Text;
using System.Text.RegularExpressions;
using CompilerLLM.Analysis;
using CompilerLLM.Assembly;
using Xunit.Sdk;

namespace CompilerLLM.Tests.TestSupport;

/// <summary>
/// A small hand-written GAS file, read with <see cref="AsmReader"/> (real GNU <c>as</c>) and analysed
/// with <see cref="FunctionAnalysis"/>, with lookups of nodes by their instruction text.
/// </summary>
public sealed partial class AsmSnippet
{
    private AsmSnippet(AsmFile file, AsmFunction function)
    {
        File = file;
        AsmFunction = function;
        Analysis = FunctionAnalysis.Analyze(file, function);
    }

    public AsmFile File { get; }
    public AsmFunction AsmFunction { get; }
    public FunctionAnalysis Analysis { get; }
    public ControlFlowGraph Cfg => Analysis.Cfg;
    public Liveness Liveness => Analysis.Liveness;

    /// <summary>
    /// Wraps <paramref name="body"/> (one statement per line; lines ending in <c>:</c> are labels, lines
    /// starting with <c>#</c> are copied as they are) into <c>.text</c> function <paramref name="name"/>
    /// with <c>.type</c> and <c>.size</c>. <paramref name="after"/> is placed after the <c>.size</c>
    /// (other sections, other functions), formatted the same way.
    /// Unless <paramref name="allowVerbatim"/>, every statement must have been modelled exactly.
    /// </summary>
    public static AsmSnippet Function(string body, string after = "", string name = "f", bool allowVerbatim = false)
    {
        var sb = new StringBuilder();
        sb.Append("\t.text\n");
        sb.Append("\t.globl\t").Append(name).Append('\n');
        sb.Append("\t.type\t").Append(name).Append(", @function\n");
        sb.Append(name).Append(":\n");
        AppendLines(sb, body);
        sb.Append("\t.size\t").Append(name).Append(", .-").Append(name).Append('\n');
        AppendLines(sb, after);
        return Parse(sb.ToString(), name, allowVerbatim);
    }

    /// <summary>Reads a complete source and analyses function <paramref name="name"/>.</summary>
    public static AsmSnippet Parse(string source, string name = "f", bool allowVerbatim = false)
    {
        var file = AsmReader.Read("snippet.s", source);
        if (!allowVerbatim && file.Diagnostics.Count > 0)
            throw new XunitException("snippet has verbatim lines:\n" + string.Join("\n", file.Diagnostics) + "\n---\n" + source);
        var function = file.Functions.FirstOrDefault(f => f.Name == name)
            ?? throw new XunitException($"function {name} not found in:\n{source}");
        return new AsmSnippet(file, function);
    }

    private static void AppendLines(StringBuilder sb, string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.EndsWith(':') || line.StartsWith('#')) sb.Append(line).Append('\n');
            else sb.Append('\t').Append(line).Append('\n');
        }
    }

    /// <summary>Whitespace-insensitive form of an instruction: runs of blanks collapse, blanks around commas go.</summary>
    public static string Normalize(string text) =>
        CommaSpaces().Replace(Blanks().Replace(text.Trim(), " "), ",");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Blanks();

    [GeneratedRegex(@" ?, ?")]
    private static partial Regex CommaSpaces();

    public string NodeText(int node) => File.TextOf(Cfg.Nodes[node]).ToString().Trim();

    /// <summary>All nodes (indices into <see cref="ControlFlowGraph.Nodes"/>) whose text is <paramref name="text"/>.</summary>
    public int[] Nodes(string text)
    {
        var want = Normalize(text);
        var found = new List<int>();
        for (int i = 0; i < Cfg.Nodes.Length; i++)
        {
            if (Normalize(NodeText(i)) == want) found.Add(i);
        }
        return [.. found];
    }

    /// <summary>The one node whose text is <paramref name="text"/>.</summary>
    public int Node(string text)
    {
        var found = Nodes(text);
        if (found.Length != 1)
        {
            var all = string.Join("\n", Enumerable.Range(0, Cfg.Nodes.Length).Select(i => $"  n{i}: {NodeText(i)}"));
            throw new XunitException($"expected exactly one node '{text}', found {found.Length}; nodes:\n{all}");
        }
        return found[0];
    }

    public int BlockOf(int node)
    {
        foreach (var b in Cfg.Blocks)
        {
            if (node >= b.FirstNode && node < b.EndNode) return b.Index;
        }
        throw new XunitException($"node {node} is in no block");
    }

    public int BlockOfLabel(string label)
    {
        foreach (var b in Cfg.Blocks)
        {
            if (b.Labels.Contains(label)) return b.Index;
        }
        throw new XunitException($"no block has label {label}");
    }

    public BasicBlock Block(int index) => Cfg.Blocks[index];

    public InstructionEffects Effects(int node) => Analysis.Effects[node];

    /// <summary>Live immediately before <paramref name="node"/>, as the analysis reports it.</summary>
    public LocationSet LiveBefore(int node)
    {
        var block = Cfg.Blocks[BlockOf(node)];
        return node == block.FirstNode ? Liveness.LiveIn(block.Index) : Liveness.LiveAfter(node - 1);
    }

    public LocationSet LiveAfter(int node) => Liveness.LiveAfter(node);

    public LocationSet LiveBefore(string text) => LiveBefore(Node(text));

    public LocationSet LiveAfter(string text) => LiveAfter(Node(text));

    /// <summary>The dependence graph of the block holding <paramref name="node"/> and the node's index in it.</summary>
    public (DependenceGraph Graph, int Local) DependencesOf(int node)
    {
        int b = BlockOf(node);
        return (Analysis.Dependences(b), node - Cfg.Blocks[b].FirstNode);
    }

    /// <summary>The kinds of the edge <paramref name="from"/> → <paramref name="to"/> (function node indices, one block); None when absent.</summary>
    public DependenceKind Edge(int from, int to)
    {
        int b = BlockOf(from);
        if (BlockOf(to) != b) throw new XunitException($"nodes {from} and {to} are in different blocks");
        int first = Cfg.Blocks[b].FirstNode;
        var kind = DependenceKind.None;
        foreach (var e in Analysis.Dependences(b).Edges)
        {
            if (e.From == from - first && e.To == to - first) kind |= e.Kind;
        }
        return kind;
    }

    public DependenceKind Edge(string from, string to) => Edge(Node(from), Node(to));

    /// <summary>True when a path of dependence edges leads from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public bool Reaches(int from, int to)
    {
        int b = BlockOf(from);
        int first = Cfg.Blocks[b].FirstNode;
        var graph = Analysis.Dependences(b);
        var seen = new bool[graph.NodeCount];
        var stack = new Stack<int>();
        stack.Push(from - first);
        while (stack.Count > 0)
        {
            int n = stack.Pop();
            if (n == to - first) return true;
            foreach (var e in graph.Edges)
            {
                if (e.From == n && !seen[e.To])
                {
                    seen[e.To] = true;
                    stack.Push(e.To);
                }
            }
        }
        return false;
    }

    /// <summary>All edges of a block as "from->to:Kind" in block-relative indices, for failure messages.</summary>
    public string DescribeEdges(int block)
    {
        var sb = new StringBuilder();
        foreach (var e in Analysis.Dependences(block).Edges) sb.Append($"{e.From}->{e.To}:{e.Kind} ");
        return sb.ToString();
    }
}
