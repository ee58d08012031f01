using System.Text.Json;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>Each bad input stops the build with a clear error naming file and fix, and leaves every byte as it was.</summary>
public sealed class BadInputEndToEndTests
{
    static async Task<BuildProcess.Result> RotateExpectingNoChange(SandboxSite site, Action<SandboxSite> spoil, int expectedExit, params string[] args)
    {
        spoil(site);
        using var build = new BuildProcess();
        var before = site.Hashes();
        var result = await build.RunAsync(args.Length > 0 ? args : ["Rotate", "--env", "sandbox", "--deployment-root", site.Root]);
        Assert.True(result.ExitCode == expectedExit, result.ToString());
        Assert.Equal(before, site.Hashes());
        Assert.DoesNotContain("   at ", result.Output); // no stack trace
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
        return result;
    }

    static void EditEnv(SandboxSite site, Func<string, string> edit) =>
        File.WriteAllText(site.Paths.DotEnv, edit(File.ReadAllText(site.Paths.DotEnv)));

    [Fact]
    public async Task A_missing_env_file_is_named_as_such_once_with_where_the_root_came_from()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var result = await RotateExpectingNoChange(site, s => File.Delete(s.Paths.DotEnv), 3);
        Assert.Contains($"{site.Paths.DotEnv}: the deployment's .env file is missing, so its keys and ROBODJ_ENV cannot be read " +
            "(the deployment root comes from --deployment-root). Fix: restore .env from the last snapshot", result.Output);
        Assert.Contains("Preflight refused the rotation (1 problem)", result.Output);
        Assert.DoesNotContain("ROBODJ_SECRET_KEY", result.Output);
        Assert.DoesNotContain("ROBODJ_ENV is not set", result.Output);

