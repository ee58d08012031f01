using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// --store github-repository as a dispatched job sets it up: the repository and base URL from the env's parameters file,
/// GITHUB_TOKEN, and ROBODJ_ENV and the current keys (ROBODJ_SECRET_KEY/ROBODJ_SECRET_V2_KEY) from the job's environment.
/// A dry run reaches GitHub only to read the public key, and describes the two sealed writes and the .env write by fingerprint.
/// </summary>
public sealed class GitHubStoreWiringEndToEndTests
{
    [Fact]
    public async Task A_dry_run_against_repository_secrets_reads_the_public_key_and_describes_the_writes_by_fingerprint()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var run = new GitHubRunSetup(build, gitHub);
        run.Configure("sandbox", "log");
        var keys = await site.KeysAsync();
        var before = site.Hashes("robodj.pid", "config/logs/startup_safety_events.jsonl");

        var result = await build.RunAsync(["Rotate", "--dry-run", "--env", "sandbox", "--deployment-root", site.Root, "--store", "github-repository"],
            run.Environment(site, ("ROBODJ_ENV", "sandbox"), ("ROBODJ_SECRET_KEY", keys.Primary!.Text), ("ROBODJ_SECRET_V2_KEY", keys.Secondary!.Text)));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"GET {FakeGitHub.ApiPath("actions/secrets/public-key")}"], gitHub.Requests.Select(r => r.ToString()).Distinct());
        Assert.Contains($"would write ROBODJ_SECRET_V2_KEY = {keys.Primary.Fingerprint}", result.Output);
        Assert.Contains($"github-repository {FakeGitHub.Owner}/{FakeGitHub.Repo}", result.Output);
        // The delivery to the deployment's .env, which the app reads, is described too, and not done.
        Assert.Contains($"then would write V1 ", result.Output);
        Assert.Contains($"V2 {keys.Primary.Fingerprint} to {site.Paths.DotEnv}, which the app reads at start", result.Output);
        Assert.Equal(before, site.Hashes("robodj.pid", "config/logs/startup_safety_events.jsonl"));
        Canary.AssertAbsent(string.Join("\n", result.Output.Split('\n').Where(l => !l.StartsWith("::add-mask::"))),
            site.Canaries.Append(gitHub.Token), "the build's output");
    }

    [Fact]
    public async Task Without_GITHUB_TOKEN_a_GitHub_store_is_refused_with_the_variable_to_set()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        using var build = new BuildProcess();
        using var gitHub = FakeGitHub.Stateful();
        using var run = new GitHubRunSetup(build, gitHub);
        run.Configure("sandbox", "log");
        var env = run.Environment(site);
        env.Remove("GITHUB_TOKEN");
        env["GITHUB_TOKEN"] = "";

        var result = await build.RunAsync(["Rotate", "--dry-run", "--env", "sandbox", "--deployment-root", site.Root, "--store", "github-repository"], env);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("GITHUB_TOKEN is not set", result.Output);
        Assert.Empty(gitHub.Requests);
    }
}
