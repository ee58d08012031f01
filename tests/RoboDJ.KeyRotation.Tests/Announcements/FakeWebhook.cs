using System.Net;
using System.Net.Sockets;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.Types;
using WireMock.Util;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace RoboDJ.KeyRotation.Tests.Announcements;

/// <summary>A Slack-style incoming webhook on 127.0.0.1 that answers a scripted sequence of statuses.</summary>
public sealed class FakeWebhook : IDisposable
{
    public const string Path = "/services/T0000/B0000/canaryWebhookToken";
    readonly WireMockServer server;
    readonly System.Collections.Concurrent.ConcurrentQueue<string> received = new();

    public FakeWebhook() =>
        server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{LoopbackPorts.Free()}"] });

    // Built from the port: WireMock reports its URL as localhost, and tests talk to 127.0.0.1 only.
    public Uri Url => new($"http://127.0.0.1:{server.Port}{Path}");

    /// <summary>Answers each POST with the next status; the last one repeats. A delay makes that answer slow.</summary>
    public FakeWebhook Answers(params (int Status, TimeSpan Delay)[] answers)
    {
        var next = 0;
        server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithCallback(async request =>
        {
            // Recorded on arrival: WireMock logs a request only once its (possibly slow) answer is sent.
            received.Enqueue(request.Body ?? "");
            var (status, delay) = answers[Math.Min(Interlocked.Increment(ref next) - 1, answers.Length - 1)];
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            return new ResponseMessage
            {
                StatusCode = status,
                BodyData = new BodyData { BodyAsString = status < 300 ? "ok" : "error", DetectedBodyType = BodyType.String },
            };
        }));
        return this;
    }

    public FakeWebhook Answers(params int[] statuses) => Answers(statuses.Select(s => (s, TimeSpan.Zero)).ToArray());

    public IReadOnlyList<string> Bodies => received.ToList();

    public void Dispose() => server.Stop();

}
