using RoboDJ.KeyRotation.Fleet;
using RoboDJ.KeyRotation.Rotation;
using Xunit;

namespace RoboDJ.KeyRotation.Tests.Fleet;

public sealed class SharedConfigTreeTests : IDisposable
{
    readonly TempDir dir = new("robodj-shared-config");

    FleetFile Fleet(params string[] hosts)
    {
        var yaml = "hosts:\n" + string.Concat(hosts.Select((h, i) =>
            $"  - name: {h}\n    runner: r-{h}\n    root: {h}\n    dashboard: http://127.0.0.1:{8081 + i}/\n    startup_log: config/logs/{h}/startup_safety_events.jsonl\n"));
        File.WriteAllText(dir.Combine("fleet.yaml"), yaml);
        return FleetFile.Load(dir.Combine("fleet.yaml"));
    }

    DeploymentPaths Shared()
    {
        Directory.CreateDirectory(dir.Combine("shared", "config"));
        return new DeploymentPaths(dir.Combine("shared"));
    }

    [Fact]
    public void Hosts_whose_config_is_a_link_to_the_shared_tree_directly_or_through_a_linked_parent_are_accepted()
    {
        var shared = Shared();
        Directory.CreateDirectory(dir.Combine("a"));
        File.CreateSymbolicLink(dir.Combine("a", "config"), shared.Config);
        // b's root is a link to a folder whose config is a relative link to the shared tree.
        Directory.CreateDirectory(dir.Combine("real-b"));
        File.CreateSymbolicLink(dir.Combine("real-b", "config"), Path.Combine("..", "shared", "config"));
        File.CreateSymbolicLink(dir.Combine("b"), dir.Combine("real-b"));

        SharedConfigTree.Require(Fleet("a", "b"), shared);
    }

    [Fact]
    public void A_host_with_its_own_config_folder_is_refused_naming_its_line_and_the_fix()
    {
        var shared = Shared();
        Directory.CreateDirectory(dir.Combine("a"));
        File.CreateSymbolicLink(dir.Combine("a", "config"), shared.Config);
        Directory.CreateDirectory(dir.Combine("b", "config"));

        var e = Assert.Throws<FleetFileException>(() => SharedConfigTree.Require(Fleet("a", "b"), shared));

        Assert.Equal(7, e.Line);
        Assert.Contains($"host b: {dir.Combine("b", "config")} is its own folder, not the shared config tree {shared.Config}", e.Message);
        Assert.Contains("Fix: make", e.Message);
    }

    public void Dispose() => dir.Dispose();
}
