using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Snapshots;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SnapshotRestoreOnlyChangedTests : IDisposable
{
    readonly TempDir temp = new();
    readonly SnapshotStore store;
    public void Dispose() => temp.Dispose();

    public SnapshotRestoreOnlyChangedTests()
    {
        store = new SnapshotStore(new DeploymentScope(new DeploymentPaths(temp.Path)));
        Write(".env", "ROBODJ_ENV=staging\n");
        Write("config/settings.json", "{\"a\": 1}");
        Write("config/env_contract.json", "{\"required\": []}");
        Write("config/logs/app_state.json", "{\"cached\": 1}");
    }

    void Write(string rel, string text)
    {
        var path = temp.Combine(rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    string SnapshotDir => temp.Combine("config", "key_rotation", "r1", "snapshot");

    [Fact]
    public async Task Restore_writes_only_the_files_that_differ_or_are_missing_and_leaves_the_rest_untouched()
    {
        await store.CreateAsync(SnapshotDir, TestContext.Current.CancellationToken);
        var untouched = temp.Combine("config", "env_contract.json");
        var longAgo = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(untouched, longAgo);
        Write("config/settings.json", "{\"a\": 2}");
        File.Delete(temp.Combine("config", "logs", "app_state.json"));

        var report = store.Restore(SnapshotDir);

        Assert.Equal(["config/logs/app_state.json", "config/settings.json"], report.Restored);
        Assert.Equal(["config/env_contract.json", ".env"], report.AlreadyIdentical); // the keys come last
        Assert.Empty(report.Failed);
        Assert.Equal("{\"a\": 1}", File.ReadAllText(temp.Combine("config", "settings.json")));
        Assert.Equal("{\"cached\": 1}", File.ReadAllText(temp.Combine("config", "logs", "app_state.json")));
        Assert.Equal(longAgo, File.GetLastWriteTimeUtc(untouched));
        Assert.Contains("2 file(s) restored, 2 already identical, 0 failed", report.Summary);
    }

    [Fact]
    public async Task Restore_gives_a_file_back_the_owner_and_mode_the_manifest_recorded()
    {
        FileAttributesAsRoot.RequireRoot();
        var settings = temp.Combine("config", "settings.json");
        FileAttributesAsRoot.Chown(settings, "65534:65534");
        File.SetUnixFileMode(settings, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        await store.CreateAsync(SnapshotDir, TestContext.Current.CancellationToken);
        File.Delete(settings);
        Write("config/settings.json", "{\"a\": 2}");
        Assert.Equal("0:0", FileAttributesAsRoot.OwnerOf(settings));

        Assert.True(store.Restore(SnapshotDir).Succeeded);

        Assert.Equal("65534:65534", FileAttributesAsRoot.OwnerOf(settings));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(settings));
    }

    [Fact]
    public async Task One_config_file_that_cannot_be_written_does_not_stop_the_others_and_keeps_the_rotated_keys()
    {
        FileAttributesAsRoot.RequireChattr(temp.Path);
        Write("config/other.json", "{\"b\": 1}");
        await store.CreateAsync(SnapshotDir, TestContext.Current.CancellationToken);
        Write(".env", "ROBODJ_ENV=changed\n");
        Write("config/other.json", "{\"b\": 2}");
        Write("config/settings.json", "{\"a\": 2}");
        var stuck = temp.Combine("config", "settings.json");
        FileAttributesAsRoot.Chattr(stuck, "+i");
        try
        {
            var report = store.Restore(SnapshotDir);

            Assert.Equal(["config/other.json"], report.Restored);
            Assert.Equal(["config/settings.json", ".env"], report.Failed.Select(f => f.Path));
            Assert.Contains("still under the new V1", report.Failed[1].Reason);
            // The old keys would not open settings.json as the rotation left it: the rotated .env stays.
            Assert.Equal("ROBODJ_ENV=changed\n", File.ReadAllText(temp.Combine(".env")));
            Assert.Equal("{\"b\": 1}", File.ReadAllText(temp.Combine("config", "other.json")));
        }
        finally { FileAttributesAsRoot.Chattr(stuck, "-i"); }
    }
}
