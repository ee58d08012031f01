using RoboDJ.KeyRotation.Journal;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Journal;

public sealed class RotationJournalTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    RotationJournal NewJournal(string env = "staging") =>
        RotationJournal.Create(temp.Path, RotationId.New(DateTimeOffset.UtcNow), env, "alice",
            new Dictionary<string, string> { [JournalFacts.OldPrimary] = "sha256:aaaaaaaaaaaa" });

    [Fact]
    public void A_new_journal_records_its_identity_on_the_first_line()
    {
        var journal = NewJournal();
        var reopened = RotationJournal.Open(journal.Directory);
        Assert.Equal(journal.Id, reopened.Id);
        Assert.Equal("staging", reopened.Env);
        Assert.Equal("alice", reopened.Actor);
        Assert.Equal("sha256:aaaaaaaaaaaa", reopened.Fact(JournalFacts.OldPrimary));
    }

    [Fact]
    public void The_journal_file_is_readable_by_its_owner_only()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("Unix file modes");
        var journal = NewJournal();
        journal.Ended(RotationStep.Snapshot);

        if (OperatingSystem.IsLinux()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(journal.FilePath));
    }

    [Fact]
    public void The_last_completed_step_is_the_last_one_that_ended()
    {
        var journal = NewJournal();
        journal.Started(RotationStep.Snapshot);
        journal.Ended(RotationStep.Snapshot);
        journal.Started(RotationStep.Stop);
        Assert.Equal(RotationStep.Snapshot, RotationJournal.Open(journal.Directory).LastCompletedStep);
        Assert.False(journal.HasEnded(RotationStep.Stop));
    }

    [Fact]
    public void A_line_cut_off_by_a_crash_is_ignored()
    {
        var journal = NewJournal();
        journal.Ended(RotationStep.Snapshot);
        File.AppendAllText(journal.FilePath, "{\"at\":\"2026-11-30T04:00:00Z\",\"rotation\":\"x");
        Assert.Equal(RotationStep.Snapshot, RotationJournal.Open(journal.Directory).LastCompletedStep);
    }

    [Fact]
    public void A_damaged_complete_line_is_reported_with_its_file_and_line()
    {
        var journal = NewJournal();
        File.AppendAllText(journal.FilePath, "not json\n");
        var e = Assert.Throws<JournalCorruptException>(() => _ = journal.Entries);
        Assert.Equal(2, e.Line);
        Assert.Contains(journal.FilePath, e.Message);
    }

    [Fact]
    public void FindUnfinished_returns_the_rotation_that_neither_completed_nor_rolled_back()
    {
        var done = NewJournal();
        done.Ended(RotationStep.Completed);
        Thread.Sleep(1100); // ids sort by the second they were made
        var open = NewJournal();
        open.Started(RotationStep.Shift);
        Assert.Equal(open.Id, RotationJournal.FindUnfinished(temp.Path)!.Id);
        open.Ended(RotationStep.RolledBack);
        Assert.Null(RotationJournal.FindUnfinished(temp.Path));
        Assert.Equal(open.Id, RotationJournal.FindLatest(temp.Path)!.Id);
    }

    [Fact]
    public void Every_append_is_reported_to_the_crash_hook_after_it_is_on_disk()
    {
        var journal = NewJournal();
        var seen = new List<int>();
        RotationJournal.AfterAppend = n =>
        {
            seen.Add(RotationJournal.Open(journal.Directory).Entries.Count);
        };
        try { journal.Started(RotationStep.Stop); }
        finally { RotationJournal.AfterAppend = null; }
        Assert.Contains(2, seen);
    }

    [Fact]
    public void Rotation_ids_are_sortable_by_time_and_round_trip()
    {
        var id = RotationId.New(new DateTimeOffset(2026, 11, 30, 4, 15, 0, TimeSpan.Zero));
        Assert.StartsWith("20261130T041500Z-", id.Value);
        Assert.Equal(id, RotationId.Parse(id.Value));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 4, 15, 0, TimeSpan.Zero), id.StartedAt);
        Assert.False(RotationId.TryParse("../etc", out _));
    }
}
