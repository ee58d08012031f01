using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace RoboDJ.Testing;

/// <summary>
/// Ports on 127.0.0.1 for the apps and fakes of the tests, below Linux's ephemeral range (read from /proc). A port from the
/// ephemeral range (a listener on port 0) is free only until an outgoing connection takes it as its source port: a load
/// generator opens hundreds a second, and an app that the rotation stops and starts again on its port lost it that way.
/// </summary>
public static class LoopbackPorts
{
    static readonly int High = Math.Min(32000, EphemeralLow()), Low = Math.Max(1024, High - 12000);
    static readonly HashSet<int> HandedOut = [];

    static int EphemeralLow()
    {
        try { return int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0]); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return 32768; }
    }

    public static bool Listens(int port)
    {
        try { using var client = new TcpClient(); client.Connect(IPAddress.Loopback, port); return true; }
        catch (SocketException) { return false; }
    }

    /// <summary>A port nothing listens on now and that this test process has not handed out before.</summary>
    public static int Free() => FreeBase(1) + 1;

    /// <summary>A base with base+1..base+count free now (probed, not held: a listener on each would collide with the apps).</summary>
    public static int FreeBase(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var portBase = RandomNumberGenerator.GetInt32(Low, High - count);
            var ports = Enumerable.Range(portBase + 1, count).ToList();
            lock (HandedOut)
            {
                if (ports.Any(HandedOut.Contains) || ports.Any(Listens)) continue;
                HandedOut.UnionWith(ports);
            }
            return portBase;
        }
        throw new InvalidOperationException($"no free range of {count} ports between {Low} and {High} on 127.0.0.1");
    }
}
