namespace RoboDJ.Sandbox.App;

/// <summary>Temp file in the same folder, fsync, rename: a crash leaves the old file or the new one, never half of one.</summary>
static class AtomicFile
{
    const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="content"/>; keeps the existing file's mode, else uses <paramref name="newFileMode"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode? newFileMode = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = File.Exists(path) ? File.GetUnixFileMode(path) : newFileMode ?? DefaultMode;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void WriteText(string path, string content, UnixFileMode? newFileMode = null) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(content), newFileMode);
}
