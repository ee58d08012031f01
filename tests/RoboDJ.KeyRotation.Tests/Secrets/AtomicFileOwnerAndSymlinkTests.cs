using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Tests.Secrets;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicFileOwnerAndSymlinkTests
{
    [Fact]
    public void A_replaced_file_keeps_its_owner_and_group()
    {
        FileAttributesAsRoot.RequireRoot();
        using var dir = new TempDir();
        var path = dir.Combine(".env");
        File.WriteAllText(path, "A=1\n");
        FileAttributesAsRoot.Chown(path, "65534:65534");

        AtomicFile.WriteAllBytes(path, "A=2\n"u8);

        Assert.Equal("A=2\n", File.ReadAllText(path));
        Assert.Equal("65534:65534", FileAttributesAsRoot.OwnerOf(path));
    }

    [Fact]
    public void A_write_through_a_symlink_replaces_the_target_and_the_link_stays_a_link()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("symlinks need privileges on Windows");
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("secrets"));
        var target = dir.Combine("secrets", "robodj.env");
        File.WriteAllText(target, "A=1\n");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var link = dir.Combine(".env");
        File.CreateSymbolicLink(link, Path.Combine("secrets", "robodj.env"));

        AtomicFile.WriteAllBytes(link, "A=2\n"u8);

        Assert.Equal(Path.Combine("secrets", "robodj.env"), new FileInfo(link).LinkTarget);
        Assert.Equal("A=2\n", File.ReadAllText(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        // The temp file went beside the target, and nothing is left of it.
        Assert.Equal([".env"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(["robodj.env"], Directory.GetFiles(dir.Combine("secrets")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_chain_of_symlinks_is_followed_to_its_final_target()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("symlinks need privileges on Windows");
        using var dir = new TempDir();
        var target = dir.Combine("real.json");
        File.WriteAllText(target, "{}");
        File.CreateSymbolicLink(dir.Combine("middle.json"), target);
        File.CreateSymbolicLink(dir.Combine("settings.json"), dir.Combine("middle.json"));

        AtomicFile.WriteAllText(dir.Combine("settings.json"), "{\"a\":1}");

        Assert.Equal("{\"a\":1}", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(dir.Combine("middle.json")).LinkTarget);
        Assert.NotNull(new FileInfo(dir.Combine("settings.json")).LinkTarget);
    }
}
