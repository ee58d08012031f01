using System.Runtime.InteropServices;

namespace RoboDJ.Pipeline.IO;

/// <summary>
/// A file's owner and group. .NET has no API for them, so this reads them with statx(2), whose layout is the same on
/// every Linux architecture, and sets them with chown(2). Elsewhere (Windows, macOS) ownership is not kept.
/// </summary>
public readonly record struct UnixOwner(uint Uid, uint Gid)
{
    public override string ToString() => $"{Uid}:{Gid}";

    /// <summary>Whether this process can give a file to another user (only root can).</summary>
    public static bool CanChangeOwners => OperatingSystem.IsLinux() && geteuid() == 0;

    public static uint CurrentUid => OperatingSystem.IsLinux() ? geteuid() : 0;

    /// <summary>The owner of <paramref name="path"/> (following symlinks), or null where it cannot be read.</summary>
    public static UnixOwner? Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = new byte[StatxSize];
        if (statx(AtFdCwd, path, 0, StatxUid | StatxGid, buffer) != 0) return null;
        return new UnixOwner(BitConverter.ToUInt32(buffer, UidOffset), BitConverter.ToUInt32(buffer, GidOffset));
    }

    /// <summary>Gives <paramref name="path"/> to this owner; a no-op where owners cannot be changed.</summary>
    public void ApplyTo(string path)
    {
        if (!CanChangeOwners || Of(path) == this) return;
        if (chown(path, Uid, Gid) != 0)
            throw new IOException($"{path}: could not set its owner to {this} (errno {Marshal.GetLastPInvokeError()}). Fix: check that the folder's file system supports owners.");
    }

    const int AtFdCwd = -100;
    const uint StatxUid = 0x8, StatxGid = 0x10;
    // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, ... (256 bytes in all).
    const int StatxSize = 256, UidOffset = 20, GidOffset = 24;

    [DllImport("libc", SetLastError = true)]
    static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc")]
    static extern uint geteuid();
}
