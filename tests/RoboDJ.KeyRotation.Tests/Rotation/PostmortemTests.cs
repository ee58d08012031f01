using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
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
}
