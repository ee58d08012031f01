using System.Net;
using System.Net.Sockets;

namespace RoboDJ.Sandbox.Tests.Support;

static class FreePort
{
    /// <summary>A port on 127.0.0.1 that nothing listened on a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
