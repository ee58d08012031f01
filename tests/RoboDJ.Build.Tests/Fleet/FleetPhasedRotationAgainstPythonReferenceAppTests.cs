using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.Build.Tests.Swarm;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using Xunit;

namespace RoboDJ.Build.Tests.Fleet;

/// <summary>
/// The phased rotation over a fleet of 3 desktop deployments of the Python reference app on this machine, sharing one
/// config tree and one key pair, under a load generator that talks to every host's dashboard for the whole rotation.
/// Budget: 0 failed requests, 0 decryption errors. Each ends with python's own census of the shared tree and of every
/// host's .env. Peers: Debian's python3 with cryptography and dotenv, real processes.
/// </summary>
public sealed class FleetPhasedRotationAgainstPythonReferenceAppTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fleet_rotation_killed_at_every_phase_boundary_and_resumed_each_time_drops_no_request_and_ends_with_every_field_under_the_new_key()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 4, fieldsUnderV2: 2);
        await using var load = new LoadGenerator(site.Ports, site.Password);
        await load.StartAsync();

        var kills = new List<RotationStep>();
        await Assert.ThrowsAsync<KilledAtPhaseBoundary>(() => KilledAfter(site, PhasedSteps.InOrder[0], kills).RotateAsync(Token));
        foreach (var phase in PhasedSteps.InOrder.Skip(1))
            await Assert.ThrowsAsync<KilledAtPhaseBoundary>(() => KilledAfter(site, phase, kills).ResumeAsync(Token));
        var id = await site.Rotation().ResumeAsync(Token);
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine("fleet rotation (killed after each of the 4 phases, resumed each time) under load: " + load.Summary);

        Assert.Equal(PhasedSteps.InOrder, kills);
        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        Assert.True(load.RequestsPerSecond >= 20, load.Summary);
        Assert.True(load.Rerouted > 0, "no request ever met a host out of rotation, so the rollouts restarted nothing: " + load.Summary);

        var journal = RotationJournal.Find(new DeploymentPaths(site.SharedRoot).KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.Completed));
        Assert.Equal(PhasedSteps.InOrder, journal.Entries.Where(e => e.Phase == StepPhase.Ended && PhasedSteps.InOrder.Contains(e.Step)).Select(e => e.Step));
        var newV1 = journal.Fact(JournalFacts.NewPrimary)!;

        var census = PythonReferencePeer.Census(site.SharedRoot);
        Assert.Equal("sha256:" + census.V1, newV1);
        Assert.Equal(site.V1.Fingerprint.Hex, census.V2);
        Assert.Equal((6, 6), (census.Fields, census.UnderV1Alone));
        Assert.All(site.HostCensuses(), host => Assert.Equal(("sha256:" + host.V1, host.V2), (newV1, site.V1.Fingerprint.Hex)));
        Assert.All(site.LastKeyChecks(), check =>
        {
            Assert.Equal("Key presence/integrity check: PASS", check.GetProperty("message").GetString());
            Assert.Equal(newV1, "sha256:" + check.GetProperty("v1").GetString());
            Assert.Equal(site.V1.Fingerprint.Hex, check.GetProperty("v2").GetString());
        });
        var fresh = (await new DotEnvSecretStore(Path.Combine(site.HostRoot(1), ".env")).ReadAsync(Token)).Primary!;
        Assert.Contains("ROBODJ_STATION_NAME=\"Studio 1 # night\"  # kept as it is\n", File.ReadAllText(Path.Combine(site.HostRoot(1), ".env")));
        AssertNoKeyOutsideEnv(site, fresh);
    }

    [Fact]
    public async Task A_fleet_rotation_killed_after_phase_2_and_rolled_back_under_load_puts_the_old_V1_back_and_keeps_the_new_key_as_V2_on_every_host()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 3, fieldsUnderV2: 1);
        await using var load = new LoadGenerator(site.Ports, site.Password);
        await load.StartAsync();

        var kills = new List<RotationStep>();
        await Assert.ThrowsAsync<KilledAtPhaseBoundary>(() => KilledAfter(site, RotationStep.PhaseNewKeyPrimary, kills).RotateAsync(Token));
        var fresh = (await new DotEnvSecretStore(new DeploymentPaths(site.SharedRoot).DotEnv).ReadAsync(Token)).Primary!;
        // A config save on host 2 while it writes with the new key: the rollback has to move those fields back, not only the keys.
        // And a session host 2 issues now, under the new V1: no host may refuse it after the rollback.
        DashboardSession issuedUnderNewKey;
        using (var host2 = Host(site, 2))
        {
            issuedUnderNewKey = await host2.LoginAsync("admin", site.Password, Token);
            Assert.True((await host2.SaveConfigAsync(issuedUnderNewKey, Token)).Clean);
        }
        var beforeRollback = PythonReferencePeer.Census(site.SharedRoot);
        var id = await site.Rotation().RollbackAsync(Token);
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine("fleet rollback after phase 2 under load: " + load.Summary);

        Assert.Equal((4, 4), (beforeRollback.Fields, beforeRollback.UnderV1Alone));
        Assert.NotEqual(site.V1.Fingerprint.Hex, beforeRollback.V1);
        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        Assert.True(load.RequestsPerSecond >= 20, load.Summary);
        foreach (var n in Enumerable.Range(1, FleetSite.Hosts))
        {
            using var host = Host(site, n);
            Assert.True(await host.IsSessionValidAsync(issuedUnderNewKey, Token), $"host {n} refused a session issued under the new key during phase 2");
        }

        var journal = RotationJournal.Find(new DeploymentPaths(site.SharedRoot).KeyRotation, id)!;
        Assert.True(journal.HasEnded(RotationStep.RolledBack));
        Assert.False(journal.HasEnded(RotationStep.PhaseSingleWriterSave));
        // The hosts wrote with the new key in phase 2 (sessions too): it stays as V2, every field back under the old V1.
        var census = PythonReferencePeer.Census(site.SharedRoot);
        Assert.Equal((site.V1.Fingerprint.Hex, fresh.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((4, 4), (census.Fields, census.UnderV1Alone));
        Assert.Empty(census.Undecryptable);
        Assert.All(site.HostCensuses(), host => Assert.Equal((site.V1.Fingerprint.Hex, fresh.Fingerprint.Hex), (host.V1, host.V2)));
        Assert.All(site.LastKeyChecks(), check =>
        {
            Assert.Equal(site.V1.Fingerprint.Hex, check.GetProperty("v1").GetString());
            Assert.Equal(fresh.Fingerprint.Hex, check.GetProperty("v2").GetString());
        });
        AssertNoKeyOutsideEnv(site, fresh);
    }

    static DashboardClient Host(FleetSite site, int n) => new(new Uri($"http://127.0.0.1:{site.Port(n)}/"), TimeSpan.FromSeconds(10));

    static PhasedRotation KilledAfter(FleetSite site, RotationStep phase, List<RotationStep> kills) => new(site.PhasedSettings, site.ReplicaSet())
    {
        AfterPhase = (step, _) =>
        {
            if (step != phase) return Task.CompletedTask;
            kills.Add(step);
            throw new KilledAtPhaseBoundary();
        },
    };

    static void AssertNoKeyOutsideEnv(FleetSite site, FernetKey? fresh)
    {
        var keys = site.Canaries.Concat(fresh is null ? [] : [fresh.Text]).ToList();
        foreach (var file in site.TextFilesOutsideEnv()) Canary.AssertAbsent(File.ReadAllText(file), keys, file);
    }
}
