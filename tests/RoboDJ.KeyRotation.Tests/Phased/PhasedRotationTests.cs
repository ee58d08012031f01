using System.Text;
using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Secrets;
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
        var census = Census.Take(new DeploymentScope(site.Paths), new KeyRing(fresh));
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
    public async Task Rollback_after_phase_2_moves_fields_off_the_new_key_and_puts_the_pre_rotation_pair_back()
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
             (site.V1.Fingerprint.Hex, fresh.Fingerprint.Hex), (site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex)],
            replicas.RollOuts);
        var store = await new DotEnvSecretStore(site.Paths.DotEnv).ReadAsync(Token);
        Assert.Equal((site.V1, site.V2), (store.Primary, store.Secondary));
        var census = Census.Take(new DeploymentScope(site.Paths), new KeyRing(site.V1, site.V2));
        Assert.Equal(3, census.Total);
        Assert.Empty(census.Undecryptable);
        var journal = RotationJournal.Find(site.Paths.KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.RolledBack));
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

    [Theory]
    [InlineData("staging", "production", "ROBODJ_ENV is 'staging' but --env is 'production'")]
    [InlineData("production", "production", "needs --confirm production")]
    public async Task A_rotation_of_the_wrong_or_an_unconfirmed_environment_is_refused_and_changes_nothing(string deployment, string env, string why)
    {
        using var site = new DeploymentBuilder().WithEnv(deployment).WithFieldUnderV1().Build();
        var replicas = new FakeReplicaSet(site.Paths.Root, new KeySlots(site.V1, site.V2));
        var envBefore = File.ReadAllText(site.Paths.DotEnv);

        var error = await Assert.ThrowsAsync<PhasedRotationRefusedException>(() => Rotation(site, replicas, env: env).RotateAsync(Token));

        Assert.Contains(why, error.Message);
        Assert.Empty(replicas.RollOuts);
        Assert.Equal(envBefore, File.ReadAllText(site.Paths.DotEnv));
        Assert.False(Directory.Exists(site.Paths.KeyRotation));
    }

    static PhasedRotation Rotation(DeploymentBuilder site, IReplicaSet replicas, RotationStep? killAfter = null, string env = "staging") =>
        new(new PhasedRotationSettings(new DeploymentScope(site.Paths), env, null, TimeSpan.FromSeconds(2)), replicas)
        {
            AfterPhase = (step, _) => step == killAfter ? throw new Killed() : Task.CompletedTask,
        };

    sealed class Killed : Exception;
}
