using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher;

/// <summary>
/// Is this compiler GCC targeting x86-64 (not clang posing as gcc, not a cross compiler)? Asked of its predefined
/// macros once per compiler binary (<see cref="ToolIdentity"/>) and remembered in the cache directory, so a build
/// pays for the probe once.
/// </summary>
internal static class CompilerProbe
{
    public static bool IsGccForX8664(string compiler, string? cacheDirectory, out string why)
    {
        string identity = ToolIdentity.Of(compiler);
        string? memo = cacheDirectory is null ? null
            : Path.Combine(cacheDirectory, "compilers", Caching.CacheKey.Of(("compiler", identity)).Hex);
        if (memo is not null && File.Exists(memo))
        {
            try
            {
                why = File.ReadAllText(memo);
                return why == "gcc x86-64";
            }
            catch (IOException) { }
        }
        var macros = new Gcc(ToolchainOptions.Default with { Compiler = compiler }).Probe(["-dM", "-E", "-x", "c", "/dev/null"]);
        string defines = macros.StandardOutput;
        if (!macros.Succeeded) why = "its predefined macros could not be read";
        else if (!defines.Contains("#define __GNUC__ ", StringComparison.Ordinal) || defines.Contains("__clang__", StringComparison.Ordinal)) why = "not GCC";
        else if (!defines.Contains("#define __x86_64__ 1", StringComparison.Ordinal) || defines.Contains("#define __ILP32__ 1", StringComparison.Ordinal)) why = "not an x86-64 target";
        else why = "gcc x86-64";
        if (memo is not null && macros.Succeeded)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(memo)!);
                string temp = Outputs.TempFor(memo);
                File.WriteAllText(temp, why);
                File.Move(temp, memo, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return why == "gcc x86-64";
    }
}
