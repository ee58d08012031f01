using System.Text;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.KeyRotation.Tests.Rotation;
using Xunit;

namespace RoboDJ.KeyRotation.Tests.Phased;

/// <summary>The phased protocol against replicas that only write key checks; the offline rewrap is the single writer.</summary>
public sealed class PhasedRotationTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rotation_rolls_out_old_new_then_new_old_and_ends_with_every_field_under_the_new_V1()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().WithFieldUnderV2().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));

        var id = await Rotation(site, replicas).RotateAsync(Token);

        var store = await new DotEnvSecretStore(site.Paths.DotEnv).ReadAsync(Token);
        Assert.Equal(site.V1, store.Secondary);
        var fresh = store.Primary!;
        Assert.Equal([(site.V1.Fingerprint.Hex, fresh.Fingerprint.Hex), (fresh.Fingerprint.Hex, site.V1.Fingerprint.Hex)], replicas.RollOuts);
        var census = Census.Take(new DeploymentScope(site.Paths), new KeyRing(fresh), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((2, 2), (census.Total, census.UnderPrimary));
        var journal = RotationJournal.Find(site.Paths.KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.Completed));
        Assert.Equal("1", journal.Entries.Single(e => e.Step == RotationStep.PhaseRewrapUnderV1 && e.Phase == StepPhase.Ended).Fact(JournalFacts.Rewrapped));
        Assert.DoesNotContain(fresh.Text, File.ReadAllText(journal.FilePath));
    }

    [Fact]
    public async Task Resume_after_a_kill_at_the_phase_1_boundary_continues_at_phase_2_with_the_same_new_key()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, killAfter: RotationStep.PhaseNewKeyReadable).RotateAsync(Token));
        var fresh = (await new DotEnvSecretStore(site.Paths.DotEnv).ReadAsync(Token)).Secondary!;

        await Assert.ThrowsAsync<UnfinishedRotationExistsException>(() => Rotation(site, replicas).RotateAsync(Token));
        await Rotation(site, replicas).ResumeAsync(Token);

        Assert.Equal([(site.V1.Fingerprint.Hex, fresh.Fingerprint.Hex), (fresh.Fingerprint.Hex, site.V1.Fingerprint.Hex)], replicas.RollOuts);
        Assert.Equal(fresh, (await new DotEnvSecretStore(site.Paths.DotEnv).ReadAsync(Token)).Primary);
    }

    [Fact]
    public async Task Rollback_after_phase_2_moves_fields_off_the_new_key_and_keeps_it_as_V2_behind_the_old_V1()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().WithFieldUnderV2().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, killAfter: RotationStep.PhaseNewKeyPrimary).RotateAsync(Token));
        var fresh = (await new DotEnvSecretStore(site.Paths.DotEnv).ReadAsync(Token)).Primary!;
        // A replica saved a field under the new V1 during phase 2.
        File.WriteAllText(Path.Combine(site.Paths.Config, "written_in_phase_2.json"), $"{{\"token\": \"{FernetToken.Encrypt(fresh, Encoding.UTF8.GetBytes("new"))}\"}}");

        var id = await Rotation(site, replicas).RollbackAsync(Token);

        Assert.Equal(
            [(site.V1.Fingerprint.Hex, fresh.Fingerprint.Hex), (fresh.Fingerprint.Hex, site.V1.Fingerprint.Hex),
             (site.V1.Fingerprint.Hex, fresh.Fingerprint.Hex)],
            replicas.RollOuts);
        // The replicas wrote with the new key in phase 2 (sessions too, which no save moves): it stays readable.
        var store = await new DotEnvSecretStore(site.Paths.DotEnv).ReadAsync(Token);
        Assert.Equal((site.V1, fresh), (store.Primary, store.Secondary));
        // Under the pair left in place: every field opens, and none needs the kept new key.
        var census = Census.Take(new DeploymentScope(site.Paths), new KeyRing(site.V1, fresh), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((3, 0), (census.Total, census.UnderSecondary));
        Assert.Empty(census.Undecryptable);
        var journal = RotationJournal.Find(site.Paths.KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.RolledBack));
        Assert.Equal(fresh.Fingerprint.ToString(), journal.Fact(PhasedFacts.KeptSecondary));
        Assert.Equal(site.V2.Fingerprint.ToString(), journal.Fact(JournalFacts.OldSecondary));
        Assert.Equal([nameof(RotationStep.PhaseNewKeyPrimary), nameof(RotationStep.PhaseNewKeyReadable)],
            journal.Entries.Where(e => e.Step == RotationStep.Rollback && e.Phase == StepPhase.Ended).Select(e => e.Fact(PhasedFacts.Undone)));
    }

    [Fact]
    public async Task A_phase_does_not_end_while_one_replica_reports_other_fingerprints()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        replicas.Misreporting = "fake.2";

        var error = await Assert.ThrowsAsync<ReplicaNotVerifiedException>(() => Rotation(site, replicas).RotateAsync(Token));

        Assert.Contains("replica fake.2", error.Message);
        Assert.Contains("RollbackPhased", error.Message);
        var journal = RotationJournal.FindUnfinished(site.Paths.KeyRotation)!;
        Assert.False(journal.HasEnded(RotationStep.PhaseNewKeyReadable));
        Assert.Single(replicas.RollOuts);
    }

    [Fact]
    public async Task A_preview_says_what_each_phase_would_do_and_changes_nothing()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().WithFieldUnderV2().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        var envBefore = File.ReadAllText(site.Paths.DotEnv);
        var configBefore = File.ReadAllText(Path.Combine(site.Paths.Config, "settings.json"));

        IReadOnlyList<string> preview;
        using (KeyRotation.Effects.EffectGuard.Engage()) preview = await Rotation(site, replicas).PreviewAsync(Token);

        Assert.Contains(preview, line => line.StartsWith($"phase 0: would rewrap 1 field(s) under V2 {site.V2.Fingerprint}", StringComparison.Ordinal));
        Assert.Contains(preview, line => line.StartsWith($"phase 2: would write V1 <new key>, V2 {site.V1.Fingerprint}", StringComparison.Ordinal));
        Assert.Empty(replicas.RollOuts);
        Assert.Equal(envBefore, File.ReadAllText(site.Paths.DotEnv));
        Assert.Equal(configBefore, File.ReadAllText(Path.Combine(site.Paths.Config, "settings.json")));
        Assert.False(Directory.Exists(site.Paths.KeyRotation));
    }

    [Fact]
    public async Task Preflight_of_another_environment_than_the_deployments_is_refused_and_changes_nothing()
    {
        using var site = new DeploymentBuilder().WithEnv("staging").WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        var envBefore = File.ReadAllText(site.Paths.DotEnv);

        var error = await Assert.ThrowsAsync<PhasedPreflightFailedException>(() => Rotation(site, replicas, env: "production").PreflightAsync(PhasedAction.Rotate, Token));

        Assert.Contains("ROBODJ_ENV is 'staging' but --env is 'production'", error.Message);
        Assert.Empty(replicas.RollOuts);
        Assert.Equal(envBefore, File.ReadAllText(site.Paths.DotEnv));
        Assert.False(Directory.Exists(site.Paths.KeyRotation));
    }

    [Fact]
    public async Task Preflight_names_every_problem_at_once_a_replica_on_other_keys_and_a_field_no_key_opens()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().WithUndecryptableField().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, FernetKey.Generate()));

        var error = await Assert.ThrowsAsync<PhasedPreflightFailedException>(() => Rotation(site, replicas).PreflightAsync(PhasedAction.Rotate, Token));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith($"replica fake.1: it runs V1 {site.V1.Fingerprint.Hex}, V2 ", StringComparison.Ordinal)
            && p.Contains($"keys that the deployment's .env ({site.Paths.DotEnv}) does not name", StringComparison.Ordinal)
            && p.Contains("nothing to resume or roll back", StringComparison.Ordinal) && !p.Contains("ResumePhased", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("open with none of the keys", StringComparison.Ordinal));
        Assert.False(Directory.Exists(site.Paths.KeyRotation));
    }

    [Fact]
    public async Task Preflight_for_Resume_accepts_the_pair_of_the_last_phase_and_refuses_a_field_under_the_dropped_V2()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, killAfter: RotationStep.PhaseNewKeyReadable).RotateAsync(Token));

        var cleared = await Rotation(site, replicas).PreflightAsync(PhasedAction.Resume, Token);
        Assert.Contains("phase 1: V1 = old, V2 = new on every replica ended", cleared.Note);
        var rotate = await Assert.ThrowsAsync<PhasedPreflightFailedException>(() => Rotation(site, replicas).PreflightAsync(PhasedAction.Rotate, Token));
        Assert.Contains("run ResumePhased to finish it or RollbackPhased to undo it", rotate.Message);

        // Phase 1 took V2 off every replica: a field only it opens would be lost by the phases still to come.
        File.WriteAllText(Path.Combine(site.Paths.Config, "late.json"), $"{{\"token\": \"{FernetToken.Encrypt(site.V2, Encoding.UTF8.GetBytes("late"))}\"}}");
        var resume = await Assert.ThrowsAsync<PhasedPreflightFailedException>(() => Rotation(site, replicas).PreflightAsync(PhasedAction.Resume, Token));
        Assert.Contains("late.json", Assert.Single(resume.Problems));
    }

    [Fact]
    public async Task Preflight_for_Rollback_does_not_need_healthy_replicas_but_a_phased_rotation_to_undo()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        var nothing = await Assert.ThrowsAsync<PhasedPreflightFailedException>(() => Rotation(site, replicas).PreflightAsync(PhasedAction.Rollback, Token));
        Assert.Contains("no unfinished phased rotation", Assert.Single(nothing.Problems));
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, killAfter: RotationStep.PhaseNewKeyPrimary).RotateAsync(Token));
        var broken = (await replicas.ReplicasAsync(Token))[1].StartupLog;
        File.AppendAllText(broken, "{\"event\": \"key_check\", \"message\": \"Key presence/integrity check: FAIL\"}\n");

        var cleared = await Rotation(site, replicas).PreflightAsync(PhasedAction.Rollback, Token);

        Assert.Equal(PhasedAction.Rollback, cleared.Action);
        Assert.Equal(site.V1, cleared.OldKeys.Primary);
        var resume = await Assert.ThrowsAsync<PhasedPreflightFailedException>(() => Rotation(site, replicas).PreflightAsync(PhasedAction.Resume, Token));
        Assert.Contains("replica fake.2: its latest key check is a FAIL", resume.Message);
    }

    [Fact]
    public async Task The_descriptions_of_Resume_and_Rollback_name_the_phases_left_and_change_nothing()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, killAfter: RotationStep.PhaseNewKeyReadable).RotateAsync(Token));
        var journal = RotationJournal.FindUnfinished(site.Paths.KeyRotation)!;
        var journalBefore = File.ReadAllText(journal.FilePath);
        var envBefore = File.ReadAllText(site.Paths.DotEnv);

        IReadOnlyList<string> resume, rollback;
        using (KeyRotation.Effects.EffectGuard.Engage())
        {
            resume = await Rotation(site, replicas).DescribeResumeAsync(Token);
            rollback = await Rotation(site, replicas).DescribeRollbackAsync(Token);
        }

        Assert.Equal(["phase 2", "phase 3"], resume.Where(l => l.StartsWith("would run", StringComparison.Ordinal)).Select(l => l["would run ".Length..][..7]));
        Assert.Contains(rollback, l => l.StartsWith("rollback of phase 1: would move any field under " + journal.Fact(JournalFacts.NewPrimary), StringComparison.Ordinal));
        Assert.DoesNotContain(rollback, l => l.StartsWith("rollback of phase 2", StringComparison.Ordinal));
        Assert.Single(replicas.RollOuts);
        Assert.Equal(journalBefore, File.ReadAllText(journal.FilePath));
        Assert.Equal(envBefore, File.ReadAllText(site.Paths.DotEnv));
    }

    [Theory]
    [InlineData("production", null, true)]
    [InlineData("production", "production", false)]
    [InlineData("staging", null, false)]
    public void The_announcement_gate_refuses_an_unconfirmed_production_as_Announce_does(string env, string? confirm, bool refused)
    {
        var cleared = new PhasedPreflighted(PhasedAction.Rotate, new KeySlots(FernetKey.Generate(), FernetKey.Generate()), null, "");

        var error = Record.Exception(() => PhasedAnnouncement.Announce(env, confirm, null, "fake replica set", cleared));

        Assert.Equal(refused, error is KeyRotation.Rotation.ProductionNotConfirmedException);
        if (!refused) Assert.Null(error);
    }

    [Fact]
    public async Task A_rollback_after_verified_rotations_shreds_none_of_their_snapshots_and_journals_the_retired_key_copies()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().WithFieldUnderV2().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2)) { Retires = ["robodj_key_copy"] };
        await Rotation(site, replicas).RotateAsync(Token);
        await NextSecondAsync();
        await Rotation(site, replicas).RotateAsync(Token);
        await NextSecondAsync();
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, killAfter: RotationStep.PhaseNewKeyPrimary).RotateAsync(Token));

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

        var id = await Rotation(site, replicas).RotateAsync(Token);

        var journal = RotationJournal.Find(site.Paths.KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.Completed));
        Assert.Equal((RotationStep.Retention, StepPhase.Failed), (journal.Entries.Last().Step, journal.Entries.Last().Phase));
    }

    /// <summary>A run whose lock was taken over stops as fenced, even in retention: never "old snapshots not removed" and success.</summary>
    [Fact]
    public async Task A_lock_lost_during_retention_stops_the_run_as_fenced_not_as_a_retention_warning()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var lost = new RoboDJ.KeyRotation.Rotation.RotationLockLostException(site.Paths.RotationLock, 1, "retiring the key copies", "held by another run");
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2)) { RetireFailure = lost };

        var thrown = await Assert.ThrowsAsync<RoboDJ.KeyRotation.Rotation.RotationLockLostException>(() => Rotation(site, replicas).RotateAsync(Token));

        Assert.Same(lost, thrown);
        var journal = Assert.Single(RotationJournal.All(site.Paths.KeyRotation));
        Assert.DoesNotContain(journal.Entries, e => e.Step == RotationStep.Retention && e.Phase == StepPhase.Failed);
    }

    [Fact]
    public async Task The_dry_run_preview_says_what_retention_would_do_in_the_single_hosts_words()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));

        var preview = await Rotation(site, replicas, keep: 2).PreviewAsync(Token);

        Assert.Contains("would " + new SnapshotRetention(new DeploymentScope(site.Paths), 2).Describe(), preview);
    }

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

    /// <summary>
    /// A rollback that undid phase 2 and then stopped says "or ResumePhased to finish the rotation instead": the replicas
    /// run V1 = old, V2 = new again, so Resume must roll phase 2 out anew, not go on at phase 3 as if it still held.
    /// </summary>
    [Fact]
    public async Task Resume_after_a_rollback_that_undid_phase_2_rolls_phase_2_out_again_and_completes()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, killAfter: RotationStep.PhaseNewKeyPrimary).RotateAsync(Token));
        var fresh = (await new DotEnvSecretStore(site.Paths.DotEnv).ReadAsync(Token)).Primary!;
        // A field no key opens stops the rollback after it undid phase 2; once it is dealt with, the operator resumes.
        var stranger = Path.Combine(site.Paths.Config, "stranger.json");
        File.WriteAllText(stranger, $"{{\"token\": \"{FernetToken.Encrypt(FernetKey.Generate(), Encoding.UTF8.GetBytes("x"))}\"}}");
        var stopped = await Assert.ThrowsAsync<PhaseCensusException>(() => Rotation(site, replicas).RollbackAsync(Token));
        Assert.Contains("ResumePhased to finish the rotation instead", stopped.Message);
        File.Delete(stranger);

        var id = await Rotation(site, replicas).ResumeAsync(Token);

        var old = site.V1.Fingerprint.Hex;
        Assert.Equal([(old, fresh.Fingerprint.Hex), (fresh.Fingerprint.Hex, old), (old, fresh.Fingerprint.Hex), (fresh.Fingerprint.Hex, old)], replicas.RollOuts);
        Assert.True(RotationJournal.Find(site.Paths.KeyRotation, id)!.HasEnded(RotationStep.Completed));
        var census = Census.Take(new DeploymentScope(site.Paths), new KeyRing(fresh), cancellationToken: Token);
        Assert.Equal(census.Total, census.UnderPrimary);
    }

    /// <summary>The recovery gate allows the pair phase 1 put in .env (V1 = old, V2 = new): its rollback still runs.</summary>
    [Fact]
    public async Task Rollback_after_phase_1_passes_the_gate_and_puts_the_pre_rotation_pair_back()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, killAfter: RotationStep.PhaseNewKeyReadable).RotateAsync(Token));
        Assert.Equal(site.V1, (await new DotEnvSecretStore(site.Paths.DotEnv).ReadAsync(Token)).Primary);

        var id = await Rotation(site, replicas).RollbackAsync(Token);

        var store = await new DotEnvSecretStore(site.Paths.DotEnv).ReadAsync(Token);
        Assert.Equal((site.V1, site.V2), (store.Primary, store.Secondary));
        Assert.True(RotationJournal.Find(site.Paths.KeyRotation, id)!.HasEnded(RotationStep.RolledBack));
    }

    [Fact]
    public async Task A_rotation_stopped_before_its_snapshot_ended_is_rolled_back_from_env_and_Resume_says_to_do_that()
    {
        using var site = new DeploymentBuilder().WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        var envBefore = File.ReadAllText(site.Paths.DotEnv);
        var id = await StoppedWhileTakingItsSnapshot(site, replicas);

        var resume = await Assert.ThrowsAsync<KeyRotation.Rotation.GateRefusedException>(() => Rotation(site, replicas).ResumeAsync(Token));
        Assert.Contains("stopped before its snapshot was taken", resume.Message);
        Assert.Contains("run RollbackPhased", resume.Message);
        await Rotation(site, replicas).PreflightAsync(PhasedAction.Rollback, Token);
        await Rotation(site, replicas).RollbackAsync(Token);

        Assert.True(RotationJournal.Find(site.Paths.KeyRotation, id)!.HasEnded(RotationStep.RolledBack));
        Assert.Equal(envBefore, File.ReadAllText(site.Paths.DotEnv));
        Assert.Empty(replicas.RollOuts);
        await Rotation(site, replicas).RotateAsync(Token);
    }

    /// <summary>A run killed while it copied the snapshot: the journal's last line is the snapshot's Started, no snapshot is whole.</summary>
    static async Task<RotationId> StoppedWhileTakingItsSnapshot(DeploymentBuilder site, FakeReplicaSet replicas)
    {
        // Phase 0 with nothing under V2 changes nothing: the run is then cut back to its snapshot's Started line.
        await Assert.ThrowsAsync<Killed>(() => Rotation(site, replicas, killAfter: RotationStep.PhaseRewrapUnderV1).RotateAsync(Token));
        var journal = RotationJournal.FindUnfinished(site.Paths.KeyRotation)!;
        var lines = File.ReadAllLines(journal.FilePath);
        var snapshotStarted = Array.FindIndex(lines, l => l.Contains("\"step\":\"snapshot\"", StringComparison.Ordinal));
        File.WriteAllLines(journal.FilePath, lines[..(snapshotStarted + 1)]);
        File.Delete(Path.Combine(site.Paths.SnapshotDirectory(journal.Id), SnapshotStore.ManifestName));
        return journal.Id;
    }

    /// <summary>Rotation ids order by their second, then by a random suffix: rotations in one second have no order.</summary>
    static Task NextSecondAsync() => Task.Delay(TimeSpan.FromMilliseconds(1100), Token);

    static PhasedRotation Rotation(DeploymentBuilder site, IReplicaSet replicas, RotationStep? killAfter = null, string env = "staging", int keep = 1) =>
        new(new PhasedRotationSettings(new DeploymentScope(site.Paths), env, null, TimeSpan.FromSeconds(2)) { KeepSnapshots = keep }, replicas)
        {
            AfterPhase = (step, _) => step == killAfter ? throw new Killed() : Task.CompletedTask,
        };

    sealed class Killed : Exception;
}
