using System.Runtime.InteropServices;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// Read-only questions about whether a file or folder can be written, asked of the kernel without writing:
/// the inode flags (chattr +i / +a, via ioctl FS_IOC_GETFLAGS) and access(2) for this process's user.
/// Nothing here changes a byte, a mode, an owner or a time stamp. Off Linux every answer is "no objection".
/// The libc side of <see cref="AtomicWriteAccess"/>, which is the one to ask.
/// </summary>
internal static class KernelWriteQueries
{
    public enum Flag { None, Immutable, AppendOnly }

    /// <summary>The chattr flag that forbids replacing <paramref name="path"/>, if any (unknown counts as none).</summary>
    public static Flag BlockingFlag(string path)
    {
        if (!OperatingSystem.IsLinux()) return Flag.None;
        var fd = open(path, ORdOnly | ONonBlock | OCloExec);
        if (fd < 0) return Flag.None;
        try
        {
            long flags = 0;
            if (ioctl(fd, FsIocGetFlags, ref flags) != 0) return Flag.None;
            return (flags & FsImmutableFl) != 0 ? Flag.Immutable : (flags & FsAppendFl) != 0 ? Flag.AppendOnly : Flag.None;
        }
        finally { close(fd); }
    }

    /// <summary>Whether this process may write the file (or, for a folder, create and rename entries in it).</summary>
    public static bool MayWrite(string path, bool isFolder) =>
        !OperatingSystem.IsLinux() || access(path, isFolder ? WOk | XOk : WOk) == 0;

    const int ORdOnly = 0, ONonBlock = 0x800, OCloExec = 0x80000;
    const int WOk = 2, XOk = 1;
    const long FsImmutableFl = 0x10, FsAppendFl = 0x20;
    // _IOR('f', 1, long): the size field is sizeof(long), so it differs between 64- and 32-bit processes.
    static readonly nuint FsIocGetFlags = IntPtr.Size == 8 ? 0x80086601u : 0x80046601u;

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    static extern int ioctl(int fd, nuint request, ref long flags);

    [DllImport("libc", SetLastError = true)]
    static extern int access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport("libc")]
    static extern int close(int fd);
}
