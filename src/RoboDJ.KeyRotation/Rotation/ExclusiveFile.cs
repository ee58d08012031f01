using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// Breaking a stale lock without ever deleting a new one: the old file is moved aside under a unique name first, and put
/// back with <see cref="AtomicFile.PublishNew"/> when it turns out not to be the one judged stale. Creating a file that
/// never replaces another is <see cref="AtomicFile.CreateNew"/>.
/// </summary>
static class ExclusiveFile
{
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
        try { AtomicFile.PublishNew(aside, path); }
        catch (IOException) { }
        finally { if (File.Exists(aside)) File.Delete(aside); }
    }
}
