using RoboDJ.KeyRotation.Journal;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests;

/// <summary>
/// A deployment of the earlier layout (config/key_rotation/) with a finished rotation and one killed half-way: Status
/// reads it where it is, Resume moves it out of the app's config tree and still finds the unfinished rotation and its snapshot.
/// </summary>
public sealed class KeyRotationLayoutMigrationEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] more) => [.. more, "--env", "sandbox", "--deployment-root", site.Root];

    [Fact]
    public async Task An_unfinished_rotation_of_the_old_layout_is_resumed_after_the_move_and_config_keeps_no_key_copy()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var original = await site.KeysAsync();
        Assert.Equal(0, (await build.RunAsync(Args(site, "Rotate"))).ExitCode);
        var once = await site.KeysAsync();
        // Killed right after the shift's end is journaled: the keys moved, the app is down, only the snapshot has the old V2.
        var crashed = await build.RunAsync(Args(site, "Rotate"),
            new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_KILL_AFTER_JOURNAL_STEP"] = "7" });
        Assert.NotEqual(0, crashed.ExitCode);
        var unfinished = RotationJournal.FindUnfinished(site.Paths.KeyRotation)!.Id;
        Directory.Move(site.Paths.KeyRotation, site.Paths.LegacyKeyRotation); // as an earlier version left it

        var status = await build.RunAsync(Args(site, "Status"));
        Assert.True(status.ExitCode == 9, status.ToString());
        Assert.Contains($"unfinished rotation {unfinished}", status.Output);
        Assert.Contains("move to key_rotation/ at the next Rotate, Resume or Rollback", status.Output);
        Assert.True(Directory.Exists(site.Paths.LegacyKeyRotation));

        var resumed = await build.RunAsync(Args(site, "Resume"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.False(Directory.Exists(site.Paths.LegacyKeyRotation));
        Assert.Equal(2, RotationJournal.All(site.Paths.KeyRotation).Count(j => j.IsFinished));
        Assert.Equal(once.Primary, (await site.KeysAsync()).Secondary);
        Assert.Empty((await site.CensusAsync()).Undecryptable);
        Assert.True(await site.IsRunningAsync());
        // The app's config tree (its backups, its config saves) holds no copy of .env and no key, current or retired.
        var now = await site.KeysAsync();
        Assert.DoesNotContain(Directory.EnumerateFiles(site.Paths.Config, "*", SearchOption.AllDirectories), f => Path.GetFileName(f) == ".env");
        Canary.AssertAbsentFromTree(site.Paths.Config, [original.Primary!.Text, original.Secondary!.Text, once.Primary!.Text, now.Primary!.Text]);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(site.Paths.KeyRotation));
    }
}
