using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Snapshots;

public sealed class ShredderTests
{
    [Fact]
    public void Shredding_a_folder_removes_a_link_inside_it_and_leaves_what_the_link_points_at()
    {
        using var dir = new TempDir();
        var outside = Directory.CreateDirectory(dir.Combine("outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "keep.env"), "not ours");
        var snapshot = Directory.CreateDirectory(dir.Combine("snapshot", "files")).FullName;
        File.WriteAllText(Path.Combine(snapshot, ".env"), "old keys");
        HostileFiles.Link(Path.Combine(snapshot, "config"), outside);

        Shredder.Remove(dir.Combine("snapshot"));

        Assert.False(Directory.Exists(dir.Combine("snapshot")));
        Assert.Equal("not ours", File.ReadAllText(Path.Combine(outside, "keep.env")));
    }
}
