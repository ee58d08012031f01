using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>A Slack-style incoming webhook on 127.0.0.1 that takes every message; its path holds a token, like the real ones.</summary>
public sealed class FakeChatWebhook : IDisposable
{
    const string Path = "/services/T0000/B0000/canaryWebhookToken";
    readonly WireMockServer server;

    public FakeChatWebhook()
    {
        server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{LoopbackPorts.Free()}"] });
        server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
    }

    public string Url => $"http://127.0.0.1:{server.Port}{Path}";

    /// <summary>The "text" of each message, in order.</summary>
    public IReadOnlyList<string> Texts => server.LogEntries
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => JsonNode.Parse(e.RequestMessage.Body ?? "{}")!["text"]?.GetValue<string>() ?? "")
        .ToList();

    public IReadOnlyList<string> Bodies => server.LogEntries.Select(e => e.RequestMessage.Body ?? "").ToList();

    public void Dispose() => server.Stop();
}
