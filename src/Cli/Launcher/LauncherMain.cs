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
        if (PhaseTimings.Collecting)
            PhaseTimings.Add("launcher.process-start", DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime, 0);
        LauncherSettings settings;
        List<SettingProblem> problems;
        using (PhaseTimings.Start("launcher.settings")) settings = LauncherSettings.Load(Environment.GetEnvironmentVariable, out problems);
        var log = new LauncherLog(settings.LogFile ?? Path.Combine(settings.CacheDirectory, "compilerllm.log"));
        foreach (var p in problems) log.Write(LauncherCode.Configuration, $"{p.Where}: {p.Message}");
        if (!settings.Optimize || problems.Count > 0) return Exec.Replace(compiler, arguments);

        var invocation = CompileInvocation.Classify(arguments, out var reason);
        var several = invocation is null && reason == PassReason.SeveralSources ? CompileInvocation.SplitSources(arguments) : null;
        if (invocation is null && several is null) return Exec.Replace(compiler, arguments);
        bool isGcc;
        string why;
        using (PhaseTimings.Start("launcher.probe")) isGcc = CompilerProbe.IsGccForX8664(compiler, settings.CacheDirectory, out why);
        if (!isGcc)
        {
            log.Write(LauncherCode.Configuration, $"{compiler}: {why}; compiling unchanged");
            return Exec.Replace(compiler, arguments);
        }
        if (invocation is not null) return Optimize(settings, log, compiler, arguments, invocation) ?? Exec.Replace(compiler, arguments);

        // gcc -c a.c b.c: one unit per source, in order, as GCC compiles them; a source the launcher steps aside for is
        // GCC's own compile of that source alone. Like GCC, a failing source does not stop the others.
        int exit = 0;
        foreach (var part in several!)
            exit = Math.Max(exit, Optimize(settings, log, compiler, part.Arguments, part.Invocation) ?? CompileAlone(compiler, part.Arguments));
        return exit;
    }

    /// <summary>The optimized compile of one unit; null when the launcher steps aside (the compiler's own command must run).</summary>
    private static int? Optimize(LauncherSettings settings, LauncherLog log, string compiler, IReadOnlyList<string> arguments, CompileInvocation invocation)
    {
        try
        {
            return new CompileAction(settings, log).Run(compiler, arguments, invocation);
        }
        catch (ToolNotFoundException e)
        {
            log.Write(LauncherCode.UnitFellBack, $"{invocation.Object}: {e.Message}; compiling unchanged");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Write(LauncherCode.UnitFellBack, $"{invocation.Object}: {e.Message}; compiling unchanged");
        }
        catch (Exception e) when (e is not Inference.PolicyLoadException)
        {
            // A defect of ours must never fail a build that GCC alone passes: GCC compiles the unit, the log says why.
            log.Write(LauncherCode.UnitFellBack, $"{invocation.Object}: internal error ({e.GetType().Name}: {e.Message}); compiling unchanged");
        }
        return null;
    }

    /// <summary>
    /// The compiler's own command for one source of several, run as a child (the launcher has more sources to do, so it
    /// cannot become the compiler): its output relayed as it is, its exit code returned, no time limit.
    /// </summary>
    private static int CompileAlone(string compiler, IReadOnlyList<string> arguments)
    {
        var gcc = new Gcc(ToolchainOptions.Default with { Compiler = compiler, ToolTimeout = Timeout.InfiniteTimeSpan }, Environment.CurrentDirectory);
        ProcessResult result;
        try
        {
            result = gcc.Invoke(arguments);
        }
        catch (ToolNotFoundException)
        {
            Console.Error.WriteLine($"compilerllm-cc: cannot run '{compiler}'");
            return 127;
        }
        Console.Out.Write(result.StandardOutput);
        Console.Error.Write(result.StandardError);
        return result.ExitCode;
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
          compilerllm-cc --server-status      the scoring server's pid, requests and loaded models
          compilerllm-cc --stop-server        stop the scoring server (it also exits by itself after server_idle s)
          compilerllm-cc --server [--idle S]  run the scoring server in the foreground (units start it by themselves)
          compilerllm-cc --help

        Settings (config file $COMPILERLLM_CONFIG or ~/.config/compilerllm/compilerllm.conf, key = value; the
        environment variable overrides the file): see --show-config.

        """;
}
