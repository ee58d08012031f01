using System.Globalization;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// Who listens on a local TCP port (Linux: /proc/net/tcp* gives the socket's inode, /proc/&lt;pid&gt;/fd the process that
/// holds it). Lets Preflight name the process that would stop the app from binding its port again after Stop.
/// </summary>
public static class PortHolder
{
    const string Listen = "0A";

    /// <summary>The listening socket's holder; a pid of 0 when the socket exists but its process cannot be read; null when nothing listens.</summary>
    public static AppProcess? Find(int port)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var inodes = new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists)
            .SelectMany(File.ReadLines).Select(line => ListeningInode(line, port)).OfType<string>().ToHashSet();
        if (inodes.Count == 0) return null;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (HoldsSocket(dir, inodes)) return ProcessTable.Get(pid) ?? new AppProcess(pid, default, "?");
        }
        return new AppProcess(0, default, "?");
    }

    // "  0: 0100007F:223D 00000000:0000 0A ... uid timeout inode"
    static string? ListeningInode(string line, int port)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 10 || parts[3] != Listen) return null;
        var colon = parts[1].LastIndexOf(':');
        if (colon < 0 || !int.TryParse(parts[1][(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var local)) return null;
        return local == port ? parts[9] : null;
    }

    static bool HoldsSocket(string procDir, HashSet<string> inodes)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(procDir, "fd")))
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && inodes.Contains(target[8..^1])) return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return false;
    }
}
