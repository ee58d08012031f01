using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Octokit;
using RoboDJ.KeyRotation.GitHub;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace RoboDJ.KeyRotation.Tests.GitHub;

/// <summary>
/// A fake GitHub Enterprise on 127.0.0.1 (WireMock). Paths are given as the API sees them, below /api/v3/, so that
/// a test that passes proves Octokit put the Enterprise prefix in front.
/// </summary>
public sealed class FakeGitHub : IDisposable
{
    public const string Owner = "acme";
    public const string Repo = "robodj";
    const string ApiPrefix = "/api/v3/";
    readonly WireMockServer server;

    public FakeGitHub()
    {
        server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] });
        // A token that looks real, so the canary scans mean something.
        Token = "ghs_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
    }

    public string Token { get; }
    // Built from the port: WireMock reports its URL as localhost, and tests talk to 127.0.0.1 only.
    public Uri Root => new($"http://127.0.0.1:{server.Port}");

    public GitHubOptions Options(long? trackingIssue = null, TimeSpan? maxRateLimitWait = null) => new()
    {
        Owner = Owner,
        Repository = Repo,
        BaseUrl = Root,
        Labels = ["key-rotation", "ops"],
        TrackingIssue = trackingIssue,
        RequestTimeout = TimeSpan.FromSeconds(60),
        MaxRateLimitWait = maxRateLimitWait ?? TimeSpan.FromSeconds(5),
    };

    public IGitHubClient Client(GitHubOptions? options = null) => GitHubClientFactory.Create(options ?? Options(), Token);

    /// <summary>Answers <paramref name="method"/> on repos/acme/robodj/<paramref name="repoPath"/> with a status and JSON.</summary>
    public FakeGitHub On(string method, string repoPath, int status, JsonNode? body = null,
        IDictionary<string, string>? headers = null, string? scenario = null, string? whenState = null, string? nextState = null,
        TimeSpan? delay = null)
    {
        var request = Request.Create().WithPath(ApiPath(repoPath)).UsingMethod(method);
        var response = Response.Create().WithStatusCode(status);
        if (delay is { } slow) response = response.WithDelay(slow);
        if (body is not null) response = response.WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) response = response.WithHeader(name, value);
        var given = server.Given(request);
        if (scenario is not null)
        {
            var inScenario = given.InScenario(scenario);
            if (whenState is not null) inScenario = inScenario.WhenStateIs(whenState);
            if (nextState is not null) inScenario = inScenario.WillSetStateTo(nextState);
            inScenario.RespondWith(response);
        }
        else given.RespondWith(response);
        return this;
    }

    public FakeGitHub OnError(string method, string repoPath, int status, string message, IDictionary<string, string>? headers = null) =>
        On(method, repoPath, status, new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" }, headers);

    public static string ApiPath(string repoPath) => $"{ApiPrefix}repos/{Owner}/{Repo}/{repoPath}";

    public static JsonObject PublicKey(string keyId, byte[] publicKey) =>
        new() { ["key_id"] = keyId, ["key"] = Convert.ToBase64String(publicKey) };

    public static JsonObject Issue(long number) => new()
    {
        ["id"] = 1000 + number,
        ["number"] = number,
        ["title"] = "t",
        ["state"] = "open",
        ["html_url"] = $"https://github.example/{Owner}/{Repo}/issues/{number}",
        ["url"] = $"https://github.example/api/v3/repos/{Owner}/{Repo}/issues/{number}",
    };

    public static JsonObject Comment(long issue, long id) => new()
    {
        ["id"] = id,
        ["body"] = "b",
        ["html_url"] = $"https://github.example/{Owner}/{Repo}/issues/{issue}#issuecomment-{id}",
    };

    /// <summary>Every request the fake received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => server.LogEntries
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => new RecordedRequest(e.RequestMessage.Method, e.RequestMessage.Path, e.RequestMessage.Body ?? "",
            e.RequestMessage.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value)) ?? new Dictionary<string, string>()))
        .ToList();

    public IEnumerable<RecordedRequest> Writes => Requests.Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE");

    public void Dispose() => server.Stop();

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record RecordedRequest(string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    public override string ToString() => $"{Method} {Path}";
}
