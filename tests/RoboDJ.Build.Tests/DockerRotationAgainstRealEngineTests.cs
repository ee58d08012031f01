using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>`Rotate --env staging` against a real compose project on the test engine (<see cref="DockerSite"/>).</summary>
public sealed class DockerRotationAgainstRealEngineTests
{
    [Fact]
    public async Task A_staging_rotation_on_docker_restarts_the_service_on_the_new_key_and_rewraps_config()
    {
        using var site = DockerSite.Create();
        using var build = new BuildProcess();

        var result = await build.RunAsync(site.Args("Rotate"), timeout: TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        var keys = await new DotEnvSecretStore(Path.Combine(site.Root, ".env")).ReadAsync(CancellationToken.None);
        Assert.Equal(site.V1, keys.Secondary);
        var census = Census.Take(new DeploymentScope(new DeploymentPaths(site.Root)), new KeyRing(keys.Primary!), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(3, census.UnderPrimary);
        var lastLine = File.ReadAllLines(Path.Combine(site.Root, "config", "logs", "startup_safety_events.jsonl")).Last();
        Assert.Contains("PASS", lastLine);
        Assert.Contains(keys.Primary!.Fingerprint.ToString(), lastLine);
        Canary.AssertAbsent(result.Output, [site.V1.Text, site.V2.Text, keys.Primary.Text], "the build's output");
    }
}
