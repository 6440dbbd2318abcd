namespace CompilerLLM.Toolchain;

/// <summary>
/// Which tool binary a name stands for, cheaply (no process is started): its resolved path, size and modification
/// time, like ccache's default compiler check. A reinstalled or upgraded compiler or assembler gets a new identity.
/// </summary>
public static class ToolIdentity
{
    /// <summary>"path;size;mtime" of the tool as <see cref="ProcessRunner"/> would find it, or "missing:NAME".</summary>
    public static string Of(string tool)
    {
        string? path = ProcessRunner.FindOnPath(tool);
        if (path is null) return "missing:" + tool;
        var info = new FileInfo(path);
        // Follow symbolic links (/usr/bin/gcc → gcc-12): the version is the target's.
        var target = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        return $"{target.FullName};{target.Length};{target.LastWriteTimeUtc.Ticks}";
    }
}
