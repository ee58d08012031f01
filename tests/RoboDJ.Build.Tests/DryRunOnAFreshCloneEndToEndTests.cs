using System.Net;
using System.Net.Sockets;
using RoboDJ.Build.Tests.GitHub;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>A dry run where no sandbox exists yet creates nothing, starts nothing, and still previews the whole plan.</summary>
public sealed class DryRunOnAFreshCloneEndToEndTests
{
    [Fact]
    public async Task A_dry_run_on_a_fresh_clone_creates_no_sandbox_starts_no_app_and_previews_every_target()
    {
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var webhook = new FakeChatWebhook();
        using var run = new GitHubRunSetup(build, gitHub, webhook);
        run.Configure("sandbox", "log", "github", "webhook");
        var port = LoopbackPorts.Free();
        var before = Directory.EnumerateFileSystemEntries(build.Root, "*", SearchOption.AllDirectories).Order().ToList();
        var previewsBefore = Previews();

        var result = await build.RunAsync(["Rotate", "--env", "sandbox", "--dry-run", "--sandbox-port", port.ToString()],
            new Dictionary<string, string> { ["GITHUB_TOKEN"] = gitHub.Token, ["WEBHOOK_URL"] = webhook.Url });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("would create a sandbox deployment in", result.Output);
        Assert.Contains("would snapshot", result.Output);
        Assert.Contains("would write V1", result.Output);
        Assert.Contains("nothing was changed", result.Output);
        Assert.Contains("Dry run: a real run would make 8 change(s)", result.Output);
        Assert.Empty(gitHub.Requests);
        Assert.Empty(webhook.Bodies);
        Assert.False(Directory.Exists(Path.Combine(build.Root, ".nuke", "temp", "sandbox")), "the dry run created the sandbox");
        // The build's own log is the only thing a dry run may add.
        var logs = Path.Combine(build.Root, ".nuke", "temp", "logs");
        var added = Directory.EnumerateFileSystemEntries(build.Root, "*", SearchOption.AllDirectories).Except(before)
            .Where(p => p != Path.GetDirectoryName(logs) && !p.StartsWith(logs, StringComparison.Ordinal)).ToList();
        Assert.Empty(added);
        Assert.Equal(previewsBefore, Previews());
        Assert.False(LoopbackPorts.Listens(port), $"something listens on the sandbox port {port} after the dry run");
        Assert.Empty(DeploymentCensus.ProcessesMentioning(build.Root));
    }

    static List<string> Previews() => Directory.EnumerateDirectories(Path.GetTempPath(), "robodj-dry-run-*").Order().ToList();

}
