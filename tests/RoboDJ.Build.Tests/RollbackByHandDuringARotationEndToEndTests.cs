using RoboDJ.KeyRotation.Journal;

namespace RoboDJ.Build.Tests;

/// <summary>Two operators at once: a Rollback by hand while another run rotates, and a --skip that would leave a rotation unverified.</summary>
public sealed class RollbackByHandDuringARotationEndToEndTests
{
    static string[] Args(SandboxSite site, params string[] more) => [.. more, "--env", "sandbox", "--deployment-root", site.Root];

    [Fact]
    public async Task A_Rollback_by_hand_during_a_live_rotation_is_refused_and_touches_neither_its_journal_nor_its_keys()
    {
        await using var site = await SandboxSite.CreateAsync();
        using var rotating = new BuildProcess();
        using var second = new BuildProcess();
        BuildProcess.Result? rollback = null;
        var journalBefore = 0;
        // Paused right after the shift: the keys are moved, the app is down, the lock is held.
        var hooks = new Dictionary<string, string> { ["ROBODJ_TEST_HOOKS"] = "1", ["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = "7" };

        var rotation = await rotating.RunAsync(Args(site, "Rotate"), hooks, during: async process =>
        {
            if (!await BuildProcess.UntilAsync(process, () => RotationJournal.FindUnfinished(site.Paths.KeyRotation) is { Entries.Count: >= 7 })) return;
            journalBefore = RotationJournal.FindUnfinished(site.Paths.KeyRotation)!.Entries.Count;
            rollback = await second.RunAsync(Args(site, "Rollback"));
        });

        Assert.True(rollback is not null, $"the rotation ended before its shift:\n{rotation}");
        Assert.True(rollback.ExitCode == 3, rollback.ToString());
        Assert.Contains("rotation.lock", rollback.Output);
        Assert.True(rotation.ExitCode == 0, rotation.ToString());
        var journal = RotationJournal.FindLatest(site.Paths.KeyRotation)!;
        Assert.True(journal.IsFinished);
        Assert.DoesNotContain(journal.Entries, e => e.Step == RotationStep.Rollback);
        Assert.True(journal.Entries.Count > journalBefore);
        Assert.False(Directory.Exists(site.Paths.Incidents) && Directory.EnumerateFiles(site.Paths.Incidents).Any(), "a postmortem was written for the live rotation");
        Assert.Empty((await site.CensusAsync()).Undecryptable);
    }

    [Theory]
    [InlineData("Verify")]
    [InlineData("Start")]
    public async Task Skipping_a_step_after_the_shift_is_refused_before_anything_changes(string skipped)
    {
        await using var site = await SandboxSite.CreateAsync();
        using var build = new BuildProcess();
        var before = site.KeyAndConfigHashes();

        var result = await build.RunAsync(Args(site, "Rotate", "--skip", skipped));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"--skip cannot skip {skipped}", result.Output);
        Assert.Equal(before, site.KeyAndConfigHashes());
    }
}
