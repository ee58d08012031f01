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

/// <summary>The stop-and-start Resume and Rollback leave a phased (replicated) rotation's journal to its own targets.</summary>
public sealed class PhasedJournalEndToEndTests
{
    [Theory]
    [InlineData("Resume")]
    [InlineData("Rollback")]
    public async Task Resume_and_Rollback_refuse_a_phased_rotation_naming_its_own_target_and_change_nothing(string target)
    {
        await using var site = await SandboxSite.CreateAsync(start: false, new SandboxDeploymentOptions { Environment = "staging" });
        Directory.CreateDirectory(site.Paths.KeyRotation);
        RoboDJ.KeyRotation.Journal.RotationJournal.Create(site.Paths.KeyRotation, RoboDJ.KeyRotation.Journal.RotationId.New(DateTimeOffset.UtcNow), "staging", "test",
            new Dictionary<string, string> { [RoboDJ.KeyRotation.Phased.PhasedFacts.Protocol] = RoboDJ.KeyRotation.Phased.PhasedFacts.ProtocolName });
        var before = site.Hashes();
        using var build = new BuildProcess();
        var result = await build.RunAsync([target, "--env", "staging", "--deployment-root", site.Root, "--runtime", "desktop",
            "--launcher", "RoboDJ_Launcher.sh", "--pid-file", "robodj.pid"]);
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"is a phased rotation of replicas, which {target} does not know how to continue", result.Output);
        Assert.Contains($"./build.sh {target}Phased --env staging", result.Output);
        Assert.Equal(before, site.Hashes());
        Assert.False(await site.IsRunningAsync());
    }
}
