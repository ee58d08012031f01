using RoboDJ.Pipeline.IO;
using Flag = RoboDJ.KeyRotation.Secrets.KernelWriteQueries.Flag;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// The one answer to "can this process replace this file atomically?", asked before anything changes (Preflight, a
/// store's CheckWritableAsync). An atomic write replaces a symlink's final target through a temp file created and
/// renamed in that target's folder. So a file refuses when it is immutable or append-only (chattr), read-only (its
/// owner write bit is off, which counts even for root as the operator's word, or access(2) says no), owned by another
/// user while this process cannot keep owners (not root), or when its folder is immutable or takes no new files.
/// On Linux the kernel answers and nothing is written, not even a folder's mtime; elsewhere a folder is proven by a
/// probe file created and deleted, never in a dry run.
/// </summary>
public static class AtomicWriteAccess
{
    /// <summary>Why a write to <paramref name="file"/> would fail, or null when it can be replaced.</summary>
    public static FileNotWritableException? Refusal(string file) => Refusal(file, BuildUser.Current);

    /// <summary>Why <paramref name="folder"/> takes no temp file of the atomic writer, or null when it does.</summary>
    public static FileNotWritableException? FolderRefusal(string folder)
    {
        var full = Path.GetFullPath(folder);
        switch (KernelWriteQueries.BlockingFlag(full))
        {
            case Flag.Immutable:
                return new(full, "the folder is immutable (chattr +i), so no temp file can be created there", $"`chattr -i {full}`");
            case Flag.AppendOnly:
                return new(full, "the folder is append-only (chattr +a), so the atomic write cannot rename its temp file over a file there", $"`chattr -a {full}`");
        }
        if (!FolderTakesFiles(full))
            return new(full, "the folder is read-only for this build's user, so the atomic write cannot create its temp files there", $"give the build's user write access to {full} (`chmod u+w {full}`)");
        return null;
    }

    internal static FileNotWritableException? Refusal(string file, BuildUser user)
    {
        var full = Path.GetFullPath(file);
        var target = AtomicFile.FinalTarget(full);
        var shown = target == full ? full : $"{full} (a symlink to {target})";
        var folder = Path.GetDirectoryName(target)!;
        FileNotWritableException No(string problem, string fix) => new(shown, problem, fix);

        switch (KernelWriteQueries.BlockingFlag(target))
        {
            case Flag.Immutable:
                return No("the file is immutable (chattr +i), so the rotation cannot replace it",
                    $"`chattr -i {target}`, or exclude its folder with --config-exclusions if it holds no field the rotation must keep");
            case Flag.AppendOnly:
                return No("the file is append-only (chattr +a), so the rotation cannot replace it", $"`chattr -a {target}`");
        }
        switch (KernelWriteQueries.BlockingFlag(folder))
        {
            case Flag.Immutable:
                return No($"its folder {folder} is immutable (chattr +i), so no temp file can be created there", $"`chattr -i {folder}`");
            case Flag.AppendOnly:
                return No($"its folder {folder} is append-only (chattr +a), so the atomic write cannot rename its temp file over the file", $"`chattr -a {folder}`");
        }
        if (!user.CanChangeOwners && UnixOwner.Of(target) is { } owner && owner.Uid != user.Uid)
            return No($"the file belongs to uid {owner.Uid}, not to this build's user (uid {user.Uid}); a rewrite would change its owner and the app may lose access",
                $"run the build as root or as uid {owner.Uid}");
        if (File.Exists(target) && IsReadOnly(target))
            return No("the file is read-only for this build's user",
                OperatingSystem.IsWindows() ? "clear its read-only attribute (`attrib -r`)" : $"`chmod u+w {target}`, or run the build as the file's owner");
        if (!FolderTakesFiles(folder))
            return No($"its folder is read-only for this build's user, so the atomic write cannot create its temp file in {folder}",
                $"give the build's user write access to {folder} (`chmod u+w {folder}`)");
        return null;
    }

    static bool IsReadOnly(string file)
    {
        if (OperatingSystem.IsWindows()) return File.GetAttributes(file).HasFlag(FileAttributes.ReadOnly) || !OpensForWriting(file);
        if ((File.GetUnixFileMode(file) & UnixFileMode.UserWrite) == 0) return true;
        return OperatingSystem.IsLinux() ? !KernelWriteQueries.MayWrite(file, isFolder: false) : !OpensForWriting(file);
    }

    // Opening for writing changes neither bytes nor times; only where access(2) cannot be asked.
    static bool OpensForWriting(string file)
    {
        try { using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite)) { } return true; }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { return false; }
    }

    static bool FolderTakesFiles(string folder)
    {
        if (!Directory.Exists(folder)) return false;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(folder) & UnixFileMode.UserWrite) == 0) return false;
        if (OperatingSystem.IsLinux()) return KernelWriteQueries.MayWrite(folder, isFolder: true);
        // A dry run creates nothing, not even a probe: the real run's Preflight proves it.
        if (Effects.EffectGuard.IsEngaged) return true;
        var probe = Path.Combine(folder, $".robodj-write-probe.{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { return false; }
    }
}
