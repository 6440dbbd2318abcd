namespace CompilerLLM.Toolchain;

/// <summary>Why a compiler invocation is not one we act on: it runs exactly as written.</summary>
public enum PassReason : byte
{
    /// <summary>No <c>-c</c>: linking, or a query such as <c>--version</c>.</summary>
    NotCompileToObject,
    /// <summary><c>-E</c>, <c>-S</c>, <c>-M</c>, <c>-MM</c>, <c>-fsyntax-only</c>: no object is made.</summary>
    NoObjectOutput,
    /// <summary>A response file (<c>@file</c>): its arguments are not visible here.</summary>
    ResponseFile,
    /// <summary><c>-x LANGUAGE</c>: the language is not taken from the file name.</summary>
    ExplicitLanguage,
    /// <summary>No C or C++ source (assembly, objects, or nothing).</summary>
    NoSource,
    /// <summary>More than one source file in one invocation.</summary>
    SeveralSources,
    /// <summary>The source is standard input (<c>-</c>).</summary>
    StandardInput,
    /// <summary>The object goes to standard output (<c>-o -</c>).</summary>
    ObjectToStandardOutput,
    /// <summary>Link-time optimization (<c>-flto</c>): the object holds GIMPLE, not final code.</summary>
    LinkTimeOptimization,
    /// <summary>A target other than x86-64 (<c>-m32</c>, <c>-mx32</c>, <c>-m16</c>).</summary>
    NotX8664,
    /// <summary><c>-save-temps</c>, <c>-wrapper</c> and other driver modes that change what files appear.</summary>
    DriverMode,
    /// <summary>
    /// Options with which GCC writes or reads files named after the object (<c>-gsplit-dwarf</c>'s <c>.dwo</c>,
    /// <c>--coverage</c>, <c>-fprofile-arcs</c>, <c>-ftest-coverage</c>, <c>-fprofile-generate</c> and
    /// <c>-fprofile-use</c>'s <c>.gcno</c>/<c>.gcda</c>, <c>-fstack-usage</c>'s <c>.su</c>, <c>-fcallgraph-info</c>,
    /// <c>-fdump-…</c>): compiled to assembly under the launcher's own name, they would be named after that.
    /// </summary>
    FilesNamedAfterObject,
}

/// <summary>One source's share of a several-source <c>gcc -c</c>: its own command line and what it compiles.</summary>
/// <param name="Arguments">The original arguments with the other sources left out.</param>
/// <param name="Invocation">That command taken apart.</param>
public sealed record SourceCommand(IReadOnlyList<string> Arguments, CompileInvocation Invocation);

/// <summary>The language of a source, from its file name as GCC decides it.</summary>
public enum SourceLanguage : byte
{
    C,
    CPlusPlus,
}

/// <summary>
/// One invocation of the GCC driver that compiles a single C or C++ source to an object file for x86-64, taken
/// apart into what the launcher needs: the source, the object path, and the arguments for the same compilation to
/// assembly (<see cref="AssemblyArguments"/>: every original argument but <c>-c</c>, <c>-o FILE</c> and the source,
/// with a dependency file, when one was asked for, pinned to the name and target the original command would have
/// used). Anything else is a <see cref="PassReason"/> and runs unchanged.
/// </summary>
public sealed record CompileInvocation(string Source, SourceLanguage Language, string Object, IReadOnlyList<string> AssemblyArguments)
{
    // Driver options whose value is the next argument (GCC 12's list, for the options a C build can carry).
    private static readonly HashSet<string> TakesValue = new(StringComparer.Ordinal)
    {
        "-o", "-x", "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote", "-idirafter", "-iprefix", "-iwithprefix",
        "-iwithprefixbefore", "-isysroot", "-imultilib", "-MF", "-MT", "-MQ", "-Xlinker", "-Xassembler", "-Xpreprocessor",
        "-aux-info", "-L", "-l", "-T", "-u", "-z", "--param", "-e", "-A", "-wrapper", "-dumpbase", "-dumpdir", "-dumpbase-ext",
        "-specs", "--sysroot",
    };

