using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// The kernel's half of the rotation lock: key_rotation/rotation.fence, held with flock(2) (Windows: opened without
/// sharing) for the life of the holder's process. The kernel drops it only when that process ends, so a paused
/// (SIGSTOPped) holder still holds it and no stale heartbeat can hand its lock to another run. The file is never
/// replaced or removed while a rotation may run, so every run locks the same inode; it also keeps the last fencing
/// token issued. Opened with libc on Unix because .NET's own open takes a flock of its own (FileShare).
/// </summary>
sealed class KernelLock : IDisposable
{
    static readonly TimeSpan ProbeGrace = TimeSpan.FromMilliseconds(250);
    readonly FileStream stream;

    KernelLock(FileStream stream, string path)
    {
        this.stream = stream;
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// Takes the lock, creating the file (0600) when there is none; null when a live process holds it. A reader's probe
    /// holds it for microseconds, so a refusal is retried for a quarter of a second first.
    /// </summary>
    public static KernelLock? TryTake(string path)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var taken = OperatingSystem.IsWindows() ? TakeWindows(path) : TakeUnix(path);
            if (taken is not null || clock.Elapsed >= ProbeGrace) return taken;
            Thread.Sleep(10);
        }
    }

    /// <summary>Whether a live process holds the lock now, without creating the file or keeping any lock.</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows())
        {
            try { using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); return false; }
            catch (IOException) { return true; }
        }
        ThrowIfNotAFile(path);
        var fd = Open(path, create: false);
        if (fd < 0) return false;
        try { return flock(fd, LockShared | LockNonBlocking) != 0 && Marshal.GetLastPInvokeError() == WouldBlock; }
        finally { close(fd); }
    }

    /// <summary>The last fencing token issued in this folder (0: none yet).</summary>
    public long ReadToken()
    {
        stream.Position = 0;
        var buffer = new byte[32];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return long.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var token) ? token : 0;
    }

    /// <summary>Writes the token in place (the file is never replaced: its inode is the lock) and syncs it.</summary>
    public void WriteToken(long token)
    {
        var bytes = Encoding.ASCII.GetBytes(token.ToString(CultureInfo.InvariantCulture) + "\n");
        stream.Position = 0;
        stream.Write(bytes);
        stream.SetLength(bytes.Length);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Removes the file while it is still held: only for a folder this lock created and leaves empty.</summary>
    public void Remove() => File.Delete(Path);

    /// <summary>Closing the descriptor is what lets the kernel hand the lock to the next run.</summary>
    public void Dispose() => stream.Dispose();

    static KernelLock? TakeWindows(string path)
    {
        try { return new KernelLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), path); }
        catch (IOException) when (File.Exists(path)) { return null; }
    }

    static KernelLock? TakeUnix(string path)
    {
        ThrowIfNotAFile(path);
        var fd = Open(path, create: true);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{path}: the rotation lock's file cannot be opened ({Marshal.GetPInvokeErrorMessage(errno)}). " +
                "Fix: it must be a regular file the build's user can write (a symlink is refused), in key_rotation/ (0700).");
        }
        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        if (flock(fd, LockExclusive | LockNonBlocking) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            if (errno == WouldBlock) return null;
            throw new IOException($"{path}: flock failed ({Marshal.GetPInvokeErrorMessage(errno)}). Fix: put key_rotation/ on a file system that supports locks.");
        }
        return new KernelLock(new FileStream(handle, FileAccess.ReadWrite, bufferSize: 0), path);
    }

    /// <summary>A FIFO planted as the fence held Preflight in open() for good: anything but a regular file (or none) is refused unopened.</summary>
    static void ThrowIfNotAFile(string path)
    {
        var kind = Pipeline.IO.FileStatus.Of(path).Kind;
        if (kind is not (Pipeline.IO.FileKind.Missing or Pipeline.IO.FileKind.Regular or Pipeline.IO.FileKind.Link))
            throw new IOException($"{path} {Pipeline.IO.FileStatus.Describe(kind)}. Fix: {RotationLock.NotALockFileFix(path)}.");
    }

    // O_NOFOLLOW: a link planted in place of the file must not make us lock (or write the token into) something else.
    static int Open(string path, bool create)
    {
        var linux = OperatingSystem.IsLinux();
        var flags = (create ? (linux ? 0x40 : 0x200) | 2 /* O_CREAT | O_RDWR */ : 0 /* O_RDONLY */)
                    | (linux ? 0x80000 : 0x1000000) /* O_CLOEXEC: the app Start launches must never inherit the lock */
                    | (linux ? 0x20000 : 0x100) /* O_NOFOLLOW */;
        return open(path, flags, 0b110_000_000 /* 0600 */);
    }

    const int LockShared = 1, LockExclusive = 2, LockNonBlocking = 4;
    static int WouldBlock => OperatingSystem.IsLinux() ? 11 : 35; // EWOULDBLOCK

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    static extern int flock(int fd, int operation);

    [DllImport("libc")]
    static extern int close(int fd);
}
