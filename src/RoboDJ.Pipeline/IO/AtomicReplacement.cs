namespace RoboDJ.Pipeline.IO;

/// <summary>
/// A file being replaced while it is written: the bytes go to a temp file beside the target as they come, and
/// <see cref="Commit"/> does what <see cref="AtomicFile"/> does after (fsync, owner, mode, rename, folder fsync).
/// Disposing without a commit deletes the temp file and leaves the target as it was.
/// </summary>
public sealed class AtomicReplacement : IDisposable
{
    readonly string target;
    readonly string temp;
    readonly UnixFileMode? mode;
    readonly UnixOwner? owner;
    readonly Action<string, string> publish;
    FileStream? stream;

    internal AtomicReplacement(string target, UnixFileMode? mode, UnixOwner? owner, Action<string, string> publish, int bufferSize = 1 << 16)
    {
        this.target = target;
        this.mode = mode;
        this.owner = owner;
        this.publish = publish;
        temp = TempFileName.For(target);
        // Created 0600 so that a secret never sits in a world-readable temp file, then given the target's own mode.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        stream = new FileStream(temp, options);
    }

    /// <summary>Replaces an existing file (or creates one); it keeps its mode and (as root) its owner, as <see cref="AtomicFile.WriteAllBytes(string, ReadOnlySpan{byte}, UnixFileMode?)"/>.</summary>
    public static AtomicReplacement Begin(string path, UnixFileMode? newFileMode = null)
    {
        var target = AtomicFile.FinalTarget(path);
        var exists = File.Exists(target);
        UnixFileMode? mode = OperatingSystem.IsWindows() ? null : exists ? File.GetUnixFileMode(target) : newFileMode;
        return new AtomicReplacement(target, mode, exists ? UnixOwner.Of(target) : null, AtomicFile.Replace);
    }

    /// <summary>Where the new bytes go.</summary>
    public Stream Stream => stream ?? throw new ObjectDisposedException(nameof(AtomicReplacement));

    public void Write(ReadOnlySpan<byte> bytes) => Stream.Write(bytes);

    public void Commit()
    {
        var open = stream ?? throw new ObjectDisposedException(nameof(AtomicReplacement));
        try
        {
            open.Flush(flushToDisk: true);
            open.Dispose();
            stream = null;
            // Owner before mode: chown clears set-id bits, and the mode must be the last word.
            owner?.ApplyTo(temp);
            if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, m);
            // The last moment before the new bytes take the name: a holder fenced meanwhile leaves the old file.
            WriteFence.ThrowIfFenced(target);
            publish(temp, target);
        }
        catch
        {
            if (stream is not null)
            {
                try { stream.Dispose(); } catch (IOException) { }
                stream = null;
            }
            DeleteTemp();
            throw;
        }
        AtomicFile.SyncFolder(Path.GetDirectoryName(target)!);
    }

    public void Dispose()
    {
        if (stream is null) return;
        // Closing flushes the buffered tail, which fails on a full disk: the temp file goes in any case.
        try { stream.Dispose(); }
        catch (IOException) { }
        finally
        {
            stream = null;
            DeleteTemp();
        }
    }

    void DeleteTemp()
    {
        try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
