using RoboDJ.KeyRotation.Journal;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>The build as a process against a sandbox deployment with its app running: the README's main job.</summary>
public sealed class SandboxRotationEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] more) => [.. more, "--env", "sandbox", "--deployment-root", site.Root];

    [Fact]
    public async Task Two_rotations_in_a_row_keep_every_field_and_rewrap_the_ones_that_started_under_V2()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = await site.KeysAsync();
        var total = (await site.CensusAsync()).Total;
        Assert.True((await site.CensusAsync()).UnderSecondary > 0);
        var outputs = new List<string>();

        var first = await build.RunAsync(Args(site, "Rotate"));
        outputs.Add(first.Output);
        Assert.True(first.ExitCode == 0, first.ToString());
        var once = await site.KeysAsync();
        Assert.Equal(original.Primary, once.Secondary);
        Assert.Equal(total, (await site.CensusAsync()).UnderPrimary);

        var second = await build.RunAsync(Args(site, "Rotate"));
        outputs.Add(second.Output);
        Assert.True(second.ExitCode == 0, second.ToString());
        var twice = await site.KeysAsync();
        Assert.Equal(once.Primary, twice.Secondary);
        // The fields that started under the original V2 are two keys away now: only a rewrap kept them.
        var census = await site.CensusAsync();
        Assert.Equal(total, census.UnderPrimary);
        Assert.Empty(census.Undecryptable);
        Assert.True(await site.IsRunningAsync());

        Assert.Contains("Build succeeded", second.Output);
        Assert.Equal(2, RotationJournal.All(site.Paths.KeyRotation).Count(j => j.IsFinished));
        var canaries = site.Canaries.Concat([once.Primary!.Text, twice.Primary!.Text]).ToList();
        foreach (var output in outputs) Canary.AssertAbsent(output, canaries, "the build's output");
        site.AssertCanariesOnlyInKeyFiles(canaries);
        Canary.AssertAbsentFromTree(build.Root, canaries);
    }

    [Fact]
    public async Task A_dry_run_changes_no_byte_of_the_deployment_and_stops_nothing()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var before = site.Hashes();
        var pid = File.ReadAllText(Path.Combine(site.Root, "robodj.pid")).Trim();

        var result = await build.RunAsync(Args(site, "Rotate", "--dry-run"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before, site.Hashes());
        Assert.Equal(pid, File.ReadAllText(Path.Combine(site.Root, "robodj.pid")).Trim());
        Assert.True(await site.IsRunningAsync());
        Assert.Contains("would stop", result.Output);
        Assert.Contains("would write V1", result.Output);
        Assert.Contains("would rewrap", result.Output);
        Assert.Contains("would snapshot", result.Output);
        Canary.AssertAbsent(result.Output, site.Canaries, "the dry run's output");
    }

    [Theory]
    [InlineData("Stop")]
    [InlineData("Rotate")]
    [InlineData("Start")]
    [InlineData("Verify")]
    public async Task A_failure_from_Stop_on_rolls_back_to_the_original_keys_and_config_with_the_app_running(string target)
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = site.KeyAndConfigHashes();
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_FAIL_TARGET"] = target };

        var result = await build.RunAsync(Args(site, "Rotate"), hooks);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(original, site.KeyAndConfigHashes());
        Assert.True(await site.IsRunningAsync());
        var postmortem = Assert.Single(Directory.GetFiles(site.Paths.Incidents, "*.md"));
        Assert.Contains($"**Failed target:** {target}", File.ReadAllText(postmortem));
        var verify = await build.RunAsync(Args(site, "Verify"));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Canary.AssertAbsent(result.Output + verify.Output + File.ReadAllText(postmortem), site.Canaries, "output and postmortem");
    }

    [Fact]
    public async Task SIGTERM_after_the_shift_rolls_back_and_exits_130()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = site.KeyAndConfigHashes();
        // The 7th journal line is the shift's end: the keys are shifted and the app is down when the signal arrives.
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = "7" };

        var result = await build.RunAsync(Args(site, "Rotate"), hooks, during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => RotationJournal.FindUnfinished(site.Paths.KeyRotation) is { Entries.Count: >= 7 })) return;
            using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString()])!;
            await kill.WaitForExitAsync();
        });

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Equal(original, site.KeyAndConfigHashes());
        Assert.True(await site.IsRunningAsync());
        Assert.Single(Directory.GetFiles(site.Paths.Incidents, "*.md"));
        Assert.Null(RotationJournal.FindUnfinished(site.Paths.KeyRotation));
    }

    [Fact]
    public async Task Verify_alone_fails_when_the_app_is_down()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        await site.Runtime().StopAsync(CancellationToken.None);
        var result = await build.RunAsync(Args(site, "Verify"));
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("is not running", result.Output);
    }

    [Fact]
    public async Task Rollback_alone_restores_the_last_rotation()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = site.KeyAndConfigHashes();
        Assert.Equal(0, (await build.RunAsync(Args(site, "Rotate"))).ExitCode);
        Assert.NotEqual(original, site.KeyAndConfigHashes());

        var rollback = await build.RunAsync(Args(site, "Rollback"));

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(original, site.KeyAndConfigHashes());
        Assert.True(await site.IsRunningAsync());
    }
}
