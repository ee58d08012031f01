using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Swarm;
using Xunit;

namespace RoboDJ.Build.Tests.Swarm;

/// <summary>
/// The phased rotation against a real single-node swarm: 3 replicas of the Python reference app sharing one config
/// tree, under a load generator that talks to every replica for the whole rotation. Budget: 0 failed requests, 0
/// decryption errors. Peers: dockerd in swarm mode, the busybox test image, Debian's python3 with cryptography and dotenv.
/// </summary>
public sealed class SwarmPhasedRotationAgainstRealEngineTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_phased_rotation_under_load_killed_at_the_phase_2_boundary_and_resumed_drops_no_request_and_ends_with_every_field_under_the_new_key()
    {
        SwarmPeer.Require();
        await using var site = await SwarmSite.StartAsync(fieldsUnderV1: 4, fieldsUnderV2: 2);
        using var engine = SwarmPeer.Engine();
        var killedAfterPhase2 = site.Rotation(engine, killedAfter: RotationStep.PhaseNewKeyPrimary);

        await using var load = site.Load();
        await load.StartAsync();
        await Assert.ThrowsAsync<KilledAtPhaseBoundary>(() => killedAfterPhase2.RotateAsync(Token));
        var id = await site.Rotation(engine).ResumeAsync(Token);
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine("phased rotation (killed after phase 2, resumed) under load: " + load.Summary);

        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        Assert.True(load.RequestsPerSecond >= 20, load.Summary);
        Assert.True(load.Rerouted > 0, "no request ever met a replica out of rotation, so the rollouts restarted nothing: " + load.Summary);

        var journal = RotationJournal.Find(new DeploymentPaths(site.Root).KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.Completed));
        Assert.Equal(PhasedSteps.InOrder, journal.Entries.Where(e => e.Phase == StepPhase.Ended && PhasedSteps.InOrder.Contains(e.Step)).Select(e => e.Step));
        var newV1 = journal.Fact(JournalFacts.NewPrimary)!;

        var census = PythonReferencePeer.Census(site.Root);
        Assert.Equal("sha256:" + census.V1, newV1);
        Assert.Equal(site.V1.Fingerprint.Hex, census.V2);
        Assert.Equal(6, census.Fields);
        Assert.Equal(6, census.UnderV1Alone);

        Assert.All(site.LastKeyChecks(), check =>
        {
            Assert.Equal("Key presence/integrity check: PASS", check.GetProperty("message").GetString());
            Assert.Equal(newV1, "sha256:" + check.GetProperty("v1").GetString());
            Assert.Equal(site.V1.Fingerprint.Hex, check.GetProperty("v2").GetString());
        });
        var fresh = (await new DotEnvSecretStore(Path.Combine(site.Root, ".env")).ReadAsync(Token)).Primary!;
        Assert.Equal(newV1, fresh.Fingerprint.ToString());
        var journalText = File.ReadAllText(journal.FilePath);
        Assert.All(new[] { site.V1, site.V2, fresh }, key => Assert.DoesNotContain(key.Text, journalText));
        var mounted = site.MountedSecrets();
        Assert.Equal("robodj_key_" + newV1["sha256:".Length..], mounted["robodj_v1"]);
        Assert.Equal(SwarmSecretName.For(site.V1), mounted["robodj_v2"]);
    }

    [Fact]
    public async Task A_rollback_after_phase_1_under_load_puts_the_pre_rotation_keys_back_on_every_replica()
    {
        SwarmPeer.Require();
        await using var site = await SwarmSite.StartAsync(fieldsUnderV1: 3, fieldsUnderV2: 1);
        using var engine = SwarmPeer.Engine();
        var killedAfterPhase1 = site.Rotation(engine, killedAfter: RotationStep.PhaseNewKeyReadable);

        await using var load = site.Load();
        await load.StartAsync();
        await Assert.ThrowsAsync<KilledAtPhaseBoundary>(() => killedAfterPhase1.RotateAsync(Token));
        var newKeyObject = site.MountedSecrets()["robodj_v2"];
        Assert.StartsWith("robodj_key_", newKeyObject);
        var id = await site.Rotation(engine).RollbackAsync(Token);
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine("rollback after phase 1 under load: " + load.Summary);

        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        Assert.True(load.RequestsPerSecond >= 20, load.Summary);

        var journal = RotationJournal.Find(new DeploymentPaths(site.Root).KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.RolledBack));
        Assert.False(journal.HasEnded(RotationStep.PhaseNewKeyPrimary));
        var census = PythonReferencePeer.Census(site.Root);
        Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal(4, census.UnderRing);
        Assert.Empty(census.Undecryptable);
        Assert.All(site.LastKeyChecks(), check =>
        {
            Assert.Equal(site.V1.Fingerprint.Hex, check.GetProperty("v1").GetString());
            Assert.Equal(site.V2.Fingerprint.Hex, check.GetProperty("v2").GetString());
        });
        Assert.DoesNotContain(newKeyObject, site.SecretNames());
    }

    [Theory]
    [InlineData(nameof(RotationStep.PhaseNewKeyPrimary))]
    [InlineData(nameof(RotationStep.PhaseSingleWriterSave))]
    public async Task A_rollback_after_phase_2_or_3_under_load_moves_every_field_back_under_the_old_V1_and_keeps_the_new_key_as_V2_on_every_replica(string killedAfter)
    {
        SwarmPeer.Require();
        var phase = Enum.Parse<RotationStep>(killedAfter);
        await using var site = await SwarmSite.StartAsync(fieldsUnderV1: 3, fieldsUnderV2: 1);
        var dotenvBefore = PythonReferencePeer.Census(site.Root).ValueFingerprints; // .env's values, keys included
        using var engine = SwarmPeer.Engine();
        var killed = site.Rotation(engine, killedAfter: phase);

        await using var load = site.Load();
        await load.StartAsync();
        await Assert.ThrowsAsync<KilledAtPhaseBoundary>(() => killed.RotateAsync(Token));
        var newKeyObject = site.MountedSecrets()["robodj_v1"];
        var fresh = (await new DotEnvSecretStore(new DeploymentPaths(site.Root).DotEnv).ReadAsync(Token)).Primary!;
        // After phase 3 every field is under the new key alone, so the rollback's single writer has all of them to move back.
        var reached = PythonReferencePeer.Census(site.Root);
        if (phase == RotationStep.PhaseSingleWriterSave) Assert.Equal((4, 4), (reached.Fields, reached.UnderV1Alone));
        var id = await site.Rotation(engine).RollbackAsync(Token);
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"rollback after {phase} under load: " + load.Summary);

        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        Assert.True(load.RequestsPerSecond >= 20, load.Summary);
        var journal = RotationJournal.Find(new DeploymentPaths(site.Root).KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.RolledBack));
        Assert.Equal([nameof(RotationStep.PhaseNewKeyPrimary), nameof(RotationStep.PhaseNewKeyReadable)],
            journal.Entries.Where(e => e.Step == RotationStep.Rollback && e.Phase == StepPhase.Ended).Select(e => e.Fact(PhasedFacts.Undone)));
        // The replicas wrote with the new key (sessions too): it stays as V2 behind the old V1, and only the old V2 goes.
        var census = PythonReferencePeer.Census(site.Root);
        Assert.Equal((site.V1.Fingerprint.Hex, fresh.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((4, 4), (census.Fields, census.UnderV1Alone));
        Assert.Equal(dotenvBefore.Where(v => v.Key != KeySlots.SecondaryName), census.ValueFingerprints.Where(v => v.Key != KeySlots.SecondaryName));
        Assert.All(site.LastKeyChecks(), check =>
        {
            Assert.Equal(site.V1.Fingerprint.Hex, check.GetProperty("v1").GetString());
            Assert.Equal(fresh.Fingerprint.Hex, check.GetProperty("v2").GetString());
        });
        Assert.Equal(new Dictionary<string, string> { ["robodj_v1"] = SwarmSecretName.For(site.V1), ["robodj_v2"] = newKeyObject }, site.MountedSecrets());
        Assert.DoesNotContain(SwarmSecretName.For(site.V2), site.SecretNames());
    }

    [Fact]
    public async Task A_rotation_killed_at_the_phase_3_boundary_is_finished_by_Resume_without_another_rollout()
    {
        SwarmPeer.Require();
        await using var site = await SwarmSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 1);
        using var engine = SwarmPeer.Engine();
        var killed = site.Rotation(engine, killedAfter: RotationStep.PhaseSingleWriterSave);
        await using var load = site.Load();
        await load.StartAsync();
        await Assert.ThrowsAsync<KilledAtPhaseBoundary>(() => killed.RotateAsync(Token));
        var service = site.ServiceState();

        var id = await site.Rotation(engine).ResumeAsync(Token);
        await load.StopAsync();

        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        var journal = RotationJournal.Find(new DeploymentPaths(site.Root).KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.Completed));
        Assert.Single(journal.Entries, e => e.Step == RotationStep.PhaseSingleWriterSave && e.Phase == StepPhase.Started);
        // Nothing was left to roll out: the service and its tasks are as phase 3 left them.
        Assert.Equal(service, site.ServiceState());
        var census = PythonReferencePeer.Census(site.Root);
        Assert.Equal("sha256:" + census.V1, journal.Fact(JournalFacts.NewPrimary));
        Assert.Equal((3, 3), (census.Fields, census.UnderV1Alone));
        Assert.Equal(site.V1.Fingerprint.Hex, census.V2);
    }
}
