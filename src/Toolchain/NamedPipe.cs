using System.Runtime.InteropServices;

namespace CompilerLLM.Toolchain;

/// <summary>
/// A FIFO in the file system (<c>mkfifo</c>): a path a tool writes to as to a file while another reads it as it is
/// written. .NET has no API for one.
/// </summary>
internal static class NamedPipe
{
    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    /// <summary>Makes a FIFO at <paramref name="path"/> (owner read and write only); false when none could be made.</summary>
    public static bool TryCreate(string path)
    {
        try
        {
            return MakeFifo(path, 0b110_000_000) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
