using System.Security.Cryptography;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Secrets;

/// <summary>The attacker cases of "can this process replace this file atomically", each named with its fix.</summary>
public sealed class AtomicWriteAccessTests : IDisposable
{
    readonly TempDir temp = new();
    readonly string folder;
    readonly string file;
    public void Dispose() => temp.Dispose();

    public AtomicWriteAccessTests()
    {
        folder = temp.Combine("config");
        Directory.CreateDirectory(folder);
        file = Path.Combine(folder, "settings.json");
        File.WriteAllText(file, "{\"a\": 1}");
    }

    [Fact]
    public void A_writable_file_in_a_writable_folder_can_be_replaced()
    {
        Assert.Null(AtomicWriteAccess.Refusal(file));
        Assert.Null(AtomicWriteAccess.FolderRefusal(folder));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_read_only_file_is_refused_even_for_root_with_the_chmod_fix()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes only");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead);

        var refusal = Assert.IsType<FileNotWritableException>(AtomicWriteAccess.Refusal(file));

        Assert.Equal(file, refusal.Shown);
        Assert.Contains("read-only", refusal.Problem);
        Assert.Contains($"chmod u+w {file}", refusal.Message);
    }

    [Fact]
    public void An_immutable_file_is_named_with_the_fix_and_asking_changes_nothing()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        FileAttributesAsRoot.Chattr(file, "+i");
        try
        {
            var before = (State(file), State(folder));

            var refusal = Assert.IsType<FileNotWritableException>(AtomicWriteAccess.Refusal(file));

            Assert.Contains("immutable", refusal.Problem);
            Assert.Contains($"chattr -i {file}", refusal.Message);
            Assert.Equal(before, (State(file), State(folder)));
        }
        finally { FileAttributesAsRoot.Chattr(file, "-i"); }
    }

    [Fact]
    public void An_append_only_file_is_named_with_the_fix()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        FileAttributesAsRoot.Chattr(file, "+a");
        try
        {
            var refusal = Assert.IsType<FileNotWritableException>(AtomicWriteAccess.Refusal(file));
            Assert.Contains("append-only", refusal.Problem);
            Assert.Contains($"chattr -a {file}", refusal.Fix);
        }
        finally { FileAttributesAsRoot.Chattr(file, "-a"); }
    }

    [Fact]
    public void An_immutable_folder_refuses_its_files_and_itself()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        FileAttributesAsRoot.Chattr(folder, "+i");
        try
        {
            Assert.Contains($"chattr -i {folder}", AtomicWriteAccess.Refusal(file)?.Message);
            Assert.Contains($"chattr -i {folder}", AtomicWriteAccess.FolderRefusal(folder)?.Message);
        }
        finally { FileAttributesAsRoot.Chattr(folder, "-i"); }
    }

    [Fact]
    public void An_append_only_folder_refuses_its_files_and_itself_because_the_rename_over_a_file_fails_there()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        FileAttributesAsRoot.Chattr(folder, "+a");
        try
        {
            Assert.Contains($"chattr -a {folder}", AtomicWriteAccess.Refusal(file)?.Message);
            Assert.Contains($"chattr -a {folder}", AtomicWriteAccess.FolderRefusal(folder)?.Message);
            // The refusal is the truth: the atomic write itself fails there.
            Assert.ThrowsAny<Exception>(() => RoboDJ.Pipeline.IO.AtomicFile.WriteAllBytes(file, "replaced"u8.ToArray()));
        }
        finally { FileAttributesAsRoot.Chattr(folder, "-a"); }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_read_only_folder_refuses_its_files_because_the_temp_file_goes_there()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes only");
        var mode = File.GetUnixFileMode(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var refusal = Assert.IsType<FileNotWritableException>(AtomicWriteAccess.Refusal(file));
            Assert.Contains("folder is read-only", refusal.Problem);
            Assert.Contains($"write access to {folder}", refusal.Fix);
            Assert.Contains("read-only", AtomicWriteAccess.FolderRefusal(folder)?.Problem);
        }
        finally { File.SetUnixFileMode(folder, mode); }
    }

    [Fact]
    public void A_symlink_is_judged_by_its_final_target()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        var secrets = temp.Combine("secrets");
        Directory.CreateDirectory(secrets);
        var target = Path.Combine(secrets, "robodj.env");
        File.WriteAllText(target, "A=1\n");
        var link = temp.Combine(".env");
        File.CreateSymbolicLink(link, target);
        Assert.Null(AtomicWriteAccess.Refusal(link));

        FileAttributesAsRoot.Chattr(secrets, "+i");
        try
        {
            var refusal = Assert.IsType<FileNotWritableException>(AtomicWriteAccess.Refusal(link));
            Assert.Equal($"{link} (a symlink to {target})", refusal.Shown);
            Assert.Contains($"chattr -i {secrets}", refusal.Fix);
        }
        finally { FileAttributesAsRoot.Chattr(secrets, "-i"); }
    }

    [Fact]
    public void A_file_of_another_user_is_refused_unless_the_build_can_keep_owners()
    {
        FileAttributesAsRoot.RequireRoot();
        FileAttributesAsRoot.Chown(file, "65534:65534");

        Assert.Null(AtomicWriteAccess.Refusal(file));
        var refusal = Assert.IsType<FileNotWritableException>(AtomicWriteAccess.Refusal(file, new BuildUser(1000, CanChangeOwners: false)));

        Assert.Contains("belongs to uid 65534", refusal.Problem);
        Assert.Contains("uid 1000", refusal.Problem);
        Assert.Contains("as root or as uid 65534", refusal.Fix);
    }

    [Fact]
    public void A_dry_run_creates_no_probe_file_and_leaves_the_folder_untouched()
    {
        var before = State(folder);
        using (EffectGuard.Engage())
        {
            Assert.Null(AtomicWriteAccess.Refusal(file));
            Assert.Null(AtomicWriteAccess.FolderRefusal(folder));
        }
        Assert.Equal(before, State(folder));
    }

    /// <summary>Bytes (or entries), mtime, mode and owner: what a read-only question must leave as it was.</summary>
    static (string Content, DateTime Written, UnixFileMode Mode, string Owner) State(string path) =>
        (Directory.Exists(path) ? string.Join('|', Directory.GetFileSystemEntries(path).Order()) : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
         Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path),
         OperatingSystem.IsWindows() ? 0 : File.GetUnixFileMode(path),
         OperatingSystem.IsWindows() ? "" : FileAttributesAsRoot.OwnerOf(path));
}
