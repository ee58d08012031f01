using System.Runtime.InteropServices;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// Replaces a file so that a crash leaves either the old content or the new, never half of one:
/// temp file in the same folder (rename is atomic only within one file system), fsync, keep the mode, rename, fsync the folder.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text, UnixFileMode? newFileMode = null) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text), newFileMode);

    /// <summary>An existing file keeps its mode; a new one gets <paramref name="newFileMode"/> (default 0600).</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, UnixFileMode? newFileMode = null)
    {
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        UnixFileMode? mode = OperatingSystem.IsWindows() ? null : File.Exists(target) ? File.GetUnixFileMode(target) : newFileMode;
        try
        {
            // Created 0600 so that a secret never sits in a world-readable temp file, then given the target's own mode.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, m);
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
        SyncFolder(folder);
    }

    // The rename itself lives in the folder's metadata; without this a power cut may bring back the old name.
    static void SyncFolder(string folder)
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
}
