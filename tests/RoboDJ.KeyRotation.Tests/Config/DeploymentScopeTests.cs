using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Config;

public sealed class DeploymentScopeTests
{
    [Theory]
    [InlineData(".env", true)]
    [InlineData("config/env_contract.json", true)]
    [InlineData("config/logs/app_state.json", true)]
    [InlineData("config/snapshots/2024/stations.json", true)]
    [InlineData("config/app/.snapshots/x.json", true)]
    [InlineData("config/logs/startup_safety_events.jsonl", false)]
    [InlineData("config/key_rotation/r1/snapshot/files/config/settings.json", false)]
    [InlineData("config/incidents/x.json", false)]
    [InlineData("config/agents/dj.json", false)]
    [InlineData("config/cache/tmp/x.json", false)]
    [InlineData("config/cache/keep.json", true)]
    [InlineData("config/cache/tmpfiles/x.json", true)]
    [InlineData("other/settings.json", false)]
    public void The_scope_holds_env_and_config_json_but_not_our_folders_or_the_exclusions(string relative, bool inScope)
    {
        using var temp = new TempDir();
        var scope = new DeploymentScope(new DeploymentPaths(temp.Path), ["agents", "/cache/tmp/"]);
        Assert.Equal(inScope, scope.Contains(relative));
    }

    [Fact]
    public void Files_lists_what_exists_in_the_scope_with_env_first()
    {
        using var temp = new TempDir();
        foreach (var rel in new[] { ".env", "config/z.json", "config/logs/a.json", "config/agents/dj.json", "config/notes.txt", "config/key_rotation/j.json" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp.Combine(rel))!);
            File.WriteAllText(temp.Combine(rel), "{}");
        }
        var scope = new DeploymentScope(new DeploymentPaths(temp.Path));
        Assert.Equal([".env", "config/logs/a.json", "config/z.json"], scope.Files().Select(f => f.Relative));
        Assert.Equal(["logs/a.json", "z.json"], scope.ConfigJsonFiles().Select(f => f.ConfigRelative));
    }
}
