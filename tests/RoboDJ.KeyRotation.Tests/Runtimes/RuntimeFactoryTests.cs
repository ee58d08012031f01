using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

public sealed class RuntimeFactoryTests
{
    [Fact]
    public void The_kind_picks_the_runtime()
    {
        using var dir = new TempDir();
        var docker = new DockerComposeOptions { DeploymentRoot = dir.Path, ProjectName = "robodj" };
        var desktop = new DesktopOptions { DeploymentRoot = dir.Path };

        var d = RuntimeFactory.Create("docker", docker, desktop);
        Assert.IsType<DockerComposeRuntime>(d);
        (d as IDisposable)?.Dispose();
        Assert.IsType<DesktopRuntime>(RuntimeFactory.Create(" Desktop ", docker, desktop));
    }

    [Fact]
    public void An_unknown_kind_lists_the_valid_ones()
    {
        var error = Assert.Throws<UnknownRuntimeKindException>(() => RuntimeFactory.Create("podman", null, null));
        Assert.Contains("docker, desktop", error.Message);
    }
}
