using System.Net;
using System.Net.Sockets;
using System.Text;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// A dashboard port on 127.0.0.1 answered by someone else (issue 25): raw HTTP/1.1 over a socket, so what it receives is
/// exactly what the client sent. It either redirects every request (307, method and body kept) to another address, or
/// answers with a body that never ends, or records every request it gets.
/// </summary>
public sealed class HostileDashboard : IAsyncDisposable
{
    public enum Behaviour { RedirectTo, EndlessBody, Record }

    readonly TcpListener listener;
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;
    readonly Behaviour behaviour;
    readonly Uri? target;
    readonly List<string> received = [];

    HostileDashboard(Behaviour behaviour, Uri? target)
    {
        this.behaviour = behaviour;
        this.target = target;
        listener = new TcpListener(IPAddress.Loopback, LoopbackPorts.Free());
        listener.Start();
        accepting = AcceptAsync();
    }

    public static HostileDashboard Redirecting(Uri to) => new(Behaviour.RedirectTo, to);
    public static HostileDashboard Endless() => new(Behaviour.EndlessBody, null);
    public static HostileDashboard Recording() => new(Behaviour.Record, null);

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    /// <summary>Every request received, headers and body as text.</summary>
    public IReadOnlyList<string> Received { get { lock (received) return received.ToList(); } }

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream);
                lock (received) received.Add(request);
                var path = request.Split(' ', 3) is [_, var p, ..] ? p : "/";
                switch (behaviour)
                {
                    case Behaviour.RedirectTo:
                        await WriteAsync(stream, $"HTTP/1.1 307 Temporary Redirect\r\nLocation: {new Uri(target!, path.TrimStart('/'))}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        break;
                    case Behaviour.EndlessBody:
                        await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"token\": \"");
                        var chunk = Encoding.ASCII.GetBytes(new string('A', 1 << 16));
                        while (!stop.IsCancellationRequested) await stream.WriteAsync(chunk, stop.Token);
                        break;
                    default:
                        await WriteAsync(stream, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        break;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
        }
    }

    static async Task<string> ReadRequestAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var buffer = new byte[4096];
        int end;
        while ((end = IndexOfHeaderEnd(bytes)) < 0)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) return Encoding.UTF8.GetString(bytes.ToArray());
            bytes.AddRange(buffer.AsSpan(0, read).ToArray());
        }
        var head = Encoding.ASCII.GetString(bytes.GetRange(0, end).ToArray());
        var length = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1].Trim())).FirstOrDefault();
        while (bytes.Count < end + 4 + length)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            bytes.AddRange(buffer.AsSpan(0, read).ToArray());
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    static int IndexOfHeaderEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') return i;
        return -1;
    }

    static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
