using System.Text.Json.Nodes;
using RoboDJ.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// A fake GitHub Enterprise issues API on 127.0.0.1 that remembers its issues across runs: listing (open, by label),
/// create, update (body, state) and comments, so a test can tell an updated issue from a duplicate.
/// </summary>
public sealed class FakeIssueTracker : IDisposable
{
    readonly WireMockServer server;
    readonly Lock gate = new();
    readonly List<JsonObject> issues = [];

    public FakeIssueTracker()
    {
        server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FakeGitHub.FreePort()}"] });
        server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/api/v3/*"))).RespondWith(Response.Create().WithCallback(Answer));
        Token = "ghs_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
    }

    public string Token { get; }
    public string BaseUrl => $"http://127.0.0.1:{server.Port}";
    public List<string> Writes { get; } = [];

    public IReadOnlyList<JsonObject> Issues { get { lock (gate) return issues.Select(i => i.DeepClone().AsObject()).ToList(); } }

    ResponseMessage Answer(IRequestMessage request)
    {
        lock (gate)
        {
            var path = request.Path;
            var issuesPath = FakeGitHub.ApiPath("issues");
            if (request.Method != "GET") Writes.Add($"{request.Method} {path}");
            if (request.Method == "GET" && path == issuesPath)
            {
                var label = request.Query?.TryGetValue("labels", out var l) == true ? l.ToString() : null;
                return Json(200, new JsonArray(issues.Where(i => i["state"]!.GetValue<string>() == "open")
                    .Where(i => label is null || i["labels"]!.AsArray().Any(x => x!["name"]!.GetValue<string>() == label))
                    .Select(i => (JsonNode)i.DeepClone()).ToArray()));
            }
            var body = request.Body is { Length: > 0 } text ? JsonNode.Parse(text)!.AsObject() : new JsonObject();
            if (request.Method == "POST" && path == issuesPath)
            {
                var number = 41L + issues.Count;
                var issue = new JsonObject
                {
                    ["id"] = 1000 + number, ["number"] = number, ["state"] = "open",
                    ["title"] = body["title"]?.GetValue<string>(), ["body"] = body["body"]?.GetValue<string>(),
                    ["labels"] = new JsonArray((body["labels"]?.AsArray() ?? []).Select(x => (JsonNode)new JsonObject { ["name"] = x!.GetValue<string>() }).ToArray()),
                    ["html_url"] = FakeGitHub.IssueUrl(number), ["url"] = $"{BaseUrl}/api/v3/repos/acme/robodj/issues/{number}",
                };
                issues.Add(issue);
                return Json(201, issue.DeepClone());
            }
            if (path.StartsWith(issuesPath + "/", StringComparison.Ordinal) && long.TryParse(path[(issuesPath.Length + 1)..].Split('/')[0], out var n)
                && issues.FirstOrDefault(i => i["number"]!.GetValue<long>() == n) is { } found)
            {
                if (request.Method == "POST" && path.EndsWith("/comments", StringComparison.Ordinal))
                    return Json(201, new JsonObject { ["id"] = 9000 + Writes.Count, ["body"] = body["body"]?.GetValue<string>(), ["html_url"] = FakeGitHub.IssueUrl(n) });
                if (request.Method == "PATCH")
                {
                    foreach (var key in new[] { "body", "state" })
                        if (body[key] is { } value) found[key] = value.DeepClone();
                    return Json(200, found.DeepClone());
                }
            }
            return Json(404, new JsonObject { ["message"] = "Not Found" });
        }
    }

    static ResponseMessage Json(int status, JsonNode body) => FakeGitHub.Json(status, body);

    public void Dispose() => server.Stop();
}
