using System.Text.Json;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Secrets;

namespace RoboDJ.Build.Tests.GitHub;

/// <summary>
/// --store github-environment for real against the stateful fake GitHub and the running sandbox app: the new keys go to
/// the environment's secrets (sealed, opened here with the fake's private key as only GitHub could) and to the
/// deployment's .env, which the app reads at start. Both sides, and the app's own PASS line, must name the same V1.
/// </summary>
public sealed class GitHubEnvironmentStoreEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] more) =>
        [.. more, "--env", "sandbox", "--deployment-root", site.Root, "--store", "github-environment"];

    /// <summary>A running sandbox, a build, the stateful fake GitHub and the job set-up; disposed together.</summary>
    sealed class Arranged(SandboxSite site, BuildProcess build, FakeGitHub gitHub, GitHubRunSetup run, KeySlots keys) : IAsyncDisposable
    {
        public void Deconstruct(out SandboxSite s, out BuildProcess b, out FakeGitHub g, out GitHubRunSetup r, out KeySlots k) =>
            (s, b, g, r, k) = (site, build, gitHub, run, keys);

        public async ValueTask DisposeAsync()
        {
            run.Dispose();
            gitHub.Dispose();
            build.Dispose();
            await site.DisposeAsync();
        }
    }

    static async Task<Arranged> ArrangeAsync()
    {
        var site = await SandboxSite.CreateAsync();
        var build = new BuildProcess();
        var gitHub = FakeGitHub.Stateful();
        var run = new GitHubRunSetup(build, gitHub);
        run.Configure("sandbox", "log");
        return new Arranged(site, build, gitHub, run, await site.KeysAsync());
    }

    /// <summary>The job's mapping of the environment's secrets, as rotate-keys.yml gives it; ROBODJ_ENV comes from .env.</summary>
    static Dictionary<string, string> JobEnvironment(GitHubRunSetup run, SandboxSite site, KeySlots keys, params (string, string)[] more) =>
        run.Environment(site, [(KeySlots.PrimaryName, keys.Primary!.Text), (KeySlots.SecondaryName, keys.Secondary!.Text), .. more]);

    static string LastPassV1(SandboxSite site)
    {
        var pass = File.ReadLines(site.Paths.StartupLog).Last(l => l.Contains("Key presence/integrity check: PASS"));
        using var line = JsonDocument.Parse(pass);
        return line.RootElement.GetProperty("v1").GetString()!;
    }

    static string OutputWithoutMasks(BuildProcess.Result result) =>
        string.Join("\n", result.Output.Split('\n').Where(l => !l.StartsWith("::add-mask::")));

    [Fact]
    public async Task A_rotation_writes_the_new_keys_sealed_to_the_environment_and_to_the_env_file_the_app_starts_on()
    {
        await using var arranged = await ArrangeAsync();
        var (site, build, gitHub, run, old) = arranged;

        var result = await build.RunAsync(Args(site, "Rotate"), JobEnvironment(run, site, old));

        Assert.True(result.ExitCode == 0, result.ToString());
        var delivered = await site.KeysAsync();
        Assert.Equal(old.Primary, delivered.Secondary);
        Assert.NotEqual(old.Primary, delivered.Primary);
        Assert.Equal(delivered.Primary!.Text, gitHub.OpenSecret("sandbox", KeySlots.PrimaryName));
        Assert.Equal(old.Primary!.Text, gitHub.OpenSecret("sandbox", KeySlots.SecondaryName));
        Assert.Null(gitHub.OpenSecret(null, KeySlots.PrimaryName)); // the environment's, not the repository's
        Assert.Equal(delivered.Primary.Fingerprint.ToString(), LastPassV1(site));
        Assert.Equal((await site.CensusAsync()).Total, (await site.CensusAsync()).UnderPrimary);
        Assert.True(await site.IsRunningAsync());
        // GitHub first (V2, then V1), then .env: the secrets are the source of truth.
        var puts = gitHub.Requests.Where(r => r.Method == "PUT").Select(r => r.Path).ToList();
        Assert.Equal([FakeGitHub.ApiPath("environments/sandbox/secrets/ROBODJ_SECRET_V2_KEY"), FakeGitHub.ApiPath("environments/sandbox/secrets/ROBODJ_SECRET_KEY")], puts);

        var canaries = site.Canaries.Append(delivered.Primary.Text).Append(gitHub.Token).ToList();
        Canary.AssertAbsent(OutputWithoutMasks(result), canaries, "the build's output");
        Canary.AssertAbsent(string.Join("\n", gitHub.Requests.Select(r => r.Body)), canaries, "the GitHub request bodies");
        Canary.AssertAbsent(run.Logs + run.Summary, canaries, "the CLEF logs and the job summary");
    }

    [Fact]
    public async Task A_failed_Verify_rolls_back_both_the_environment_secrets_and_the_env_file_to_the_old_keys()
    {
        await using var arranged = await ArrangeAsync();
        var (site, build, gitHub, run, old) = arranged;
        var original = site.KeyAndConfigHashes();

        var result = await build.RunAsync(Args(site, "Rotate"),
            JobEnvironment(run, site, old, ("ROBODJ_TEST_HOOKS", "1"), ("ROBODJ_TEST_FAIL_TARGET", "Verify")));

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(original, site.KeyAndConfigHashes());
        Assert.Equal(old.Primary!.Text, gitHub.OpenSecret("sandbox", KeySlots.PrimaryName));
        Assert.Equal(old.Secondary!.Text, gitHub.OpenSecret("sandbox", KeySlots.SecondaryName));
        Assert.Equal(old.Primary.Fingerprint.ToString(), LastPassV1(site));
        Assert.True(await site.IsRunningAsync());
        // Two writes of each secret: the rotation's, then the rollback's.
        Assert.Equal(4, gitHub.Requests.Count(r => r.Method == "PUT"));

        Canary.AssertAbsent(OutputWithoutMasks(result), site.Canaries.Append(gitHub.Token), "the build's output");
        Canary.AssertAbsent(string.Join("\n", gitHub.Requests.Select(r => r.Body)), site.Canaries, "the GitHub request bodies");
    }

    [Fact]
    public async Task Preflight_refuses_when_the_job_mapping_and_the_env_file_disagree_naming_both_fingerprints()
    {
        await using var arranged = await ArrangeAsync();
        var (site, build, gitHub, run, old) = arranged;
        var other = FernetKey.Generate();
        var before = site.Hashes("config/logs/startup_safety_events.jsonl");

        var result = await build.RunAsync(Args(site, "Rotate"), JobEnvironment(run, site, new KeySlots(other, old.Primary)));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"V1 {other.Fingerprint}, V2 {old.Primary!.Fingerprint}", result.Output);
        Assert.Contains($"V1 {old.Primary.Fingerprint}, V2 {old.Secondary!.Fingerprint}", result.Output);
        Assert.DoesNotContain(gitHub.Requests, r => r.Method == "PUT");
        Assert.Equal(before, site.Hashes("config/logs/startup_safety_events.jsonl"));
        Canary.AssertAbsent(OutputWithoutMasks(result), site.Canaries.Append(other.Text), "the build's output");
    }

    /// <summary>Killed right after the Shift's end line: GitHub and .env both hold the new keys, the app is down.</summary>
    static async Task<RotationJournal> KillAfterTheShiftAsync(BuildProcess build, GitHubRunSetup run, SandboxSite site, KeySlots old)
    {
        var crashed = await build.RunAsync(Args(site, "Rotate"),
            JobEnvironment(run, site, old, ("ROBODJ_TEST_HOOKS", "1"), ("ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP", "7")));
        Assert.True(crashed.ExitCode is 137 or -1 or 9, crashed.ToString());
        return RotationJournal.FindUnfinished(site.Paths.KeyRotation)!;
    }

    /// <summary>What the next job's mapping holds: the environment's secrets as GitHub has them now.</summary>
    static KeySlots MappedNow(FakeGitHub gitHub) => new(
        FernetKey.Parse(gitHub.OpenSecret("sandbox", KeySlots.PrimaryName)!, "the fake"), FernetKey.Parse(gitHub.OpenSecret("sandbox", KeySlots.SecondaryName)!, "the fake"));

    [Fact]
    public async Task Resume_after_a_crash_between_the_GitHub_and_the_env_write_shifts_again_and_writes_both_sides()
    {
        await using var arranged = await ArrangeAsync();
        var (site, build, gitHub, run, old) = arranged;
        var journal = await KillAfterTheShiftAsync(build, run, site, old);
        var onlyGitHubGot = MappedNow(gitHub);
        // The state a crash between the two writes leaves: GitHub has the new V1, .env still the old keys.
        File.Copy(Path.Combine(site.Paths.SnapshotDirectory(journal.Id), "files", ".env"), site.Paths.DotEnv, overwrite: true);

        var resumed = await build.RunAsync(Args(site, "Resume"), JobEnvironment(run, site, onlyGitHubGot));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var delivered = await site.KeysAsync();
        Assert.Equal(old.Primary, delivered.Secondary);
        Assert.NotEqual(onlyGitHubGot.Primary, delivered.Primary);
        Assert.Equal(delivered, MappedNow(gitHub));
        Assert.Equal(delivered.Primary!.Fingerprint.ToString(), LastPassV1(site));
        Assert.Equal((await site.CensusAsync()).Total, (await site.CensusAsync()).UnderPrimary);
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
        Canary.AssertAbsent(OutputWithoutMasks(resumed), site.Canaries.Append(delivered.Primary.Text).Append(onlyGitHubGot.Primary!.Text), "the build's output");
    }

    [Fact]
    public async Task A_rollback_in_a_later_job_takes_the_old_keys_from_the_snapshot_and_writes_both_sides()
    {
        await using var arranged = await ArrangeAsync();
        var (site, build, gitHub, run, old) = arranged;
        var original = site.KeyAndConfigHashes();
        await KillAfterTheShiftAsync(build, run, site, old);

        var rolledBack = await build.RunAsync(Args(site, "Rollback"), JobEnvironment(run, site, MappedNow(gitHub)));

        Assert.True(rolledBack.ExitCode == 0, rolledBack.ToString());
        Assert.Equal(original, site.KeyAndConfigHashes());
        Assert.Equal(old, MappedNow(gitHub));
        Assert.Equal(old.Primary!.Fingerprint.ToString(), LastPassV1(site));
        Assert.True(await site.IsRunningAsync());
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
    }
}
