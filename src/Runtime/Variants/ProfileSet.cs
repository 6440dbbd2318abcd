using CompilerLLM.Analysis;

namespace CompilerLLM.Variants;

/// <summary>
/// The project's profile: the <c>.gcda</c> files its training workload left in one directory. A unit's instrumented
/// object and its profile-use assembly are both written, by absolute path, as <c>DIR/profile/STEM.o</c> and
/// <c>DIR/profile/STEM.s</c> beside the unit's own files: GCC names profile data after the output without its
/// extension (<see cref="GcovData.FileFor"/>), so the two compiles meet on one <c>.gcda</c> and nothing is renamed.
/// </summary>
public sealed class ProfileSet
{
    private readonly Dictionary<string, GcovData?> _data = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ProfileSet(string directory)
    {
        Directory = Path.GetFullPath(directory);
        ProgramTotal = System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.gcda", SearchOption.AllDirectories).Sum(f => TryRead(f)?.Functions.Sum(fn => fn.Arcs.Sum()) ?? 0)
            : 0;
    }

    /// <summary>The directory given to <c>-fprofile-generate=</c> and <c>-fprofile-use=</c>.</summary>
    public string Directory { get; }

    /// <summary>The sum of every unit's counters: the whole program's work, for a unit's share of it.</summary>
    public long ProgramTotal { get; }

    /// <summary>Where a unit's instrumented object goes (its name decides the <c>.gcda</c> name).</summary>
    public static string InstrumentedObjectOf(string unitAsm) => Path.Combine(StemDirectory(unitAsm), Path.GetFileNameWithoutExtension(unitAsm) + ".o");

    /// <summary>Where a unit's profile-use assembly is written (the same stem as its instrumented object).</summary>
    public static string ProfileUseAssemblyOf(string unitAsm) => Path.Combine(StemDirectory(unitAsm), Path.GetFileNameWithoutExtension(unitAsm) + ".s");

    private static string StemDirectory(string unitAsm) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(unitAsm))!, "profile");

    /// <summary>The unit's profile data, or null when the workload left none for it (or it cannot be read).</summary>
    public GcovData? DataFor(string unitAsm)
    {
        string file = GcovData.FileFor(Directory, InstrumentedObjectOf(unitAsm));
        lock (_gate)
        {
            if (!_data.TryGetValue(file, out var data)) _data[file] = data = TryRead(file);
            return data;
        }
    }

    private static GcovData? TryRead(string file)
    {
        try
        {
            return File.Exists(file) ? GcovData.Read(file) : null;
        }
        catch (GcovDataException)
        {
            return null;
        }
    }
}
