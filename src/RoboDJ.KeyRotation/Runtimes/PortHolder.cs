using System.Globalization;
using System.Runtime.InteropServices;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// Who listens on a local TCP port (Linux: /proc/net/tcp* gives the socket's inode, /proc/&lt;pid&gt;/fd the process that
/// holds it; Windows: the listener tables of GetExtendedTcpTable give the owning pid). Lets Preflight name the process
/// that would stop the app from binding its port again after Stop.
/// </summary>
public static class PortHolder
{
    const string Listen = "0A";

    /// <summary>The listening socket's holder; a pid of 0 when the socket exists but its process cannot be read; null when nothing listens.</summary>
    public static AppProcess? Find(int port)
    {
        // No process listens as pid 0 on Windows: a table that gives 0 (Wine's does) cannot tell, and says nothing.
        if (OperatingSystem.IsWindows()) return WindowsListener(port) is { } owner and not 0 ? ProcessTable.Get(owner) ?? new AppProcess(owner, default, "?") : null;
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

    const int IPv4 = 2;
    const int IPv6 = 23;
    const int OwnerPidListeners = 3; // TCP_TABLE_OWNER_PID_LISTENER

    /// <summary>The pid that listens on <paramref name="port"/> over IPv4 or IPv6, or null.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    static int? WindowsListener(int port)
    {
        // Rows: MIB_TCPROW_OWNER_PID (6 DWORDs, port at 2, pid at 5) and MIB_TCP6ROW_OWNER_PID (56 bytes, port at 20, pid at 52).
        foreach (var (family, rowSize, portAt, pidAt) in new[] { (IPv4, 24, 8, 20), (IPv6, 56, 20, 52) })
        {
            var size = 0;
            GetExtendedTcpTable(0, ref size, false, family, OwnerPidListeners, 0);
            var table = Marshal.AllocHGlobal(size);
            try
            {
                if (GetExtendedTcpTable(table, ref size, false, family, OwnerPidListeners, 0) != 0) continue;
                var rows = Marshal.ReadInt32(table);
                for (var i = 0; i < rows; i++)
                {
                    var row = table + 4 + i * rowSize;
                    var local = Marshal.ReadInt32(row + portAt);
                    if (((local & 0xFF) << 8 | (local >> 8) & 0xFF) == port) return Marshal.ReadInt32(row + pidAt);
                }
            }
            finally { Marshal.FreeHGlobal(table); }
        }
        return null;
    }

    [DllImport("iphlpapi.dll")]
    static extern uint GetExtendedTcpTable(nint table, ref int size, bool order, int family, int tableClass, uint reserved);

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
