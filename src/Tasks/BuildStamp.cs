using System.Security.Cryptography;
using System.Text;

using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// A stamp file records what an output was built from (flags, compiler, package version, model hash …),
/// one "key=value" line each, then a SHA-256 over them. It is rewritten only when its content changes,
/// so its timestamp moves exactly when a rebuild is needed; targets list it among their Inputs.
/// </summary>
public static class BuildStamp
{
    public static string Render(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in entries)
        {
            if (key.Contains('=') || key.Contains('\n')) throw new ArgumentException($"bad stamp key '{key}'");
            text.Append(key).Append('=').Append(value.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        }
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        return text.Append("sha256=").Append(hash).Append('\n').ToString();
    }

    /// <summary>Writes the stamp only if it differs from what is on disk; true when written.</summary>
    public static bool Write(string path, IEnumerable<KeyValuePair<string, string>> entries) =>
        Outputs.WriteTextIfDifferent(path, Render(entries));

    /// <summary>
    /// The version of this package's code: "version;tasks;engine", the informational version, the tasks assembly's
    /// module id (builds are deterministic: a hash of the code) and a 32-digit hash of the engine's identity (the
    /// engine's and the toolchain's module ids).
    /// </summary>
    public static string PackageIdentity { get; } = ComputePackageIdentity();

    private static string ComputePackageIdentity()
    {
        var tasks = typeof(BuildStamp).Assembly;
        string version = tasks.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "?";
        string engine = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CompilerLLM.Pipeline.EngineIdentity.Value)))[..32];
        return $"{version};{tasks.ManifestModule.ModuleVersionId:N};{engine}";
    }
}

/// <summary>Make-style dependency files (gcc -MMD -MF) as lists of prerequisites.</summary>
public static class DependencyFile
{
    /// <summary>The prerequisites of every rule in the file (backslash-newline joins lines; "\ " is a space in a name).</summary>
    public static List<string> Parse(string text)
    {
        var result = new List<string>();
        string joined = text.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (string rawLine in joined.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            int colon = FindRuleColon(line);
            if (colon < 0) continue;
            foreach (string word in SplitWords(line[(colon + 1)..]))
            {
                if (!result.Contains(word)) result.Add(word);
            }
        }
        return result;
    }

    private static int FindRuleColon(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\') { i++; continue; }
            // "C:\x" drive letters do not occur on Linux; the first unescaped ": " or final ":" ends the targets.
            if (line[i] == ':' && (i + 1 == line.Length || line[i + 1] is ' ' or '\t')) return i;
        }
        return -1;
    }

    private static IEnumerable<string> SplitWords(string s)
    {
        var current = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\' && i + 1 < s.Length && s[i + 1] is ' ' or '#')
            {
                current.Append(s[++i]);
                continue;
            }
            if (c == '$' && i + 1 < s.Length && s[i + 1] == '$')
            {
                current.Append('$');
                i++;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0) yield return current.ToString();
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) yield return current.ToString();
    }

    /// <summary>
    /// Up-to-date check of one compiled TU: the dependency file exists and is at least as new as the stamp
    /// and every prerequisite it lists (all of which still exist), and every output exists.
    /// </summary>
    public static bool IsUpToDate(string dependencyFile, string stampFile, IEnumerable<string> outputs, string baseDirectory)
    {
        if (!File.Exists(dependencyFile) || !File.Exists(stampFile)) return false;
        if (outputs.Any(o => !File.Exists(o))) return false;
        var built = File.GetLastWriteTimeUtc(dependencyFile);
        if (File.GetLastWriteTimeUtc(stampFile) > built) return false;
        foreach (string prerequisite in Parse(File.ReadAllText(dependencyFile)))
        {
            string full = Path.GetFullPath(Path.Combine(baseDirectory, prerequisite));
            if (!File.Exists(full) || File.GetLastWriteTimeUtc(full) > built) return false;
        }
        return true;
    }
}
