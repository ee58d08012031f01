namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// Whether a folder takes the atomic writer's temp files. On Linux the kernel answers (access(2), which also says no for
/// a read-only mount), so Preflight leaves not even a folder's mtime changed; elsewhere a probe file is created and
/// deleted, the only way to know (never in a dry run).
/// </summary>
public static class WriteProbe
{
    public static bool FolderAcceptsFiles(string folder, out string? why)
    {
        why = null;
        if (OperatingSystem.IsLinux())
        {
            if (UnixWriteAccess.MayWrite(folder, isFolder: true)) return true;
            why = "access(2) refuses to create files there";
            return false;
        }
        // A dry run creates nothing, not even a probe: the real run's Preflight proves it.
        if (Effects.EffectGuard.IsEngaged) return true;
        var probe = Path.Combine(folder, $".robodj-write-probe.{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            why = e.GetType().Name;
            return false;
        }
    }
}
