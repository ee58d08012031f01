using RoboDJ.Sandbox;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// The engine's gates and its clean bad-input errors, through the built build: a refused run changes no byte of the
/// deployment, prints no stack trace and no key, and exits 2 (bad input) or 3 (refused), never 0.
/// </summary>
public sealed class GatesEndToEndTests
{
    static string[] Desktop(SandboxSite site, string env) =>
        ["--env", env, "--deployment-root", site.Root, "--runtime", "desktop", "--launcher", "RoboDJ_Launcher.sh", "--pid-file", "robodj.pid"];

    static async Task<BuildProcess.Result> RunExpectingNoChange(SandboxSite site, params string[] args)
    {
        using var build = new BuildProcess();
        var before = site.Hashes();
        var result = await build.RunAsync(args);
        Assert.Equal(before, site.Hashes());
        Assert.DoesNotContain("   at ", result.Output);
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
        return result;
    }

    [Fact]
    public async Task Skipping_Announce_cannot_rotate_production_without_confirm()
    {
        await using var site = await SandboxSite.CreateAsync(start: false, new SandboxDeploymentOptions { Environment = "production" });
        var result = await RunExpectingNoChange(site, ["Rotate", .. Desktop(site, "production"), "--skip", "Announce"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--skip cannot skip Announce: it is a gate", result.Output);
    }

    [Fact]
    public async Task Skip_names_an_invoked_target_in_the_log_and_still_runs_it()
    {
        await using var site = await SandboxSite.CreateAsync(start: false, new SandboxDeploymentOptions { Environment = "production" });
        var result = await RunExpectingNoChange(site, ["Preflight", .. Desktop(site, "production"), "--skip", "Preflight", "--dry-run"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--skip Preflight ignored: it was invoked", result.Output);
        Assert.Matches(@"\nPreflight\s+Succeeded", result.Output);
    }

    [Fact]
    public async Task A_store_that_cannot_be_built_is_a_Preflight_refusal_with_a_summary_not_a_crash()
    {
        await using var site = await SandboxSite.CreateAsync(start: false, new SandboxDeploymentOptions { Environment = "staging" });
        var result = await RunExpectingNoChange(site, ["Rotate", .. Desktop(site, "staging"), "--store", "github-repository"]);
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Matches(@"\nPreflight\s+Failed\s+.*github-repository", result.Output);
        Assert.Matches(@"\nRotate\s+NotRun\s+gate Stop did not succeed", result.Output);
        Assert.Matches(@"\nRollback\s+Skipped", result.Output);
        Assert.Contains("Build failed: Preflight failed.", result.Output);
    }

    [Theory]
    [InlineData("--dry-run=maybe", "Invalid value 'maybe' for --dry-run")]
    [InlineData("--verify-timeout=0", "Invalid value 0 for --verify-timeout: verify-timeout must be at least 1; give --verify-timeout 1 or more.")]
    [InlineData("--start-timeout=-5", "Invalid value -5 for --start-timeout")]
    public async Task A_bad_value_is_bad_input_naming_the_option_not_dotnet_text(string option, string message)
    {
        await using var site = await SandboxSite.CreateAsync(start: false);
        var result = await RunExpectingNoChange(site, ["Rotate", .. Desktop(site, "sandbox"), option]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: " + message, result.Output);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("staging")]
    public async Task A_deployment_root_that_is_a_file_is_bad_input_naming_the_path(string env)
    {
        using var folder = new TempDir("root-is-a-file");
        var file = folder.Combine(".env");
        File.WriteAllText(file, "ROBODJ_ENV=" + env + "\n");
        using var build = new BuildProcess();
        var result = await build.RunAsync(["Rotate", "--env", env, "--deployment-root", file, "--runtime", "desktop"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error: The deployment root {file} is a file", result.Output);
        Assert.Equal("ROBODJ_ENV=" + env + "\n", File.ReadAllText(file));
        Assert.DoesNotContain("   at ", result.Output);
    }
}
