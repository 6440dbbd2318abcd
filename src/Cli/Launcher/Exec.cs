using System.Runtime.InteropServices;

namespace CompilerLLM.Launcher;

/// <summary>
/// Stepping aside: the launcher becomes the real compiler (<c>execvp</c>), with the same arguments, standard streams,
/// environment and signals, so an invocation it does not act on is exactly the compiler's own.
/// </summary>
internal static unsafe partial class Exec
{
    [LibraryImport("libc", EntryPoint = "execvp", SetLastError = true)]
    private static partial int ExecVp(byte* file, byte** argv);

    /// <summary>Replaces this process with <paramref name="program"/>; returns only if that is impossible (with an exit code to use).</summary>
    public static int Replace(string program, IReadOnlyList<string> args)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        var strings = new IntPtr[args.Count + 2];
        try
        {
            strings[0] = Marshal.StringToCoTaskMemUTF8(program);
            for (int i = 0; i < args.Count; i++) strings[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);
            fixed (IntPtr* argv = strings)
            {
                ExecVp((byte*)strings[0], (byte**)argv);
            }
            int errno = Marshal.GetLastPInvokeError();
            Console.Error.WriteLine($"compilerllm-cc: cannot run '{program}': {Marshal.GetPInvokeErrorMessage(errno)}");
            return errno == 2 ? 127 : 126; // what a shell returns for "not found" and "not executable"
        }
        finally
        {
            foreach (var p in strings) if (p != IntPtr.Zero) Marshal.FreeCoTaskMem(p);
        }
    }
}
