using RoboDJ.Sandbox;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// Production may not rotate unannounced, nor over a scheduled broadcast without --allow-broadcasts: both stop in
/// Announce, before Snapshot and Stop, with exit code 3 ("refused before any change").
/// </summary>
public sealed class ProductionAnnouncementEndToEndTests
{
    static readonly SandboxDeploymentOptions Production = new() { Environment = "production" };

    static string[] Args(SandboxSite site, params string[] more) =>
        [.. more, "--env", "production", "--confirm", "production", "--deployment-root", site.Root];

    [Theory]
    [InlineData(500, "Server Error")]
    [InlineData(403, "Resource not accessible by integration")]
    public async Task A_failed_announcement_stops_production_before_anything_is_stopped(int status, string message)
    {
        await using var site = await SandboxSite.CreateAsync(options: Production);
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var run = new GitHubRunSetup(build, gitHub);
        run.ConfigureProductionLikeSandbox("log", "github");
        gitHub.FailWith(status, message);
        var before = site.Hashes("robodj.pid", "config/logs/startup_safety_events.jsonl");
        var pid = File.ReadAllText(Path.Combine(site.Root, "robodj.pid")).Trim();

        var result = await build.RunAsync(Args(site, "Rotate"), run.Environment(site));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("Announce", result.Output);
        Assert.Contains("may not rotate unannounced", result.Output);
        if (status == 403) Assert.Contains("issues: write", result.Output);
        Assert.Equal([$"POST {FakeGitHub.ApiPath("issues")}"], gitHub.Requests.Select(r => r.ToString()));
        Assert.Equal(pid, File.ReadAllText(Path.Combine(site.Root, "robodj.pid")).Trim());
        Assert.True(await site.IsRunningAsync());
        Assert.Equal(before, site.Hashes("robodj.pid", "config/logs/startup_safety_events.jsonl"));
        Assert.False(Directory.Exists(site.Paths.KeyRotation) && Directory.EnumerateFileSystemEntries(site.Paths.KeyRotation).Any());
        Canary.AssertAbsent(string.Join("\n", result.Output.Split('\n').Where(l => !l.StartsWith("::add-mask::"))), site.Canaries.Append(gitHub.Token), "the build's output");
    }

    [Fact]
    public async Task A_broadcast_inside_the_window_stops_production_unless_allowed_and_the_announcement_names_it()
    {
        await using var site = await SandboxSite.CreateAsync(options: Production with { Broadcasts = [new SandboxBroadcast("Morning news", TimeSpan.FromMinutes(3))] });
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var run = new GitHubRunSetup(build, gitHub);
        run.ConfigureProductionLikeSandbox("log", "github");

        var refused = await build.RunAsync(Args(site, "Rotate"), run.Environment(site));

        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("'Morning news'", refused.Output);
        Assert.Contains("--allow-broadcasts", refused.Output);
        Assert.Empty(gitHub.Requests);
        Assert.True(await site.IsRunningAsync());

        var allowed = await build.RunAsync(Args(site, "Rotate", "--dry-run", "--allow-broadcasts"), run.Environment(site));

        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("Morning news", allowed.Output);
        // A dry run tells no one: nothing is posted.
        Assert.Empty(gitHub.Requests);
    }
    [Fact]
    public async Task A_github_channel_that_is_not_set_up_stops_production_at_Announce_with_the_fix()
    {
        await using var site = await SandboxSite.CreateAsync(options: Production);
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var run = new GitHubRunSetup(build, gitHub);
        run.ConfigureProductionLikeSandbox("log", "github");
        var parameters = Path.Combine(build.Root, ".nuke", "parameters.production.json");
        File.WriteAllText(parameters, File.ReadAllText(parameters).Replace($"\"{FakeGitHub.Owner}/{FakeGitHub.Repo}\"", "\"\""));

        var result = await build.RunAsync(Args(site, "Rotate"), run.Environment(site));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("the github channel is not set up", result.Output);
        Assert.Contains("GitHubRepository", result.Output);
        Assert.Contains("| Announce | ❌", run.Summary);
        Assert.Empty(gitHub.Requests);
        Assert.True(await site.IsRunningAsync());
    }
}
