using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Sodium;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace RoboDJ.Testing;

/// <summary>
/// A fake GitHub Enterprise on 127.0.0.1 (WireMock), for Octokit in-process and for the build as a process. Paths are
/// given as the API sees them, below /api/v3/, so that a test that passes proves Octokit put the Enterprise prefix in
/// front. Two ways to use it: <see cref="On"/> answers one request as a test says; <see cref="Stateful"/> behaves like
/// GitHub across the runs of a test (issues numbered from 41 and remembered: listed open by label, updated, closed;
/// comments; and Actions secrets sealed under a real key pair per scope, which <see cref="OpenSecret"/> opens as only
/// GitHub could). Every request is recorded in arrival order.
/// </summary>
public sealed class FakeGitHub : IDisposable
{
    public const string Owner = "acme";
    public const string Repo = "robodj";
    public const long FirstIssue = 41;
    const string ApiPrefix = "/api/v3/";
    const string RepositoryScope = "";
    readonly WireMockServer server;
    readonly ConcurrentDictionary<string, KeyPair> publicKeys = new();
    readonly ConcurrentDictionary<(string Scope, string Name), string> secrets = new();
    readonly Lock issuesGate = new();
    readonly List<JsonObject> issues = [];
    long nextIssue = FirstIssue;
    (int Status, string Message)? failure;

    public FakeGitHub()
    {
        server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{LoopbackPorts.Free()}"] });
        // A token that looks real, so the canary scans mean something.
        Token = "ghs_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
    }

