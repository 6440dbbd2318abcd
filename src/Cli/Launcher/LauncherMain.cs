using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher;

/// <summary>
/// <c>compilerllm-cc COMPILER ARGS…</c> (and <c>compilerllm cc …</c>): optimize the invocation when it compiles one
/// C or C++ source to an x86-64 object with GCC, else become the compiler (exec), untouched. Launcher commands start
/// with <c>--</c>: <c>--help</c>, <c>--show-config</c>, <c>--report</c>, <c>--replay</c>, <c>--clear-cache</c>.
/// </summary>
public static class LauncherMain
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h")
        {
            Console.Out.Write(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0].StartsWith("--", StringComparison.Ordinal)) return LauncherCommands.Run(args);

        string compiler = args[0];
        var arguments = args[1..];
        if (Path.GetFileName(compiler) is "compilerllm-cc" or "compilerllm")
        {
            Console.Error.WriteLine("compilerllm-cc: the compiler to run must come first (CC=\"compilerllm-cc gcc\"), not compilerllm-cc itself");
            return 2;
        }
        var settings = LauncherSettings.Load(Environment.GetEnvironmentVariable, out var problems);
        var log = new LauncherLog(settings.LogFile ?? Path.Combine(settings.CacheDirectory, "compilerllm.log"));
        foreach (var p in problems) log.Write(LauncherCode.Configuration, $"{p.Where}: {p.Message}");
        if (!settings.Optimize || problems.Count > 0) return Exec.Replace(compiler, arguments);

        var invocation = CompileInvocation.Classify(arguments, out _);
        if (invocation is null) return Exec.Replace(compiler, arguments);
        if (!CompilerProbe.IsGccForX8664(compiler, settings.CacheDirectory, out string why))
        {
            log.Write(LauncherCode.Configuration, $"{compiler}: {why}; compiling unchanged");
            return Exec.Replace(compiler, arguments);
        }
        int? exit;
        try
        {
            exit = new CompileAction(settings, log).Run(compiler, arguments, invocation);
        }
        catch (ToolNotFoundException e)
        {
            log.Write(LauncherCode.UnitFellBack, $"{invocation.Object}: {e.Message}; compiling unchanged");
            exit = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Write(LauncherCode.UnitFellBack, $"{invocation.Object}: {e.Message}; compiling unchanged");
            exit = null;
        }
        return exit ?? Exec.Replace(compiler, arguments);
    }

    public const string Usage = """
        compilerllm-cc: optimizes every GCC compile of a Make, CMake, autotools or Meson build with CompilerLLM.

        Use:  make CC="compilerllm-cc gcc"
              cmake -DCMAKE_C_COMPILER_LAUNCHER=compilerllm-cc ..
              ./configure CC="compilerllm-cc gcc"

        Commands:
          compilerllm-cc COMPILER ARGS...     compile (optimized when it compiles one C/C++ file to an x86-64 object)
          compilerllm-cc --show-config        the settings in effect and where each comes from
          compilerllm-cc --report [DIR]       what happened to the units under DIR (default: .) in the last builds
          compilerllm-cc --replay --build CMD --test CMD [--dir DIR] [--compare exit|output] [--timeout S]
                                              run the project's tests against the optimized build and GCC's; bisect
                                              units that behave differently and put GCC's objects back for them
          compilerllm-cc --clear-cache        empty the cache
          compilerllm-cc --help

        Settings (config file $COMPILERLLM_CONFIG or ~/.config/compilerllm/compilerllm.conf, key = value; the
        environment variable overrides the file): see --show-config.

        """;
}
