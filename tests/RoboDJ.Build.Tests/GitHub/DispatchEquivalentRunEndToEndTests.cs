using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Sandbox;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// `GITHUB_ACTIONS=true ./build.sh Rotate --env sandbox` with a fake GitHub and a fake chat webhook on 127.0.0.1: what a
/// dispatched rotate-keys job does, checked request by request, in the job summary, and for canaries everywhere.
/// </summary>
public sealed class DispatchEquivalentRunEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] more) => [.. more, "--env", "sandbox", "--deployment-root", site.Root];

    static readonly SandboxDeploymentOptions WithBroadcastInWindow = new() { Broadcasts = [new SandboxBroadcast("Morning news", TimeSpan.FromMinutes(3))] };

    [Fact]
    public async Task A_sandbox_rotation_announces_on_GitHub_and_the_webhook_then_comments_the_outcome_closes_the_issue_and_writes_the_summary()
    {
        await using var site = await SandboxSite.CreateAsync(options: WithBroadcastInWindow);
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var webhook = new FakeChatWebhook();
        using var run = new GitHubRunSetup(build, gitHub, webhook);
        run.Configure("sandbox", "log", "github", "webhook");
        var before = await site.KeysAsync();

        var result = await build.RunAsync(Args(site, "Rotate"), run.Environment(site));

        Assert.True(result.ExitCode == 0, result.ToString());
        var after = await site.KeysAsync();
        Assert.Equal(before.Primary, after.Secondary);

        // The exact requests: the announcement issue with its labels, the outcome comment on it, and the close.
        var first = FakeGitHub.FirstIssue;
        Assert.Equal(
            [$"POST {FakeGitHub.ApiPath("issues")}", $"POST {FakeGitHub.ApiPath($"issues/{first}/comments")}", $"PATCH {FakeGitHub.ApiPath($"issues/{first}")}"],
            gitHub.Requests.Select(r => r.ToString()));
        var issue = gitHub.Requests[0].Json;
        Assert.Matches(@"^Key rotation: sandbox, \d\d:\d\d–\d\d:\d\d UTC$", issue["title"]!.GetValue<string>());
        Assert.Equal(["key-rotation", "ops"], issue["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        var body = issue["body"]!.GetValue<string>();
        Assert.Contains(before.Primary!.Fingerprint.ToString(), body);
        Assert.Contains("Morning news", body);
        var comment = gitHub.Requests[1].Json["body"]!.GetValue<string>();
        Assert.Contains("**Outcome: succeeded.**", comment);
        Assert.Contains(after.Primary!.Fingerprint.ToString(), comment);
        Assert.Equal("closed", gitHub.Requests[2].Json["state"]!.GetValue<string>());

        // The webhook: the notice, then the outcome.
        Assert.Equal(2, webhook.Texts.Count);
        Assert.StartsWith("Key rotation: sandbox, ", webhook.Texts[0]);
        Assert.Contains("Key rotation of sandbox: succeeded.", webhook.Texts[1]);

        // The journal knows the issue, for a later Resume or Rollback.
        var journal = Assert.Single(RotationJournal.All(site.Paths.KeyRotation));
        Assert.Equal(first.ToString(), journal.Fact(KeyRotationWorkflow.AnnouncementIssueFact));

        // The job summary: outcome, table, plan graph, fingerprints, census, the issue link.
        var summary = run.Summary;
        Assert.Contains("**Outcome:**", summary);
        Assert.Contains("| Target | Status | Duration | Note |", summary);
        Assert.Contains("| Verify | ✅", summary);
        Assert.Contains("```mermaid", summary);
        Assert.Contains("### Keys", summary);
        Assert.Contains($"`{before.Primary.Fingerprint}`", summary);
        Assert.Contains($"`{after.Primary.Fingerprint}`", summary);
        Assert.Contains("### Census before the rotation", summary);
        Assert.Contains($"({FakeGitHub.IssueUrl(first)})", summary);

        // ::add-mask:: for the keys, the token and the password comes before any other output.
        var lines = result.Output.Split('\n', StringSplitOptions.TrimEntries);
        var masks = lines.TakeWhile(l => l.StartsWith("::add-mask::")).Select(l => l["::add-mask::".Length..]).ToList();
        Assert.True(masks.Count >= 4, result.ToString());
        foreach (var secret in new[] { before.Primary.Text, before.Secondary!.Text, gitHub.Token, site.Deployment.DashboardPassword })
            Assert.Contains(secret, masks);
        Assert.Contains(lines, l => l == "::add-mask::" + after.Primary.Text);

        // No canary anywhere, bar .env and the snapshot.
        var canaries = site.Canaries.Concat([after.Primary.Text, gitHub.Token, webhook.Url]).ToList();
        var outputWithoutMasks = string.Join("\n", lines.Where(l => !l.StartsWith("::add-mask::")));
        Canary.AssertAbsent(outputWithoutMasks, canaries, "the build's output");
        Canary.AssertAbsent(summary, canaries, "the job summary");
        Canary.AssertAbsent(string.Join("\n", gitHub.Requests.Select(r => r.Body)), canaries, "the GitHub request bodies");
        Canary.AssertAbsent(string.Join("\n", webhook.Bodies), canaries, "the webhook bodies");
        Canary.AssertAbsent(run.Logs, canaries, "the log files");
        site.AssertCanariesOnlyInKeyFiles(canaries);
        Canary.AssertAbsentFromTree(build.Root, canaries);
    }

    [Fact]
    public async Task An_injected_Verify_failure_opens_an_incident_with_the_postmortem_and_comments_the_rollback_without_closing()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var run = new GitHubRunSetup(build, gitHub);
        run.Configure("sandbox", "log", "github");

        var result = await build.RunAsync(Args(site, "Rotate"),
            run.Environment(site, ("ROBODJ_TEST_HOOKS", "1"), ("ROBODJ_TEST_FAIL_TARGET", "Verify")));

        Assert.True(result.ExitCode == 4, result.ToString());
        var announcement = FakeGitHub.FirstIssue;
        var incident = announcement + 1;
        Assert.Equal(
            [$"POST {FakeGitHub.ApiPath("issues")}", $"POST {FakeGitHub.ApiPath("issues")}", $"POST {FakeGitHub.ApiPath($"issues/{announcement}/comments")}"],
            gitHub.Requests.Select(r => r.ToString()));
        var opened = gitHub.Requests[1].Json;
        Assert.Equal(["incident"], opened["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.StartsWith("Incident: key rotation of sandbox failed and was rolled back", opened["title"]!.GetValue<string>());
        var postmortem = Assert.Single(Directory.GetFiles(site.Paths.Incidents, "*.md"));
        Assert.Equal(File.ReadAllText(postmortem).ReplaceLineEndings("\n").Trim(), opened["body"]!.GetValue<string>().ReplaceLineEndings("\n").Trim());
        var comment = gitHub.Requests[2].Json["body"]!.GetValue<string>();
        Assert.Contains("**Outcome: failed, rolled back cleanly.**", comment);
        Assert.Contains("Verify failed", comment);
        Assert.Contains(FakeGitHub.IssueUrl(incident), comment);
        Assert.Contains($"({FakeGitHub.IssueUrl(incident)})", run.Summary);
        Assert.Contains("| Rollback | ✅", run.Summary);

        var canaries = site.Canaries.Concat([gitHub.Token]).ToList();
        Canary.AssertAbsent(string.Join("\n", gitHub.Requests.Select(r => r.Body)), canaries, "the GitHub request bodies");
        Canary.AssertAbsent(run.Summary, canaries, "the job summary");
    }
    [Fact]
    public async Task Outside_production_a_GitHub_outage_is_a_warning_and_the_rotation_goes_on()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var run = new GitHubRunSetup(build, gitHub);
        run.Configure("sandbox", "log", "github");
        gitHub.FailWith(500, "Server Error");
        var before = await site.KeysAsync();

        var result = await build.RunAsync(Args(site, "Rotate"), run.Environment(site));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before.Primary, (await site.KeysAsync()).Secondary);
        Assert.Contains("::warning::", result.Output);
        Assert.Contains("github-issue", result.Output);
        Assert.Contains("going on, as this environment allows", result.Output);
        // Nothing was announced on GitHub, so there is no issue to comment on at the end.
        Assert.Equal([$"POST {FakeGitHub.ApiPath("issues")}"], gitHub.Requests.Select(r => r.ToString()));
        Assert.Null(Assert.Single(RotationJournal.All(site.Paths.KeyRotation)).Fact(KeyRotationWorkflow.AnnouncementIssueFact));
    }
}
