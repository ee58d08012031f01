using System.Runtime.InteropServices;

namespace RoboDJ.Pipeline.IO;

/// <summary>
/// Replaces a file so that a crash leaves either the old content or the new, never half of one:
/// temp file in the same folder (rename is atomic only within one file system), fsync, keep mode and owner, rename, fsync
/// the folder (on Windows: MoveFileEx with write-through, the attributes kept, a file held open tried again for a
/// while, see <see cref="WindowsFileReplacement"/>). A symlink is written through: the temp file sits beside the link's final target and replaces it, so the
/// link stays a link and whatever else points at the target sees the new bytes.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text, UnixFileMode? newFileMode = null) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text), newFileMode);

    /// <summary>An existing file keeps its mode and (as root) its owner; a new one gets <paramref name="newFileMode"/> (default 0600).</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, UnixFileMode? newFileMode = null)
    {
        var target = FinalTarget(path);
        var exists = File.Exists(target);
        UnixFileMode? mode = OperatingSystem.IsWindows() ? null : exists ? File.GetUnixFileMode(target) : newFileMode;
        Write(target, bytes, mode, exists ? UnixOwner.Of(target) : null);
    }

    /// <summary>Writes with exactly this mode and (as root) owner, whatever the file had: a restore from a manifest.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, UnixFileMode? mode, UnixOwner? owner) =>
        Write(FinalTarget(path), bytes, OperatingSystem.IsWindows() ? null : mode, owner);

    /// <summary>The file a write to <paramref name="path"/> lands in: the path itself, or a symlink's final target.</summary>
    public static string FinalTarget(string path)
    {
        var full = Path.GetFullPath(path);
        var link = new FileInfo(full).LinkTarget is null ? null : File.ResolveLinkTarget(full, returnFinalTarget: true);
        return link is null ? full : Path.GetFullPath(link.FullName);
    }

    /// <summary>
    /// Creates <paramref name="path"/> whole, never replacing an existing file (a lock, a postmortem): the temp file is
    /// hard-linked to the name, which fails when the name exists; an IOException says so.
    /// </summary>
    public static void CreateNew(string path, ReadOnlySpan<byte> bytes, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var target = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Write(target, bytes, mode, null, PublishNew);
    }

    /// <summary>Gives <paramref name="existing"/> the name <paramref name="path"/> unless that name exists (IOException), atomically.</summary>
    public static void PublishNew(string existing, string path)
    {
        try
        {
            if (OperatingSystem.IsWindows()) { File.Move(existing, path, overwrite: false); return; }
            if (link(existing, path) == 0) return;
            if (Marshal.GetLastPInvokeError() == AlreadyExists) throw new IOException($"{path} already exists.");
            // A file system without hard links: a move without overwrite is the next best thing.
            File.Move(existing, path, overwrite: false);
        }
        finally
        {
            if (File.Exists(existing) && File.Exists(path)) File.Delete(existing);
        }
    }

    const int AlreadyExists = 17; // EEXIST

    internal static void Replace(string temp, string target)
    {
        if (OperatingSystem.IsWindows()) WindowsFileReplacement.Replace(temp, target);
        else File.Move(temp, target, overwrite: true);
    }

    static void Write(string target, ReadOnlySpan<byte> bytes, UnixFileMode? mode, UnixOwner? owner, Action<string, string>? publish = null)
    {
        using var replacement = new AtomicReplacement(target, mode, owner, publish ?? Replace, bufferSize: 0);
        replacement.Write(bytes);
        replacement.Commit();
    }

    // The rename itself lives in the folder's metadata; without this a power cut may bring back the old name.
    internal static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = open(folder, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try { fsync(fd); }
        finally { close(fd); }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    static extern int fsync(int fd);

    [DllImport("libc")]
    static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string newName);
}
