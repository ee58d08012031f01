namespace RoboDJ.Pipeline.IO;

/// <summary>
/// Room on disk for writes about to happen, asked before the first of them: an atomic write needs its new copy beside
/// the old one until the rename, so a full disk stops a rewrap or a restore half-way. Each file system is asked once
/// for the sum of what goes there, plus <see cref="Margin"/> for the journal's lines and the notes around the writes.
/// </summary>
public static class DiskSpace
{
    /// <summary>What is kept free beyond the writes themselves: 64 KiB (the journal's lines, a postmortem) and a tenth of the writes.</summary>
    public static long Margin(long bytes) => (64 << 10) + bytes / 10;

    /// <summary>Throws <see cref="InsufficientSpaceException"/> naming the first file system without room for its share.</summary>
    /// <param name="writes">Each folder that will receive a write, and the bytes it will take there.</param>
    /// <param name="what">What the writes are, for the message ("the rewrap of config/").</param>
    /// <param name="oneAtATime">The writes happen one after the other, each replacing its file: a file system needs room for its largest one only.</param>
    public static void Require(IEnumerable<(string Folder, long Bytes)> writes, string what, bool oneAtATime = false)
    {
        var byFileSystem = new Dictionary<ulong, (string Folder, long Bytes)>();
        foreach (var (folder, bytes) in writes)
        {
            var existing = Existing(folder);
            var device = FileStatus.Of(existing).Device;
            byFileSystem[device] = !byFileSystem.TryGetValue(device, out var sum) ? (existing, bytes)
                : (sum.Folder, oneAtATime ? Math.Max(sum.Bytes, bytes) : sum.Bytes + bytes);
        }
        foreach (var (folder, bytes) in byFileSystem.Values)
        {
            var needed = bytes + Margin(bytes);
            var free = Free(folder);
            if (free is { } available && available < needed) throw new InsufficientSpaceException(folder, what, needed, available);
        }
    }

    /// <summary>The bytes this process may still write on the file system of <paramref name="folder"/>; null where it cannot be told.</summary>
    public static long? Free(string folder)
    {
        try { return new DriveInfo(Existing(folder)).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return null; }
    }

    static string Existing(string folder)
    {
        var current = Path.GetFullPath(folder);
        while (!Directory.Exists(current) && Path.GetDirectoryName(current) is { } parent) current = parent;
        return current;
    }
}

/// <summary>Not enough free space for writes about to happen; nothing of them was written.</summary>
public sealed class InsufficientSpaceException(string folder, string what, long needed, long free)
    : IOException($"{what} needs {Mib(needed)} free on the file system of {folder} (the writes and a margin), and only {Mib(free)} is free; nothing of it was written. " +
                  $"Fix: free {Mib(needed - free)} or more there (`df -h {folder}` shows it), then run again")
{
    public string Folder { get; } = folder;
    public long Needed { get; } = needed;
    public long Free { get; } = free;

    static string Mib(long bytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.00} MiB");
}
