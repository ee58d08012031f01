using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// A fake GitHub Enterprise issues API on 127.0.0.1 for the build as a process: new issues get numbers from 41 up,
/// comments and updates succeed, the repository's secrets public key is served, and every request is recorded in arrival order. <see cref="FailWith"/> makes every
/// call answer an error instead, as a GitHub outage or a token without `issues: write` would.
/// </summary>
public sealed class FakeGitHubApi : IDisposable
{
    public const string Owner = "acme";
    public const string Repo = "robodj";
    public const long FirstIssue = 41;
    readonly WireMockServer server;
    readonly System.Collections.Concurrent.ConcurrentQueue<ApiRequest> received = new();
    long nextIssue = FirstIssue;
    (int Status, string Message)? failure;

    public FakeGitHubApi()
    {
        server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] });
        server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/api/v3/*")))
            .RespondWith(Response.Create().WithCallback(Answer));
        // Looks like a real installation token, so that the canary scans mean something.
        Token = "ghs_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
    }

    public string Token { get; }
    // Built from the port: WireMock reports its URL as localhost, and tests talk to 127.0.0.1 only.
    public string BaseUrl => $"http://127.0.0.1:{server.Port}";
    public static string IssueUrl(long number) => $"https://github.example/{Owner}/{Repo}/issues/{number}";
    public static string RepoPath(string rest) => $"/api/v3/repos/{Owner}/{Repo}/{rest}";

    public IReadOnlyList<ApiRequest> Requests => received.ToList();

    public void FailWith(int status, string message) => failure = (status, message);

    ResponseMessage Answer(IRequestMessage request)
    {
        received.Enqueue(new ApiRequest(request.Method, request.Path, request.Body ?? ""));
        if (failure is { } f) return Json(f.Status, new JsonObject { ["message"] = f.Message, ["documentation_url"] = "https://docs.github.com/rest" });
        var path = request.Path;
        if (request.Method == "POST" && path == RepoPath("issues"))
        {
            var number = Interlocked.Increment(ref nextIssue) - 1;
            return Json(201, Issue(number, "open"));
        }
        if (request.Method == "POST" && path.StartsWith(RepoPath("issues/")) && path.EndsWith("/comments"))
        {
            var number = long.Parse(path[RepoPath("issues/").Length..^"/comments".Length]);
            var id = 9000 + received.Count;
            return Json(201, new JsonObject { ["id"] = id, ["body"] = "b", ["html_url"] = $"{IssueUrl(number)}#issuecomment-{id}" });
        }
        if (request.Method == "GET" && path == RepoPath("actions/secrets/public-key"))
            return Json(200, new JsonObject { ["key_id"] = "568250167242549743", ["key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) });
        if (request.Method == "PATCH" && path.StartsWith(RepoPath("issues/")))
            return Json(200, Issue(long.Parse(path[RepoPath("issues/").Length..]), "closed"));
        return Json(404, new JsonObject { ["message"] = "Not Found" });
    }

    static JsonObject Issue(long number, string state) => new()
    {
        ["id"] = 1000 + number,
        ["number"] = number,
        ["title"] = "t",
        ["state"] = state,
        ["html_url"] = IssueUrl(number),
        ["url"] = $"https://github.example/api/v3/repos/{Owner}/{Repo}/issues/{number}",
    };

    static ResponseMessage Json(int status, JsonNode body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
        };
        response.AddHeader("Content-Type", "application/json");
        return response;
    }

    public void Dispose() => server.Stop();

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record ApiRequest(string Method, string Path, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    public override string ToString() => $"{Method} {Path}";
}
