using RoboDJ.Build.Tests.GitHub;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// The whole plan under --dry-run against a live deployment, with every channel on: the tree (bytes, modes, mtimes),
/// the process table and the fake GitHub and webhook are as they were, and the preview names each change a real run
/// would make. Then the same for a Rollback by hand after a real rotation.
/// </summary>
public sealed class DryRunOnAnExistingDeploymentEndToEndTests
{
    [Fact]
    public async Task A_dry_run_of_the_rotation_and_of_a_rollback_changes_nothing_and_previews_every_change()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var webhook = new FakeChatWebhook();
        using var run = new GitHubRunSetup(build, gitHub, webhook);
        run.Configure("sandbox", "log", "github", "webhook");
        string[] Args(string target) => [target, "--env", "sandbox", "--deployment-root", site.Root, "--dry-run"];
        // What a write killed half-way leaves beside .env: a real run shreds it under the lock, a dry run only says so.
        var leftover = Path.Combine(site.Root, $"..env.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(leftover, "ROBODJ_SECRET_KEY=half-written\n");

        await AssertDryRunChangesNothingAsync(site, build, run, Args("Rotate"),
            ["Preflight: [files] would take the rotation lock", $"Preflight: [files] would overwrite and remove 1 temp file(s) a killed write left: {Path.GetFileName(leftover)}", "Announce: [github] would announce on log, github-issue, webhook",
             "Snapshot: [files] would snapshot", "Stop: [http] would have the app save its config under the current keys", "Stop: [process] would stop", "Rotate: [files] would write V1", "Start: [process] would run",
             "Verify: [http] would wait for"]);

        var rotation = await build.RunAsync(["Rotate", "--env", "sandbox", "--deployment-root", site.Root], run.Environment(site));
        Assert.True(rotation.ExitCode == 0, rotation.ToString());
        Assert.False(File.Exists(leftover), "the real run left the killed write's temp file");
        var requestsAfterTheRotation = gitHub.Requests.Count;
        var postsAfterTheRotation = webhook.Bodies.Count;

        await AssertDryRunChangesNothingAsync(site, build, run, Args("Rollback"), ["Rollback: [process] would stop desktop app", "would restore"],
            requestsBefore: requestsAfterTheRotation, postsBefore: postsAfterTheRotation);
    }

    static async Task AssertDryRunChangesNothingAsync(SandboxSite site, BuildProcess build, GitHubRunSetup run, string[] args,
        string[] expectedChanges, int requestsBefore = 0, int postsBefore = 0)
    {
        var tree = DeploymentCensus.Tree(site.Root);
        var processes = DeploymentCensus.ProcessesMentioning(site.Root);
        Assert.NotEmpty(RunningApp.AppPids(site));

        var result = await build.RunAsync(args, run.Environment(site, ("COLUMNS", "1000")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("[dry run: nothing was changed]", result.Output);
        Assert.Contains("none was made", result.Output);
        var preview = Preview(run.Logs);
        foreach (var change in expectedChanges) Assert.True(preview.Contains(change, StringComparison.Ordinal), $"'{change}' not in the preview:\n{preview}");
        Assert.Equal(tree, DeploymentCensus.Tree(site.Root));
        Assert.Equal(processes, DeploymentCensus.ProcessesMentioning(site.Root));
        Assert.Equal(requestsBefore, run.GitHub.Requests.Count);
        Assert.Equal(postsBefore, run.Webhook!.Bodies.Count);
        site.AssertCanariesOnlyInKeyFiles(site.Canaries);
        // Under Actions the ::add-mask:: lines name each secret so that the runner hides it: the only place one may appear.
        var output = string.Join("\n", result.Output.Split('\n').Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)));
        foreach (var canary in site.Canaries) Assert.DoesNotContain(canary, output + run.Logs);
    }

    /// <summary>The full record, which the CLEF log holds one event per change (the console has one line, each change being its target's note).</summary>
    static string Preview(string clef) => string.Join("\n", clef.Split('\n')
        .Where(line => line.Contains("\"Dry run, change {Number} of {Count}: {Target} [{Kind}] {Change}\"", StringComparison.Ordinal))
        .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
        .Select(e => $"{e.GetProperty("Number")}. {e.GetProperty("Target").GetString()}: [{e.GetProperty("Kind").GetString()}] {e.GetProperty("Change").GetString()}"));
}
