using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Rotation;

/// <summary>The pipeline's state moves once from config/key_rotation/ to key_rotation/, never losing a rotation.</summary>
public sealed class KeyRotationLayoutTests : IDisposable
{
    readonly TempDir temp = new();
    readonly DeploymentPaths paths;
    readonly FernetKey retired = FernetKey.Generate();

    public KeyRotationLayoutTests() => paths = new DeploymentPaths(temp.Path);

    public void Dispose() => temp.Dispose();

    static readonly Action<string> NoLegacyLock = _ => { };

    RotationJournal OldLayoutRotation(DateTimeOffset at, bool finished)
    {
        var journal = RotationJournal.Create(paths.LegacyKeyRotation, RotationId.New(at), "staging", "alice");
        var files = Path.Combine(journal.Directory, "snapshot", "files");
        Directory.CreateDirectory(files);
        File.WriteAllText(Path.Combine(files, ".env"), $"ROBODJ_SECRET_KEY={retired.Text}\n");
        journal.Ended(RotationStep.Snapshot);
        if (finished) journal.Ended(RotationStep.Completed);
        else journal.Started(RotationStep.Shift);
        return journal;
    }

    [Fact]
    public void An_old_layout_with_a_finished_and_an_unfinished_rotation_moves_whole_and_the_unfinished_one_is_still_found()
    {
        var finished = OldLayoutRotation(DateTimeOffset.UtcNow.AddDays(-30), finished: true);
        var unfinished = OldLayoutRotation(DateTimeOffset.UtcNow, finished: false);
        var entriesBefore = unfinished.Entries.Count;

        var moved = KeyRotationLayout.Migrate(paths, NoLegacyLock);

        Assert.Equal([finished.Id.Value, unfinished.Id.Value], moved);
        Assert.False(Directory.Exists(paths.LegacyKeyRotation));
        var found = RotationJournal.FindUnfinished(paths.KeyRotation);
        Assert.Equal(unfinished.Id, found?.Id);
        Assert.Equal(entriesBefore, found!.Entries.Count);
        Assert.Equal($"ROBODJ_SECRET_KEY={retired.Text}\n", File.ReadAllText(Path.Combine(paths.SnapshotDirectory(unfinished.Id), "files", ".env")));
        Assert.Equal(2, RotationJournal.All(paths.KeyRotation).Count());
        var record = File.ReadAllLines(Path.Combine(paths.KeyRotation, KeyRotationLayout.MigrationRecord));
        Assert.Equal(2, record.Length);
        Assert.All(record, line => Assert.Contains("\"outcome\":\"moved\"", line));
        Canary.AssertAbsentFromTree(paths.Config, [retired.Text]);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(paths.KeyRotation));
    }

    [Fact]
    public void A_second_migration_moves_nothing_and_a_fresh_deployment_gets_a_private_folder()
    {
        Assert.Empty(KeyRotationLayout.Migrate(paths, NoLegacyLock));
        Assert.True(Directory.Exists(paths.KeyRotation));
        Assert.Empty(KeyRotationLayout.Migrate(paths, NoLegacyLock));
        Assert.False(File.Exists(Path.Combine(paths.KeyRotation, KeyRotationLayout.MigrationRecord)));
    }

    [Fact]
    public void The_same_rotation_in_both_places_with_different_content_is_refused_and_nothing_moves()
    {
        var old = OldLayoutRotation(DateTimeOffset.UtcNow, finished: false);
        var other = OldLayoutRotation(DateTimeOffset.UtcNow.AddDays(-1), finished: true);
        var copy = Path.Combine(paths.KeyRotation, old.Id.Value);
        Directory.CreateDirectory(copy);
        File.WriteAllText(Path.Combine(copy, RotationJournal.FileName), File.ReadAllText(old.FilePath)[..20]); // a different, shorter copy

        var refused = Assert.Throws<KeyRotationLayoutConflictException>(() => KeyRotationLayout.Migrate(paths, NoLegacyLock));

        Assert.Equal([old.Id.Value], refused.Entries);
        Assert.Contains(paths.LegacyKeyRotation, refused.Message);
        Assert.Contains("Nothing was moved", refused.Message);
        Assert.True(File.Exists(old.FilePath));
        Assert.True(File.Exists(other.FilePath));
        Assert.False(Directory.Exists(Path.Combine(paths.KeyRotation, other.Id.Value)));
    }

    [Fact]
    public void An_identical_copy_left_in_the_old_place_is_shredded()
    {
        var old = OldLayoutRotation(DateTimeOffset.UtcNow, finished: true);
        CopyDirectory(old.Directory, Path.Combine(paths.KeyRotation, old.Id.Value));

        var moved = KeyRotationLayout.Migrate(paths, NoLegacyLock);

        Assert.Empty(moved);
        Assert.False(Directory.Exists(paths.LegacyKeyRotation));
        Assert.True(RotationJournal.Find(paths.KeyRotation, old.Id)!.IsFinished);
        Assert.Contains("shredded", File.ReadAllText(Path.Combine(paths.KeyRotation, KeyRotationLayout.MigrationRecord)));
    }

    [Fact]
    public void A_live_lock_of_the_old_layout_refuses_the_migration_and_nothing_moves()
    {
        OldLayoutRotation(DateTimeOffset.UtcNow, finished: false);
        var legacyLock = Path.Combine(paths.LegacyKeyRotation, "rotation.lock");
        using var held = RotationLock.Acquire(legacyLock, "staging", "bob", TimeSpan.FromMinutes(2), breakLock: false);

        Assert.Throws<RotationLockHeldException>(() => KeyRotationLayout.Migrate(paths,
            path => RotationLock.CheckFree(path, TimeSpan.FromMinutes(2), breakLock: false, DateTimeOffset.UtcNow)));

        Assert.True(File.Exists(legacyLock));
        Assert.Single(RotationJournal.All(paths.LegacyKeyRotation));
        // No empty new folder either: readers would take it for the layout and miss the unfinished rotation.
        Assert.False(Directory.Exists(paths.KeyRotation));
        Assert.NotNull(RotationJournal.FindUnfinished(KeyRotationLayout.ForReading(paths).KeyRotation));
    }

    [Fact]
    public void Readers_that_move_nothing_read_the_old_layout_where_it_is()
    {
        var unfinished = OldLayoutRotation(DateTimeOffset.UtcNow, finished: false);

        var readable = KeyRotationLayout.ForReading(paths);

        Assert.Equal(unfinished.Id, RotationJournal.FindUnfinished(readable.KeyRotation)?.Id);
        Assert.Contains("at the next Rotate, Resume or Rollback", KeyRotationLayout.DescribePending(paths));
        Assert.False(Directory.Exists(paths.KeyRotation));
    }

    static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
