using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace RoboDJ.Build.Tests;

/// <summary>Ports for apps the tests restart on a fixed port (Swarm replicas, fleet hosts) on 127.0.0.1.</summary>
static class LoopbackPorts
{
    public static bool Listens(int port)
    {
        try { using var client = new TcpClient(); client.Connect(IPAddress.Loopback, port); return true; }
        catch (SocketException) { return false; }
    }

    /// <summary>
    /// A base with base+1..base+count free now, below Linux's ephemeral range (32768+), where other tests' port-0
    /// listeners cannot take a port while its app restarts (a listener on each would collide with the apps: probe only).
    /// </summary>
    public static int FreeBase(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var portBase = RandomNumberGenerator.GetInt32(20000, 32000);
            if (Enumerable.Range(1, count).All(i => !Listens(portBase + i))) return portBase;
        }
        throw new InvalidOperationException($"no free range of {count} ports on 127.0.0.1");
    }
}
