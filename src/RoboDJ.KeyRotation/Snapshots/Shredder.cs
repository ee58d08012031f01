namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>
/// Removes files that held keys: each file's bytes are overwritten with zeros and flushed to disk before it is unlinked,
/// so the retired key is not left in freed blocks for the next reader of the disk. On copy-on-write or journaling-data
/// filesystems the old blocks may survive anyway (docs/architecture.md); the overwrite is what a file API can do.
/// </summary>
public static class Shredder
{
    /// <summary>Overwrites and unlinks every file under <paramref name="path"/> (a file or a folder), then the folders.</summary>
    public static void Remove(string path)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Files, $"shred {path}");
        if (File.Exists(path)) { ShredFile(path); return; }
        if (!Directory.Exists(path)) return;
        // A link inside is removed, never followed: what it points at is not this folder's to shred.
        foreach (var file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            ShredFile(file);
        Directory.Delete(path, recursive: true);
    }

    static void ShredFile(string file)
    {
        var info = new FileInfo(file);
        if (info.LinkTarget is null && info.Length > 0)
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.None);
            var zeros = new byte[Math.Min(info.Length, 1 << 16)];
            for (var left = info.Length; left > 0; left -= zeros.Length)
                stream.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
            stream.Flush(flushToDisk: true);
        }
        File.Delete(file);
    }
}
