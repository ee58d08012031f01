using System.Runtime.InteropServices;

namespace RoboDJ.Pipeline.IO;

/// <summary>What kind of thing a path names, as lstat(2) tells it: the input reader and the scope's walk refuse all but two.</summary>
public enum FileKind { Missing, Regular, Directory, Link, Fifo, CharacterDevice, BlockDevice, Socket }

/// <summary>
/// One path's kind, size and identity, without following a link at its last component and without opening it (a FIFO
/// or a device is never opened to be told apart). On Linux through statx(2), whose layout is the same on every
/// architecture; elsewhere from .NET's FileSystemInfo, which knows files, folders and links only.
/// </summary>
public readonly record struct FileStatus(FileKind Kind, long Size, ulong Device, ulong Inode)
{
    public bool Exists => Kind != FileKind.Missing;

    /// <summary>The identity of the file itself: two paths with the same (device, inode) are one file.</summary>
    public (ulong Device, ulong Inode) Identity => (Device, Inode);

    /// <summary>The status of <paramref name="path"/> itself: a link is reported as <see cref="FileKind.Link"/>.</summary>
    public static FileStatus Of(string path) => OperatingSystem.IsLinux() ? Statx(AtFdCwd, path, AtSymlinkNoFollow) : Portable(path);

    /// <summary>The status of an open file (fstat), to prove that what was opened is what was checked.</summary>
    internal static FileStatus Of(SafeHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try { return Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath); }
        finally { if (added) handle.DangerousRelease(); }
    }

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "does not exist",
        FileKind.Regular => "is a regular file",
        FileKind.Directory => "is a folder, not a file",
        FileKind.Link => "is a symbolic link",
        FileKind.Fifo => "is a named pipe (FIFO), not a regular file: reading it would wait for a writer forever",
        FileKind.CharacterDevice => "is a character device, not a regular file: it has no end to read to",
        FileKind.BlockDevice => "is a block device, not a regular file",
        _ => "is a socket, not a regular file",
    };

    static FileStatus Portable(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return new FileStatus(FileKind.Link, 0, 0, 0);
        if (info.Exists) return new FileStatus(FileKind.Regular, info.Length, 0, 0);
        return Directory.Exists(path) ? new FileStatus(FileKind.Directory, 0, 0, 0) : default;
    }

    static FileStatus Statx(int dirfd, string path, int flags)
    {
        var buffer = new byte[StatxSize];
        if (statx(dirfd, path, flags, StatxBasic, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENoEnt or ENotDir) return default;
            throw new IOException($"{path}: cannot be examined (errno {errno}{(errno == EAccess ? ", permission denied" : "")}).");
        }
        var mode = BitConverter.ToUInt16(buffer, ModeOffset);
        var kind = (mode & TypeMask) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.Link,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Socket,
        };
        var device = ((ulong)BitConverter.ToUInt32(buffer, DevMajorOffset) << 32) | BitConverter.ToUInt32(buffer, DevMinorOffset);
        return new FileStatus(kind, (long)BitConverter.ToUInt64(buffer, SizeOffset), device, BitConverter.ToUInt64(buffer, InodeOffset));
    }

    const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000;
    const int ENoEnt = 2, EAccess = 13, ENotDir = 20;
    const uint StatxBasic = 0x7ff;
    const int TypeMask = 0xF000;
    // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, u16 mode, u16 pad, u64 ino,
    // u64 size, u64 blocks, u64 attributes_mask, 4 timestamps of 16 bytes, u32 rdev_major, rdev_minor, dev_major, dev_minor.
    const int StatxSize = 256, ModeOffset = 28, InodeOffset = 32, SizeOffset = 40, DevMajorOffset = 136, DevMinorOffset = 140;

    [DllImport("libc", SetLastError = true)]
    static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
