using RoboDJ.Pipeline.IO;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>A real full disk (a small tmpfs, as root): a write that fails leaves no temp file behind, and the target as it was.</summary>
public sealed class AtomicReplacementOnAFullDiskTests
{
    [Fact]
    public void A_write_that_fills_the_disk_removes_its_temp_file_and_leaves_the_target_as_it_was()
    {
        using var tmpfs = new TmpfsMount(1);
        var target = Path.Combine(tmpfs.Path, "big.json");
        File.WriteAllText(target, "{}");

        Assert.ThrowsAny<IOException>(() =>
        {
            using var replacement = AtomicReplacement.Begin(target);
            // A buffered tail is what the old Dispose lost the temp file over: the flush on closing fails too.
            for (var i = 0; i < 40; i++) replacement.Write(new byte[50_000]);
            replacement.Commit();
        });

        Assert.Equal("{}", File.ReadAllText(target));
        Assert.Equal(["big.json"], Directory.GetFiles(tmpfs.Path).Select(Path.GetFileName));
    }
}
