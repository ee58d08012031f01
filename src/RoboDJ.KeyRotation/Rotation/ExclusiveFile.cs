using System.Runtime.InteropServices;
using RoboDJ.KeyRotation.Snapshots;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Creates a file that is never readable empty or half-written and never replaces an existing one (the rotation lock,
/// a postmortem): the content goes to a temp file in the same folder, is fsynced, and is then hard-linked to its name,
/// which fails when the name exists. Windows gets the same from a move without overwrite.
/// </summary>
static class ExclusiveFile
{
    const int AlreadyExists = 17; // EEXIST

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    static extern int Link(string existing, string newName);

    /// <summary>Publishes <paramref name="content"/> at <paramref name="path"/>; an IOException when the path already exists.</summary>
    public static void CreateNew(string path, ReadOnlySpan<byte> content, UnixFileMode mode = FileModes.Private)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = TempNameFor(path);
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = mode;
            using (var stream = new FileStream(temp, create))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            Publish(temp, path);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Moves a lock aside under a unique name (atomic), so that two breakers never delete each other's new lock.</summary>
    public static string MoveAside(string path)
    {
        var aside = path + $".broken-{Guid.NewGuid():N}";
        File.Move(path, aside, overwrite: false);
        return aside;
    }

    /// <summary>Puts a lock that was moved aside by mistake back, unless a new one took its place meanwhile.</summary>
    public static void PutBack(string aside, string path)
    {
        try { Publish(aside, path); }
        catch (IOException) { }
        finally { if (File.Exists(aside)) File.Delete(aside); }
    }

    static void Publish(string temp, string path)
    {
        if (OperatingSystem.IsWindows()) { File.Move(temp, path, overwrite: false); return; }
        if (Link(temp, path) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == AlreadyExists) throw new IOException($"{path} already exists.");
        // A file system without hard links: a move without overwrite, checked first, is the next best thing.
        File.Move(temp, path, overwrite: false);
    }

    static string TempNameFor(string path) => Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
}
