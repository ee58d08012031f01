using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Snapshots;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SnapshotStoreTests : IDisposable
{
    readonly TempDir temp = new();
    readonly DeploymentPaths paths;
    public void Dispose() => temp.Dispose();

    public SnapshotStoreTests()
    {
        paths = new DeploymentPaths(temp.Path);
        Write(".env", "ROBODJ_ENV=staging\n");
        Write("config/settings.json", "{\"a\": 1}");
        Write("config/env_contract.json", "{\"required\": []}");
        Write("config/nested/deep.json", "{}");
        Write("config/logs/startup_safety_events.jsonl", "{}\n");
        Write("config/key_rotation/old/journal.jsonl", "{}\n");
        Write("config/incidents/x.md", "#");
    }

    void Write(string rel, string text)
    {
        var path = Path.Combine(temp.Path, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    string SnapshotDir => temp.Combine("config", "key_rotation", "r1", "snapshot");

    [Fact]
    public void A_snapshot_takes_env_and_config_but_not_the_pipelines_own_folders()
    {
        var files = new SnapshotStore(new DeploymentScope(paths)).FilesToSnapshot();
        Assert.Equal([".env", "config/env_contract.json", "config/nested/deep.json", "config/settings.json"], files.Select(f => f.Replace('\\', '/')));
    }

    [Fact]
    public async Task A_snapshot_is_private_and_its_manifest_hashes_every_file()
    {
        var manifest = await new SnapshotStore(new DeploymentScope(paths)).CreateAsync(SnapshotDir, TestContext.Current.CancellationToken);
        Assert.Equal(4, manifest.Files.Count);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(SnapshotDir));
        foreach (var file in Directory.EnumerateFiles(SnapshotDir, "*", SearchOption.AllDirectories))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        foreach (var dir in Directory.EnumerateDirectories(SnapshotDir, "*", SearchOption.AllDirectories))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        SnapshotStore.Check(SnapshotDir);
    }

    [Fact]
    public async Task Restore_puts_back_the_original_bytes_and_modes()
    {
        File.SetUnixFileMode(paths.DotEnv, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var store = new SnapshotStore(new DeploymentScope(paths));
        await store.CreateAsync(SnapshotDir, TestContext.Current.CancellationToken);
        File.WriteAllText(paths.DotEnv, "ROBODJ_ENV=changed\n");
        File.SetUnixFileMode(paths.DotEnv, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.WriteAllText(temp.Combine("config", "settings.json"), "{\"a\": 2}");

        var report = store.Restore(SnapshotDir);

        Assert.Equal(["config/settings.json", ".env"], report.Restored); // the keys come last
        Assert.Equal("ROBODJ_ENV=staging\n", File.ReadAllText(paths.DotEnv));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.DotEnv));
        Assert.Equal("{\"a\": 1}", File.ReadAllText(temp.Combine("config", "settings.json")));
    }

    [Fact]
    public async Task Restore_refuses_a_tampered_snapshot_before_writing_anything()
    {
        var store = new SnapshotStore(new DeploymentScope(paths));
        await store.CreateAsync(SnapshotDir, TestContext.Current.CancellationToken);
        File.WriteAllText(paths.DotEnv, "ROBODJ_ENV=changed\n");
        // The last file in the manifest is damaged, so a restore that wrote as it checked would already have written .env.
        var victim = Path.Combine(SnapshotDir, "files", "config", "settings.json");
        File.WriteAllText(victim, "{\"a\": 666}");

        var e = Assert.Throws<SnapshotCorruptException>(() => store.Restore(SnapshotDir));

        Assert.Contains("config/settings.json", e.Message);
        Assert.Contains("--guided-restore", e.Message);
        Assert.Equal("ROBODJ_ENV=changed\n", File.ReadAllText(paths.DotEnv));
    }

    [Fact]
    public async Task A_snapshot_is_never_overwritten()
    {
        var store = new SnapshotStore(new DeploymentScope(paths));
        await store.CreateAsync(SnapshotDir, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<IOException>(() => store.CreateAsync(SnapshotDir, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Describe_lists_the_files_and_changes_nothing()
    {
        var text = new SnapshotStore(new DeploymentScope(paths)).Describe(SnapshotDir);
        Assert.Contains("would snapshot 4 files", text);
        Assert.Contains("config/settings.json", text.Replace('\\', '/'));
        Assert.False(Directory.Exists(SnapshotDir));
    }
}

public sealed class SnapshotStoreWithPythonScriptTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task The_apps_own_snapshot_script_runs_from_the_deployment_root()
    {
        var python = Peers.Python();
        var paths = new DeploymentPaths(temp.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(paths.StartupSafetyScript)!);
        File.WriteAllText(paths.StartupSafetyScript, "import sys, os\nopen('snapshot-ran.txt', 'w').write(' '.join(sys.argv[1:]))\n");
        File.WriteAllText(paths.DotEnv, "A=1\n");

        await new SnapshotStore(new DeploymentScope(paths)) { Python = python }.CreateAsync(temp.Combine("config", "key_rotation", "r", "snapshot"), TestContext.Current.CancellationToken);

        Assert.Equal("--snapshot", File.ReadAllText(temp.Combine("snapshot-ran.txt")));
    }

    [Fact]
    public async Task A_failing_snapshot_script_fails_the_snapshot_with_its_output()
    {
        var python = Peers.Python();
        var paths = new DeploymentPaths(temp.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(paths.StartupSafetyScript)!);
        File.WriteAllText(paths.StartupSafetyScript, "import sys\nprint('disk full')\nsys.exit(3)\n");

        var e = await Assert.ThrowsAsync<SnapshotScriptFailedException>(() =>
            new SnapshotStore(new DeploymentScope(paths)) { Python = python }.CreateAsync(temp.Combine("config", "key_rotation", "r", "snapshot"), TestContext.Current.CancellationToken));
        Assert.Contains("exit code 3", e.Message);
        Assert.Contains("disk full", e.Message);
    }
}
