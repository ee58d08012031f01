using System.Text.Json.Nodes;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// What a dispatched rotate-keys job gives the build, pointed at fakes: GITHUB_ACTIONS, a step summary file, the token,
/// the dashboard password and the webhook URL as the workflow maps them from secrets, and an env's parameters file that
/// names the fake GitHub.
/// </summary>
public sealed class GitHubRunSetup : IDisposable
{
    readonly TempDir temp = new("robodj-actions");

    public GitHubRunSetup(BuildProcess build, FakeGitHub gitHub, FakeChatWebhook? webhook = null)
    {
        Build = build;
        GitHub = gitHub;
        Webhook = webhook;
        SummaryPath = temp.Combine("step_summary.md");
        File.WriteAllText(SummaryPath, "");
    }

    public BuildProcess Build { get; }
    public FakeGitHub GitHub { get; }
    public FakeChatWebhook? Webhook { get; }
    public string SummaryPath { get; }
    public string Summary => File.ReadAllText(SummaryPath);

    public Dictionary<string, string> Environment(SandboxSite site, params (string Name, string Value)[] more)
    {
        var env = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = SummaryPath,
            ["GITHUB_TOKEN"] = GitHub.Token,
            ["DASHBOARD_PASSWORD"] = site.Deployment.DashboardPassword,
        };
        if (Webhook is not null) env["WEBHOOK_URL"] = Webhook.Url;
        foreach (var (name, value) in more) env[name] = value;
        return env;
    }

    /// <summary>Adds the GitHub settings (and the channels) to the build root's .nuke/parameters.&lt;env&gt;.json.</summary>
    public void Configure(string env, params string[] channels)
    {
        var path = Path.Combine(Build.Root, ".nuke", $"parameters.{env}.json");
        var json = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : new JsonObject();
        json["GitHubRepository"] = $"{FakeGitHub.Owner}/{FakeGitHub.Repo}";
        json["GitHubBaseUrl"] = GitHub.BaseUrl;
        json["GitHubLabels"] = new JsonArray("key-rotation", "ops");
        json["AnnounceChannels"] = new JsonArray(channels.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
        File.WriteAllText(path, json.ToJsonString());
    }

    /// <summary>Production laid out like the sandbox (desktop runtime, dotenv store), for the production rules.</summary>
    public void ConfigureProductionLikeSandbox(params string[] channels)
    {
        var path = Path.Combine(Build.Root, ".nuke", "parameters.production.json");
        File.WriteAllText(path, new JsonObject
        {
            ["Runtime"] = "desktop",
            ["Store"] = "dotenv",
            ["Launcher"] = "RoboDJ_Launcher.sh",
            ["PidFile"] = "robodj.pid",
            ["LauncherLog"] = "config/logs/launcher.log",
            ["StopTimeout"] = 10,
        }.ToJsonString());
        Configure("production", channels);
    }

    /// <summary>Everything the run wrote outside the deployment: the CLEF logs.</summary>
    public string Logs => string.Concat(Directory.GetFiles(Path.Combine(Build.Root, ".nuke", "temp", "logs"), "*", SearchOption.AllDirectories).Select(File.ReadAllText));

    public void Dispose() => temp.Dispose();
}
