namespace RoboDJ.KeyRotation.Snapshots;

/// <summary>
/// Temp file in the same folder, fsync, rename: a crash leaves the old file or the new one, never half of one.
/// The target keeps its mode when it exists; otherwise it gets <paramref name="newFileMode"/>.
/// </summary>
internal static class AtomicWrite
{
    public static void Bytes(string path, ReadOnlySpan<byte> content, UnixFileMode? newFileMode = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        var mode = FileModes.Get(path) ?? newFileMode;
        try
        {
            using (var stream = new FileStream(temp, FileModes.CreateNewPrivate()))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            if (mode is { } m) FileModes.Set(temp, m);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