        using var build = new BuildProcess();
        var status = await build.RunAsync(["Status", "--env", "sandbox", "--deployment-root", site.Root]);
        Assert.NotEqual(0, status.ExitCode);
        Assert.Contains($"{site.Paths.DotEnv}: the deployment's .env file is missing, so neither key can be read.", status.Output);
        // The fix names the snapshot's copy where it really is (it said snapshot/.env, a file that never exists).
        Assert.Contains("key_rotation/<rotation-id>/snapshot/files/.env", status.Output);
        Assert.Contains("key_rotation/<rotation-id>/snapshot/files/.env", result.Output);
        Assert.DoesNotContain("ROBODJ_SECRET_KEY", status.Output);
    }

    [Theory]
    [InlineData("Rotate")]
    [InlineData("Status")]
    [InlineData("Verify")]
    [InlineData("Resume")]
    [InlineData("Rollback")]
    [InlineData("RotatePhased", "--swarm-service", "robodj")]
    public async Task A_missing_deployment_folder_is_bad_input_that_names_the_folder_and_the_flag_it_came_from(params string[] target)
    {
        using var dir = new TempDir("robodj-no-deployment");
        var missing = Path.Combine(dir.Path, "srv", "robodj-staging");
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. target, "--env", "staging", "--deployment-root", missing]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: the deployment folder {missing} does not exist (the deployment root comes from --deployment-root). " +
            "Fix: give --deployment-root the folder that holds .env and config/. Nothing was created.", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(result.Stdout);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "srv")));
        Assert.False(Directory.Exists(Path.Combine(build.Root, ".nuke", "temp", "logs")) && Directory.EnumerateFiles(Path.Combine(build.Root, ".nuke", "temp", "logs")).Any());
    }

    [Fact]
    public async Task A_missing_deployment_folder_from_a_parameters_file_names_that_file_and_its_json_path()
    {
        using var dir = new TempDir("robodj-no-deployment");
        var missing = Path.Combine(dir.Path, "robodj-staging");
        using var build = new BuildProcess();
        var profile = Path.Combine(build.Root, ".nuke", "parameters.staging.json");
        File.WriteAllText(profile, File.ReadAllText(profile).Replace("/srv/robodj-staging", missing));

        var result = await build.RunAsync(["Rotate", "--env", "staging"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error: the deployment folder {missing} does not exist (the deployment root comes from .nuke/parameters.staging.json, $.DeploymentRoot). " +
            "Fix: set \"DeploymentRoot\" in .nuke/parameters.staging.json to the folder that holds .env and config/ (relative to the repository root), or give --deployment-root.", result.Stderr);
    }

    [Fact]
    public async Task A_missing_V1_is_named_with_its_fix()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var result = await RotateExpectingNoChange(site, s => EditEnv(s, t => string.Join("\n", t.Split('\n').Where(l => !l.StartsWith("ROBODJ_SECRET_KEY=")))), 3);
        Assert.Contains("ROBODJ_SECRET_KEY", result.Output);
    }

    [Fact]
    public async Task A_malformed_V2_is_named_with_its_line()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var result = await RotateExpectingNoChange(site, s => EditEnv(s, t => t.Replace("ROBODJ_SECRET_V2_KEY=", "ROBODJ_SECRET_V2_KEY=x")), 3);
        Assert.Contains("ROBODJ_SECRET_V2_KEY", result.Output);
        Assert.Contains(".env:", result.Output);
    }

    [Fact]
    public async Task A_broken_json_config_is_named_with_its_line()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var result = await RotateExpectingNoChange(site, s => File.AppendAllText(Path.Combine(s.Paths.Config, "settings.json"), "{ broken"), 3);
        Assert.Matches(@"settings\.json:\d+: it is not valid JSON", result.Output);
    }

    [Fact]
    public async Task An_active_high_impact_agent_blocks_naming_the_agent_and_its_file()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var result = await RotateExpectingNoChange(site, s =>
        {
            Directory.CreateDirectory(s.Paths.Agents);
            File.WriteAllText(Path.Combine(s.Paths.Agents, "scheduler.lock"),
                JsonSerializer.Serialize(new { agent = "playlist-scheduler", impact = "high", heartbeat = DateTimeOffset.UtcNow }));
        }, 3);
        Assert.Contains("playlist-scheduler", result.Output);
        Assert.Contains("scheduler.lock", result.Output);
    }

    [Fact]
    public async Task A_rotation_lock_held_by_another_run_blocks()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var result = await RotateExpectingNoChange(site, s =>
        {
            Directory.CreateDirectory(s.Paths.KeyRotation);
            File.WriteAllText(s.Paths.RotationLock, JsonSerializer.Serialize(
                new RotationLockInfo("github:octocat", "ci-runner-7", 4242, "sandbox", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)));
        }, 3);
        Assert.Contains("another rotation holds the lock", result.Output);
        Assert.Contains("octocat", result.Output);
    }

    [Fact]
    public async Task An_unknown_env_is_bad_input_listing_the_valid_ones()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var result = await RotateExpectingNoChange(site, _ => { }, 2, "Rotate", "--env", "qa", "--deployment-root", site.Root);
        Assert.Contains("sandbox", result.Output);
        Assert.Contains("production", result.Output);
    }

    [Fact]
    public async Task An_env_that_differs_from_the_deployments_ROBODJ_ENV_stops()
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var result = await RotateExpectingNoChange(site, _ => { }, 3, "Rotate", "--env", "staging", "--deployment-root", site.Root,
            "--runtime", "desktop", "--launcher", "RoboDJ_Launcher.sh", "--pid-file", "robodj.pid");
        Assert.Contains("ROBODJ_ENV is 'sandbox' but --env is 'staging'", result.Output);
    }

    [Fact]
    public async Task Production_without_confirm_stops_before_any_side_effect()
    {
        await using var site = await SandboxSite.CreateAsync(start: false, new RoboDJ.Sandbox.SandboxDeploymentOptions { Environment = "production" });
        string[] production = ["Rotate", "--env", "production", "--deployment-root", site.Root, "--runtime", "desktop", "--launcher", "RoboDJ_Launcher.sh", "--pid-file", "robodj.pid"];
        var result = await RotateExpectingNoChange(site, _ => { }, 3, production);
        Assert.Contains("--confirm production", result.Output);

        using var build = new BuildProcess();
        var confirmed = await build.RunAsync([.. production, "--confirm", "production", "--dry-run"]);
        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
    }
}