    private static bool NamesFilesAfterObject(string a) =>
        a is "-gsplit-dwarf" or "--coverage" or "-fprofile-arcs" or "-ftest-coverage" or "-fstack-usage"
        || a.StartsWith("-fprofile-generate", StringComparison.Ordinal) || a.StartsWith("-fprofile-use", StringComparison.Ordinal)
        || a.StartsWith("-fcallgraph-info", StringComparison.Ordinal) || a.StartsWith("-fdump-", StringComparison.Ordinal);

    private static readonly string[] CExtensions = [".c", ".i"];
    private static readonly string[] CPlusPlusExtensions = [".cc", ".cp", ".cxx", ".cpp", ".CPP", ".c++", ".C", ".ii"];

    /// <summary>Takes a driver command line apart; null with the reason when the launcher must not act on it.</summary>
    public static CompileInvocation? Classify(IReadOnlyList<string> args, out PassReason reason)
    {
        reason = PassReason.NotCompileToObject;
        bool compile = false, dependencies = false, dependencyTarget = false, dependencyFile = false;
        string? output = null;
        var sources = new List<int>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a.StartsWith('@')) return Pass(PassReason.ResponseFile, out reason);
            if (a == "-") return Pass(PassReason.StandardInput, out reason);
            if (!a.StartsWith('-'))
            {
                if (LanguageOf(a) is not null) sources.Add(i);
                else if (IsAssemblySource(a)) return Pass(PassReason.NoSource, out reason);
                continue;
            }
            switch (a)
            {
                case "-c":
                    compile = true;
                    continue;
                case "-E" or "-S" or "-M" or "-MM" or "-fsyntax-only":
                    return Pass(PassReason.NoObjectOutput, out reason);
                case "-x":
                    return Pass(PassReason.ExplicitLanguage, out reason);
                case "-m32" or "-mx32" or "-m16":
                    return Pass(PassReason.NotX8664, out reason);
                case "-save-temps" or "-wrapper" or "-###" or "-v" or "--version" or "-dumpspecs":
                    return Pass(PassReason.DriverMode, out reason);
                case "-MD" or "-MMD":
                    dependencies = true;
                    continue;
                case "-MT" or "-MQ":
                    dependencyTarget = true;
                    break;
                case "-MF":
                    dependencyFile = true;
                    break;
            }
            if (a.StartsWith("-x", StringComparison.Ordinal)) return Pass(PassReason.ExplicitLanguage, out reason);
            if (a.StartsWith("-save-temps", StringComparison.Ordinal)) return Pass(PassReason.DriverMode, out reason);
            if (NamesFilesAfterObject(a)) return Pass(PassReason.FilesNamedAfterObject, out reason);
            if (a.StartsWith("-flto", StringComparison.Ordinal) && a != "-flto=none") return Pass(PassReason.LinkTimeOptimization, out reason);
            if (a.StartsWith("-MT", StringComparison.Ordinal) || a.StartsWith("-MQ", StringComparison.Ordinal)) dependencyTarget = true;
            if (a.StartsWith("-MF", StringComparison.Ordinal)) dependencyFile = true;
            if (a == "-o")
            {
                if (i + 1 >= args.Count) return Pass(PassReason.NotCompileToObject, out reason);
                output = args[++i];
                continue;
            }
            if (a.StartsWith("-o", StringComparison.Ordinal))
            {
                output = a[2..];
                continue;
            }
            if (TakesValue.Contains(a)) i++; // the value is not a source, whatever it looks like
        }
        if (!compile) return Pass(PassReason.NotCompileToObject, out reason);
        if (sources.Count == 0) return Pass(PassReason.NoSource, out reason);
        if (sources.Count > 1) return Pass(PassReason.SeveralSources, out reason);
        if (output == "-") return Pass(PassReason.ObjectToStandardOutput, out reason);

        string source = args[sources[0]];
        string obj = output ?? Path.ChangeExtension(Path.GetFileName(source), ".o");
        var assembly = new List<string>(args.Count + 4);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (i == sources[0] || a == "-c") continue;
            if (a == "-o") { i++; continue; }
            if (a.StartsWith("-o", StringComparison.Ordinal)) continue;
            assembly.Add(a);
        }
        if (dependencies)
        {
            // gcc -c -MD names the dependency file and its target after the object; compiling to assembly
            // instead would name them after the .s, so both are pinned to what the original command gives.
            if (!dependencyFile) assembly.AddRange(["-MF", DependencyFileOf(obj)]);
            if (!dependencyTarget) assembly.AddRange(["-MQ", obj]);
        }
        reason = default;
        return new CompileInvocation(source, LanguageOf(source)!.Value, obj, assembly);
    }

    /// <summary>
    /// <c>gcc -c a.c b.c …</c> (several sources, no <c>-o</c>), as GCC runs it: one compilation per source, in order,
    /// each writing its object into the current directory under the source's name (lz4's and many hand-written
    /// Makefiles build a library so). Returns one single-source command line per source (every other argument kept),
    /// each with its <see cref="CompileInvocation"/>; null when the command is not that, or when splitting could change
    /// what GCC does: an explicit dependency file or target (<c>-MF</c>, <c>-MT</c>, <c>-MQ</c>) shared by the sources,
    /// two sources with one object name, or any source that on its own would pass through.
    /// </summary>
    public static IReadOnlyList<SourceCommand>? SplitSources(IReadOnlyList<string> args)
    {
        if (Classify(args, out var reason) is not null || reason != PassReason.SeveralSources) return null;
        var sources = new List<int>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith('-'))
            {
                if (LanguageOf(a) is not null) sources.Add(i);
                continue;
            }
            if (a.StartsWith("-o", StringComparison.Ordinal) || a.StartsWith("-MF", StringComparison.Ordinal)
                || a.StartsWith("-MT", StringComparison.Ordinal) || a.StartsWith("-MQ", StringComparison.Ordinal)) return null;
            if (TakesValue.Contains(a)) i++;
        }
        var commands = new List<SourceCommand>(sources.Count);
        var objects = new HashSet<string>(StringComparer.Ordinal);
        foreach (int source in sources)
        {
            var single = args.Where((_, i) => i == source || !sources.Contains(i)).ToList();
            if (Classify(single, out _) is not { } invocation || !objects.Add(invocation.Object)) return null;
            commands.Add(new SourceCommand(single, invocation));
        }
        return commands;
    }

    /// <summary>GCC's own name for a dependency file of <c>-MD</c>: the object's name with its suffix replaced by <c>.d</c>.</summary>
    public static string DependencyFileOf(string objectPath)
    {
        string name = Path.GetFileName(objectPath);
        int dot = name.LastIndexOf('.');
        string stem = dot > 0 ? objectPath[..(objectPath.Length - (name.Length - dot))] : objectPath;
        return stem + ".d";
    }

    /// <summary>The language GCC infers from a file name, or null for anything that is not a C or C++ source.</summary>
    public static SourceLanguage? LanguageOf(string path)
    {
        string extension = Path.GetExtension(path);
        if (CExtensions.Contains(extension, StringComparer.Ordinal)) return SourceLanguage.C;
        if (CPlusPlusExtensions.Contains(extension, StringComparer.Ordinal)) return SourceLanguage.CPlusPlus;
        return null;
    }

    private static bool IsAssemblySource(string path) => Path.GetExtension(path) is ".s" or ".S" or ".sx";

    private static CompileInvocation? Pass(PassReason why, out PassReason reason)
    {
        reason = why;
        return null;
    }
}
