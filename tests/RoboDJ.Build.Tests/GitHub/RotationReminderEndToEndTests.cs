using System.Text.Json.Nodes;
using RoboDJ.KeyRotation.Status;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>`Remind` as the scheduled production job runs it: one reminder issue across daily runs, then closed.</summary>
public sealed class RotationReminderEndToEndTests
{
    [Fact]
    public async Task Daily_runs_while_V1_is_overdue_keep_one_reminder_issue_and_a_run_after_the_rotation_closes_it()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        Assert.Equal(0, (await build.RunAsync(["Rotate", "--env", "sandbox", "--deployment-root", site.Root])).ExitCode);
        var keys = await site.KeysAsync();
        var parameters = Path.Combine(build.Root, ".nuke", "parameters.sandbox.json");
        var json = File.Exists(parameters) ? JsonNode.Parse(File.ReadAllText(parameters))!.AsObject() : new JsonObject();
        json["GitHubRepository"] = "acme/robodj";
        json["GitHubBaseUrl"] = gitHub.BaseUrl;
        File.WriteAllText(parameters, json.ToJsonString());
        var env = new Dictionary<string, string> { ["GITHUB_TOKEN"] = gitHub.Token };
        string[] Remind(int maxKeyAge) => ["Remind", "--env", "sandbox", "--deployment-root", site.Root, "--max-key-age", maxKeyAge.ToString()];
        var before = site.Hashes();

        var first = await build.RunAsync(Remind(0), env);
        var second = await build.RunAsync(Remind(0), env);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("opened reminder issue #41", first.Output);
        Assert.Contains("updated reminder issue #41", second.Output);
        var issue = Assert.Single(gitHub.Issues);
        Assert.Equal(RotationReminder.Title("sandbox"), issue["title"]!.GetValue<string>());
        Assert.Contains(RotationReminder.Label, issue["labels"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        var body = issue["body"]!.GetValue<string>();
        Assert.Contains($"{gitHub.BaseUrl}/acme/robodj/actions/workflows/rotate-keys.yml", body);
        Assert.Contains(keys.Primary!.Fingerprint.ToString(), body);
        Assert.Equal(before, site.Hashes());

        var within = await build.RunAsync(Remind(90), env);

        Assert.True(within.ExitCode == 0, within.ToString());
        Assert.Contains("closed reminder issue #41", within.Output);
        Assert.Equal("closed", Assert.Single(gitHub.Issues)["state"]!.GetValue<string>());
        Assert.Equal(["POST /api/v3/repos/acme/robodj/issues", "PATCH /api/v3/repos/acme/robodj/issues/41",
            "POST /api/v3/repos/acme/robodj/issues/41/comments", "PATCH /api/v3/repos/acme/robodj/issues/41"], gitHub.Writes.Select(w => w.ToString()));
        var canaries = site.Canaries.Concat([keys.Primary.Text, gitHub.Token]).ToList();
        foreach (var output in new[] { first.Output, second.Output, within.Output, body }) Canary.AssertAbsent(output, canaries, "Remind's output and issue");
    }
}
