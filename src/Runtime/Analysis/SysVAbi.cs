namespace CompilerLLM.Analysis;

/// <summary>
/// What the System V x86-64 ABI says is live or clobbered at calls, returns and tail calls.
/// Sets are deliberately generous where the ABI leaves room (r10 as static chain, all of
/// ymm0-7 as arguments, x87 as a return value): too much liveness only costs rewrites.
/// </summary>
public static class SysVAbi
{
    private static readonly LocationSet CalleeSaved =
        LocationSet.Of(Location.Rbx, Location.Rbp, Location.R12, Location.R13, Location.R14, Location.R15, Location.Rsp);

    private static readonly LocationSet VectorArguments =
        LocationSet.Range(Location.VectorLowBase, 8) | LocationSet.Range(Location.VectorHighBase, 8);

    /// <summary>Read by any call: integer argument registers, rax (vector count for varargs), r10 (static chain), vector arguments, rsp, DF (must be clear).</summary>
    public static readonly LocationSet CallUses =
        LocationSet.Of(Location.Rdi, Location.Rsi, Location.Rdx, Location.Rcx, Location.R8, Location.R9, Location.R10,
            Location.Rax, Location.Rsp, Location.DF) | VectorArguments;

    /// <summary>Written by any call: every caller-saved register, all vector and mask registers, the status flags.</summary>
    public static readonly LocationSet CallClobbers =
        LocationSet.Of(Location.Rax, Location.Rcx, Location.Rdx, Location.Rsi, Location.Rdi, Location.R8, Location.R9,
            Location.R10, Location.R11)
        | LocationSet.Range(Location.VectorLowBase, 32) | LocationSet.Range(Location.VectorHighBase, 32)
        | LocationSet.Range(Location.MaskBase, 8) | LocationSet.StatusFlags;

    /// <summary>Live at <c>ret</c>: return registers (rax, rdx, xmm0/1 incl. upper halves, x87) and callee-saved registers.</summary>
    public static readonly LocationSet ReturnUses =
        CalleeSaved | LocationSet.Of(Location.Rax, Location.Rdx, Location.X87, Location.DF,
            Location.VectorLowBase, Location.VectorLowBase + 1, Location.VectorHighBase, Location.VectorHighBase + 1);

    /// <summary>Live at a tail call: the callee's arguments plus what this function must preserve for its own caller.</summary>
    public static readonly LocationSet TailCallUses = CallUses | CalleeSaved | LocationSet.Of(Location.X87);

    /// <summary>
    /// Calls after which control never comes back. Only names whose contract guarantees it;
    /// an unknown callee is assumed to return.
    /// </summary>
    public static bool IsNoReturn(ReadOnlySpan<char> callee) => callee switch
    {
        "abort" or "exit" or "_exit" or "_Exit" or "quick_exit" or "__stack_chk_fail" or "__assert_fail" or
        "__assert_perror_fail" or "longjmp" or "_longjmp" or "siglongjmp" or "__longjmp_chk" or "__cxa_throw" or
        "__cxa_rethrow" or "_Unwind_Resume" or "__builtin_unreachable" or "pthread_exit" or "__fortify_fail" or
        "__chk_fail" or "err" or "errx" or "verr" or "verrx" => true,
        _ => false,
    };
}
