using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Rotation;

public sealed class PostmortemTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_postmortem_has_the_timeline_failed_target_fingerprints_restored_files_and_manual_alternative()
    {
        var paths = new DeploymentPaths(temp.Path);
        var oldV1 = FernetKey.Generate();
        var newV1 = FernetKey.Generate();
        var journal = RotationJournal.Create(paths.KeyRotation, RotationId.New(DateTimeOffset.UtcNow), "staging", "alice",
            new Dictionary<string, string> { [JournalFacts.OldPrimary] = oldV1.Fingerprint.ToString() });
        journal.Started(RotationStep.Shift, new Dictionary<string, string> { [JournalFacts.NewPrimary] = newV1.Fingerprint.ToString() });
        journal.Failed(RotationStep.Start, "the app did not start; key was " + newV1.Text);

        var path = Postmortem.Write(paths, journal,
            new PostmortemFacts("Start", "the app did not start; key was " + newV1.Text, "rolled back cleanly", [".env", "config/a.json"],
                oldV1.Fingerprint.ToString(), null),
            new DateTimeOffset(2026, 11, 30, 4, 30, 0, TimeSpan.Zero));

        Assert.Equal(Path.Combine(paths.Incidents, $"2026-11-30-{journal.Id}.md"), path);
        var text = File.ReadAllText(path);
        Assert.Contains("**Failed target:** Start", text);
        Assert.Contains(oldV1.Fingerprint.ToString(), text);
        Assert.Contains(newV1.Fingerprint.ToString(), text);
        Assert.Contains("- `config/a.json`", text);
        Assert.Contains("| Shift | Started |", text);
        Assert.Contains("startup_safety.py --guided-restore", text);
        Assert.DoesNotContain("{{", text);
        Canary.AssertAbsent(text, [oldV1.Text, newV1.Text], "the postmortem");
    }

    [Fact]
    public void A_second_postmortem_of_the_same_rotation_goes_to_a_new_file_and_the_first_is_kept()
    {
        var paths = new DeploymentPaths(temp.Path);
        var journal = RotationJournal.Create(paths.KeyRotation, RotationId.New(DateTimeOffset.UtcNow), "staging", "alice");
        var at = new DateTimeOffset(2026, 11, 30, 4, 30, 0, TimeSpan.Zero);
        var first = Postmortem.Write(paths, journal, new PostmortemFacts("Verify", "boom", "ROLLBACK FAILED", [".env"], null, null), at);
        var second = Postmortem.Write(paths, journal, new PostmortemFacts("none (rollback requested by hand)", "none", "rolled back cleanly", [], null, null), at);

        Assert.NotEqual(first, second);
        Assert.EndsWith($"-{journal.Id}-2.md", second);
        Assert.Contains("ROLLBACK FAILED", File.ReadAllText(first));
        Assert.Contains("rolled back cleanly", File.ReadAllText(second));
    }

    [Fact]
    public void The_postmortem_lists_what_was_restored_and_what_was_left_and_says_nothing_only_when_true()
    {
        var paths = new DeploymentPaths(temp.Path);
        var journal = RotationJournal.Create(paths.KeyRotation, RotationId.New(DateTimeOffset.UtcNow), "staging", "alice");
        var partial = Postmortem.Render(journal, new PostmortemFacts("Verify", "e", "ROLLBACK INCOMPLETE", [".env", "config/a.json"], null, null)
        {
            FailedFiles = [new RestoreFailure("config/settings.json", "Operation not permitted")],
        }, DateTimeOffset.UtcNow);
        Assert.Contains("Restored (2):", partial);
        Assert.Contains("- `config/a.json`", partial);
        Assert.Contains("NOT restored, left as the rotation made them (1):", partial);
        Assert.Contains("- `config/settings.json`: Operation not permitted", partial);
        Assert.DoesNotContain("Nothing was restored", partial);

        var none = Postmortem.Render(journal, new PostmortemFacts("Stop", "e", "ROLLBACK FAILED at Stop", [], null, null)
        {
            NotRestoredBecause = "the rollback failed at Stop, before the restore",
        }, DateTimeOffset.UtcNow);
        Assert.Contains("Nothing was restored: the rollback failed at Stop, before the restore.", none);
    }
}
