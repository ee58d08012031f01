using System.Net;
using System.Net.Sockets;
using RoboDJ.KeyRotation.Runtimes;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

public sealed class PortHolderTests
{
    [Fact]
    public void The_holder_of_a_listening_port_is_this_process()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows()) Assert.Skip("reads /proc or the Windows listener tables");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var holder = PortHolder.Find(port);

        Assert.NotNull(holder);
        Assert.Equal(Environment.ProcessId, holder.Pid);
    }

    [Fact]
    public void A_port_nobody_listens_on_has_no_holder()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows()) Assert.Skip("reads /proc or the Windows listener tables");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        Assert.Null(PortHolder.Find(port));
    }
}
