using System.Diagnostics;
using System.Text.Json;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.Fleet;

/// <summary>
/// Issue 25's frozen holder on the fleet path (RotateFleet, RollbackFleet; the same lock as on one host): RotateFleet
/// SIGSTOPped after phase 1 past the heartbeat limit, RollbackFleet --break-lock from a second operator, then SIGCONT.
/// Against 3 hosts of the Python reference app; every case ends with the independent census of the shared tree and of
/// each host's .env, and a key scan.
/// </summary>
public sealed class FleetFrozenLockHolderEndToEndTests
{
    const int PhaseOneEnded = 7; // Begin, Snapshot s/e, phase 0 s/e, phase 1 s/e

    [Fact]
    public async Task RotateFleet_frozen_after_phase_1_keeps_its_lock_against_RollbackFleet_with_break_lock_and_completes_on_SIGCONT()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 2);
        using var rotating = new BuildProcess();
        using var second = new BuildProcess();
        BuildProcess.Result? rollback = null;

        var rotation = await rotating.RunAsync(Args(site, "RotateFleet"), Environment(site, pauseAfter: PhaseOneEnded), timeout: TimeSpan.FromMinutes(8),
            during: process => WhileFrozenAsync(site, process, async () => rollback = await second.RunAsync([.. Args(site, "RollbackFleet"), "--break-lock"], Environment(site))));

        Assert.True(rollback is not null, $"RotateFleet ended before phase 1:\n{rotation}");
        Assert.True(rollback.ExitCode == 3, rollback.ToString());
        Assert.Contains("holds the kernel lock", rollback.Output);
        Assert.True(rotation.ExitCode == 0, rotation.ToString());
        var journal = RotationJournal.FindLatest(Paths(site).KeyRotation)!;
        Assert.True(journal.HasEnded(RotationStep.Completed));
        Assert.DoesNotContain(journal.Entries, e => e.Step == RotationStep.Rollback);
        var census = PythonReferencePeer.Census(site.SharedRoot);
        Assert.Equal((journal.Fact(JournalFacts.NewPrimary), site.V1.Fingerprint.Hex), ("sha256:" + census.V1, census.V2));
        Assert.Equal((4, 4), (census.Fields, census.UnderV1Alone));
        Assert.All(site.HostCensuses(), host => Assert.Equal((census.V1, census.V2), (host.V1, host.V2)));
        Canary.AssertAbsent(rotation.Output + rollback.Output, site.Canaries, "the builds' output");
    }

    // The shared tree on a file system whose locks do not reach the other host: the kernel lock's file is replaced, so
    // RollbackFleet takes the lock over. The fencing token stops RotateFleet before it writes phase 2's first line.
    [Fact]
    public async Task Where_the_kernel_lock_does_not_reach_RotateFleet_taken_over_while_frozen_is_fenced_and_RollbackFleet_leaves_every_host_on_the_old_pair()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 2);
        using var rotating = new BuildProcess();
        using var second = new BuildProcess();
        BuildProcess.Result? rollback = null;
        long frozenToken = 0;

        var rotation = await rotating.RunAsync(Args(site, "RotateFleet"), Environment(site, pauseAfter: PhaseOneEnded), timeout: TimeSpan.FromMinutes(8),
            during: process => WhileFrozenAsync(site, process, async () =>
            {
                frozenToken = RotationLock.Read(Paths(site).RotationLock)!.Token;
                File.Delete(RotationLock.KernelLockPath(Paths(site).RotationLock));
                rollback = await second.RunAsync([.. Args(site, "RollbackFleet"), "--break-lock"], Environment(site));
            }));

        Assert.True(rollback is not null, $"RotateFleet ended before phase 1:\n{rotation}");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.True(rotation.ExitCode == 1, rotation.ToString());
        Assert.Contains($"this run's rotation lock (fencing token {frozenToken}) was taken over while it was paused", rotation.Output);
        var entries = RotationJournal.FindLatest(Paths(site).KeyRotation)!.Entries.ToList();
        Assert.Contains(entries, e => e.Step == RotationStep.RolledBack && e.Phase == StepPhase.Ended && e.LockToken > frozenToken);
        var fenced = Assert.Single(entries, e => e.Fact(JournalFacts.Fenced) is not null);
        Assert.Equal(frozenToken, fenced.LockToken);
        Assert.Contains("PhaseNewKeyReadable", fenced.Fact(JournalFacts.Fenced));
        Assert.DoesNotContain(entries, e => e.Step == RotationStep.PhaseNewKeyPrimary);
        var census = PythonReferencePeer.Census(site.SharedRoot);
        Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((4, 4), (census.Fields, census.UnderRing));
        Assert.All(site.HostCensuses(), host => Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (host.V1, host.V2)));
        Assert.All(site.LastKeyChecks(), check => Assert.Equal(site.V1.Fingerprint.Hex, check.GetProperty("v1").GetString()));
        Canary.AssertAbsent(rotation.Output + rollback.Output, site.Canaries, "the builds' output");
    }

    // PreflightPhased's note said "lock free" while the phased target then took a dead holder's lock over.
    [Fact]
    public async Task PreflightPhased_says_which_stale_lock_the_fleet_target_takes_over_instead_of_lock_free()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 1, fieldsUnderV2: 1);
        using var dead = Process.Start("true")!;
        await dead.WaitForExitAsync(TestContext.Current.CancellationToken);
        Directory.CreateDirectory(Paths(site).KeyRotation);
        File.WriteAllText(Paths(site).RotationLock, JsonSerializer.Serialize(
            new RotationLockInfo("carol", System.Environment.MachineName, dead.Id, "sandbox", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)));
        using var build = new BuildProcess();

        var result = await build.RunAsync(Args(site, "RotateFleet"), Environment(site), timeout: TimeSpan.FromMinutes(6));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("lock free", result.Output);
        Assert.Contains($"lock held by no live rotation, so the phased target takes it over: its holder carol on {System.Environment.MachineName} (pid {dead.Id}) is no longer running", result.Output);
        Assert.Contains("Took over the stale rotation lock", result.Output);
        Assert.Equal((2, 2), (PythonReferencePeer.Census(site.SharedRoot).Fields, PythonReferencePeer.Census(site.SharedRoot).UnderV1Alone));
        Canary.AssertAbsent(result.Output, site.Canaries, "the build's output");
    }

    static DeploymentPaths Paths(FleetSite site) => new(site.SharedRoot);

    static string[] Args(FleetSite site, string target) =>
        [target, "--env", "sandbox", "--deployment-root", site.SharedRoot, "--fleet", site.FleetFilePath, "--verify-timeout", "60"];

    static Dictionary<string, string> Environment(FleetSite site, int? pauseAfter = null)
    {
        var environment = new Dictionary<string, string> { ["DASHBOARD_PASSWORD"] = site.Password };
        if (pauseAfter is { } line) { environment["ROBODJ_TEST_HOOKS"] = "1"; environment["ROBODJ_TEST_PAUSE_AFTER_JOURNAL_STEP"] = line.ToString(); }
        return environment;
    }

    /// <summary>At phase 1's end (the build sleeps there for 5 s), the second operator acts while the build is frozen.</summary>
    static async Task WhileFrozenAsync(FleetSite site, Process build, Func<Task> secondOperator)
    {
        var keyRotation = Paths(site).KeyRotation;
        if (await BuildProcess.UntilAsync(build, () => RotationJournal.FindLatest(keyRotation) is { } j && j.HasEnded(RotationStep.PhaseNewKeyReadable)))
            await FrozenHolder.WhileFrozenAsync(build, Paths(site).RotationLock, secondOperator);
    }
}
