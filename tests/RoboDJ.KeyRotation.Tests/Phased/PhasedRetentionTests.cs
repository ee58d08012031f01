using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.KeyRotation.Tests.Rotation;
using Xunit;

namespace RoboDJ.KeyRotation.Tests.Phased;

/// <summary>The phased rotation keeps the single host's retention (issue 20): snapshots, key copies, one journal line.</summary>
public sealed class PhasedRetentionTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rollback_after_verified_rotations_shreds_none_of_their_snapshots_and_journals_the_retired_key_copies()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().WithFieldUnderV2().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2)) { Retires = ["robodj_key_copy"] };
        await Rotation(site, replicas, keep: 1).RotateAsync(Token);
        await NextSecondAsync();
        await Rotation(site, replicas, keep: 1).RotateAsync(Token);
        await NextSecondAsync();
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, keep: 1, killAfter: RotationStep.PhaseNewKeyPrimary).RotateAsync(Token));

        await Rotation(site, replicas, keep: 0).RollbackAsync(Token);

        var journals = RotationJournal.All(site.Paths.KeyRotation).ToList();
        Assert.Equal([false, true, true], journals.Select(j => Directory.Exists(site.Paths.SnapshotDirectory(j.Id))));
        var verified = journals[1].Entries.Last();
        Assert.Equal((RotationStep.Retention, StepPhase.Ended), (verified.Step, verified.Phase));
        Assert.Equal((journals[0].Id.Value, "robodj_key_copy"), (verified.Fact("removed_snapshots"), verified.Fact(PhasedFacts.Retired)));
        var rolledBack = journals[2].Entries.Last();
        Assert.Equal((RotationStep.Retention, StepPhase.Ended), (rolledBack.Step, rolledBack.Phase));
        Assert.Equal(("robodj_key_copy", null), (rolledBack.Fact(PhasedFacts.Retired), rolledBack.Fact("removed_snapshots")));
    }

    [Fact]
    public async Task A_retention_that_fails_after_the_last_phase_is_a_failed_line_never_the_rotations_failure()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2)) { RetireFailure = new IOException("the engine refused the removal") };

        var id = await Rotation(site, replicas, keep: 1).RotateAsync(Token);

        var journal = RotationJournal.Find(site.Paths.KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.Completed));
        Assert.Equal((RotationStep.Retention, StepPhase.Failed), (journal.Entries.Last().Step, journal.Entries.Last().Phase));
    }

    [Fact]
    public async Task The_dry_run_preview_says_what_retention_would_do_in_the_single_hosts_words()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));

        var preview = await Rotation(site, replicas, keep: 2).PreviewAsync(Token);

        Assert.Contains("would " + new SnapshotRetention(new DeploymentScope(site.Paths), 2).Describe(), preview);
    }

    /// <summary>Rotation ids order by their second, then by a random suffix: rotations in one second have no order.</summary>
    static Task NextSecondAsync() => Task.Delay(TimeSpan.FromMilliseconds(1100), Token);

    [Fact]
    public async Task A_negative_keep_count_is_refused_by_PreflightPhased_as_by_Preflight_with_nothing_changed()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        var envBefore = File.ReadAllText(site.Paths.DotEnv);

        var e = await Assert.ThrowsAsync<PhasedPreflightFailedException>(() => Rotation(site, replicas, keep: -1).PreflightAsync(PhasedAction.Rotate, Token));

        Assert.Contains("--keep-snapshots -1: give 0 or more", e.Message);
        Assert.Equal(envBefore, File.ReadAllText(site.Paths.DotEnv));
        Assert.False(Directory.Exists(site.Paths.KeyRotation));
        Assert.Empty(replicas.RollOuts);
    }

    static PhasedRotation Rotation(DeploymentBuilder site, IReplicaSet replicas, int keep, RotationStep? killAfter = null) =>
        new(new PhasedRotationSettings(new DeploymentScope(site.Paths), "staging", null, TimeSpan.FromSeconds(2)) { KeepSnapshots = keep }, replicas)
        {
            AfterPhase = (step, _) => step == killAfter ? throw new Killed() : Task.CompletedTask,
        };

    sealed class Killed : Exception;
}
