using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Sandbox;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// The typed phases through the built build: code in src names targets through <see cref="RotationTargets"/>, which
/// must be the build's own; a phase whose predecessor did not run in this process refuses in words, changing nothing.
/// </summary>
public sealed class RotationPhasesEndToEndTests
{
    [Fact]
    public async Task Every_target_name_src_uses_is_a_target_of_the_build()
    {
        using var build = new BuildProcess();
        var result = await build.RunAsync(["--target", string.Join("+", RotationTargets.All), "--plan"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var name in RotationTargets.All) Assert.Matches($@"\d+\. {name}\b", result.Output);
    }

    [Fact]
    public async Task Start_invoked_alone_says_what_to_run_and_changes_nothing()
    {
        await using var site = await SandboxSite.CreateAsync(start: false, new SandboxDeploymentOptions { Environment = "staging" });
        var before = site.Hashes();
        using var build = new BuildProcess();
        var result = await build.RunAsync(["Start", "--env", "staging", "--deployment-root", site.Root, "--runtime", "desktop",
            "--launcher", "RoboDJ_Launcher.sh", "--pid-file", "robodj.pid"]);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Start continues a rotation of this run, but Rotate did not run in it", result.Output);
        Assert.Equal(before, site.Hashes());
        Assert.False(await site.IsRunningAsync());
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }
}
