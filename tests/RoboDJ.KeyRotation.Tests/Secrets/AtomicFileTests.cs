using System.Text;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;
using RoboDJ.Pipeline.IO;

namespace RoboDJ.KeyRotation.Tests.Secrets;

public sealed class AtomicFileTests
{
    [Fact]
    public void WriteAllBytes_replaces_the_content_and_leaves_no_temp_file_behind()
    {
        using var dir = new TempDir();
        var path = dir.Combine("a.json");
        File.WriteAllText(path, "old");
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes("new content"));
        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void WriteAllBytes_keeps_the_mode_of_the_file_it_replaces()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes only");
        using var dir = new TempDir();
        var path = dir.Combine(".env");
        File.WriteAllText(path, "A=1\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        AtomicFile.WriteAllBytes(path, "A=2\n"u8);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        AtomicFile.WriteAllBytes(path, "A=3\n"u8);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public void WriteAllBytes_creates_a_file_that_did_not_exist()
    {
        using var dir = new TempDir();
        var path = dir.Combine("new.json");
        AtomicFile.WriteAllText(path, "{}");
        Assert.Equal("{}", File.ReadAllText(path));
    }

    [Fact]
    public void WriteAllBytes_into_a_missing_folder_fails_and_creates_nothing()
    {
        using var dir = new TempDir();
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(dir.Combine("missing", "x.json"), "{}"));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