    /// <summary>A fake that answers every call as GitHub would, with state across the calls of a run.</summary>
    public static FakeGitHub Stateful()
    {
        var fake = new FakeGitHub();
        // Below the priority of the stubs On registers, so that a test can still override one call.
        fake.server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher(ApiPrefix + "*")))
            .AtPriority(1000)
            .RespondWith(Response.Create().WithCallback(fake.Answer));
        return fake;
    }

    public string Token { get; }
    // Built from the port: WireMock reports its URL as localhost, and tests talk to 127.0.0.1 only.
    public Uri Root => new($"http://127.0.0.1:{server.Port}");
    public string BaseUrl => Root.AbsoluteUri.TrimEnd('/');

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

    /// <summary>Stateful: every call answers this error from now on, as a GitHub outage or a token without the permission would.</summary>
    public void FailWith(int status, string message) => failure = (status, message);

    public static string ApiPath(string repoPath) => $"{ApiPrefix}repos/{Owner}/{Repo}/{repoPath}";
    public static string IssueUrl(long number) => $"https://github.example/{Owner}/{Repo}/issues/{number}";

    public static JsonObject PublicKey(string keyId, byte[] publicKey) =>
        new() { ["key_id"] = keyId, ["key"] = Convert.ToBase64String(publicKey) };

    public static JsonObject Issue(long number, string state = "open") => new()
    {
        ["id"] = 1000 + number,
        ["number"] = number,
        ["title"] = "t",
        ["state"] = state,
        ["html_url"] = IssueUrl(number),
        ["url"] = $"https://github.example/api/v3/repos/{Owner}/{Repo}/issues/{number}",
    };

    public static JsonObject Comment(long issue, long id) => new()
    {
        ["id"] = id,
        ["body"] = "b",
        ["html_url"] = $"{IssueUrl(issue)}#issuecomment-{id}",
    };

    /// <summary>Every request the fake received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => server.LogEntries
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => new RecordedRequest(e.RequestMessage.Method, e.RequestMessage.Path, e.RequestMessage.Body ?? "",
            e.RequestMessage.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value)) ?? new Dictionary<string, string>()))
        .ToList();

    public IEnumerable<RecordedRequest> Writes => Requests.Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE");

    /// <summary>Stateful: the issues created so far, as GitHub holds them now (title, body, labels, state).</summary>
    public IReadOnlyList<JsonObject> Issues { get { lock (issuesGate) return issues.Select(i => i.DeepClone().AsObject()).ToList(); } }

    /// <summary>Stateful: the secret as GitHub holds it, opened with the scope's private key; null when not set.</summary>
    /// <param name="environment">The GitHub environment, or null for a repository secret.</param>
    public string? OpenSecret(string? environment, string name)
    {
        var scope = environment ?? RepositoryScope;
        if (!secrets.TryGetValue((scope, name), out var sealedValue)) return null;
        var pair = publicKeys[scope];
        return Encoding.UTF8.GetString(SealedPublicKeyBox.Open(Convert.FromBase64String(sealedValue), pair.PrivateKey, pair.PublicKey));
    }

    ResponseMessage Answer(IRequestMessage request)
    {
        if (failure is { } f) return Json(f.Status, new JsonObject { ["message"] = f.Message, ["documentation_url"] = "https://docs.github.com/rest" });
        var path = request.Path;
        if (path == ApiPath("issues") && request.Method is "GET" or "POST") return AnswerIssues(request);
        if (request.Method == "POST" && path.StartsWith(ApiPath("issues/")) && path.EndsWith("/comments"))
        {
            var number = long.Parse(path[ApiPath("issues/").Length..^"/comments".Length]);
            return Json(201, Comment(number, 9000 + server.LogEntries.Count()));
        }
        if (request.Method == "PATCH" && path.StartsWith(ApiPath("issues/")))
            return UpdateIssue(long.Parse(path[ApiPath("issues/").Length..]), BodyOf(request));
        if (SecretsPath(path) is { } secret) return AnswerSecret(request, secret.Scope, secret.Leaf);
        return Json(404, new JsonObject { ["message"] = "Not Found" });
    }

    /// <summary>GET lists the open issues (with ?labels=, those carrying that label); POST creates one.</summary>
    ResponseMessage AnswerIssues(IRequestMessage request)
    {
        lock (issuesGate)
        {
            if (request.Method == "GET")
            {
                var label = request.Query?.TryGetValue("labels", out var l) == true ? l.ToString() : null;
                return Json(200, new JsonArray(issues.Where(i => (string?)i["state"] == "open")
                    .Where(i => label is null || i["labels"]!.AsArray().Any(x => (string?)x!["name"] == label))
                    .Select(i => (JsonNode)i.DeepClone()).ToArray()));
            }
            var body = BodyOf(request);
            var issue = Issue(Interlocked.Increment(ref nextIssue) - 1);
            issue["title"] = body["title"]?.DeepClone() ?? issue["title"]!.DeepClone();
            issue["body"] = body["body"]?.DeepClone();
            issue["labels"] = new JsonArray((body["labels"]?.AsArray() ?? []).Select(x => (JsonNode)new JsonObject { ["name"] = x!.DeepClone() }).ToArray());
            issues.Add(issue);
            return Json(201, issue.DeepClone());
        }
    }

    /// <summary>An issue this fake created takes the new body or state; any other number answers closed, as before.</summary>
    ResponseMessage UpdateIssue(long number, JsonObject body)
    {
        lock (issuesGate)
        {
            if (issues.FirstOrDefault(i => (long?)i["number"] == number) is not { } found) return Json(200, Issue(number, "closed"));
            foreach (var key in new[] { "title", "body", "state" })
                if (body[key] is { } value) found[key] = value.DeepClone();
            return Json(200, found.DeepClone());
        }
    }

    static JsonObject BodyOf(IRequestMessage request) =>
        request.Body is { Length: > 0 } text ? JsonNode.Parse(text)!.AsObject() : new JsonObject();

    /// <summary>actions/secrets/&lt;leaf&gt; or environments/&lt;name&gt;/secrets/&lt;leaf&gt;.</summary>
    static (string Scope, string Leaf)? SecretsPath(string path)
    {
        if (path.StartsWith(ApiPath("actions/secrets/"))) return (RepositoryScope, path[ApiPath("actions/secrets/").Length..]);
        if (!path.StartsWith(ApiPath("environments/"))) return null;
        var rest = path[ApiPath("environments/").Length..].Split('/');
        return rest.Length == 3 && rest[1] == "secrets" ? (Uri.UnescapeDataString(rest[0]), rest[2]) : null;
    }

    ResponseMessage AnswerSecret(IRequestMessage request, string scope, string leaf)
    {
        var pair = publicKeys.GetOrAdd(scope, _ => PublicKeyBox.GenerateKeyPair());
        var keyId = $"key-{(scope.Length == 0 ? "repo" : scope)}";
        switch (request.Method)
        {
            case "GET" when leaf == "public-key":
                return Json(200, PublicKey(keyId, pair.PublicKey));
            case "PUT":
                var body = JsonNode.Parse(request.Body ?? "{}")!.AsObject();
                if ((string?)body["key_id"] != keyId) return Json(422, new JsonObject { ["message"] = "key_id does not match the public key" });
                var created = secrets.TryAdd((scope, leaf), (string)body["encrypted_value"]!);
                if (!created) secrets[(scope, leaf)] = (string)body["encrypted_value"]!;
                return Empty(created ? 201 : 204);
            case "DELETE":
                return Empty(secrets.TryRemove((scope, leaf), out _) ? 204 : 404);
            default:
                return Json(404, new JsonObject { ["message"] = "Not Found" });
        }
    }

    static ResponseMessage Empty(int status) => new() { StatusCode = status };

    /// <summary>A JSON answer, for fakes that answer in their own callback.</summary>
    public static ResponseMessage Json(int status, JsonNode body)
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

}

public sealed record RecordedRequest(string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    public override string ToString() => $"{Method} {Path}";
}
