using System.Security.Cryptography;
using RoboDJ.Build.Tests.PythonReference;
using RoboDJ.Build.Tests.Swarm;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Rotation;
using Xunit;

namespace RoboDJ.Build.Tests.Fleet;

/// <summary>
/// RotateFleet, ResumeFleet and RollbackFleet as an operator runs them: the built build as a process against 3 hosts of
/// the Python reference app (FleetSite), its process killed (SIGKILL) at a phase boundary, under the load generator.
/// </summary>
public sealed class FleetTargetsEndToEndTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RotateFleet_killed_after_phase_1_is_finished_by_ResumeFleet_with_no_request_dropped()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 3, fieldsUnderV2: 2);
        using var build = new BuildProcess();
        await using var load = new LoadGenerator(site.Ports, site.Password);
        await load.StartAsync();

        var killed = await build.RunAsync(Args(site, "RotateFleet"), Password(site), during: process => KillAfterAsync(site, RotationStep.PhaseNewKeyReadable, process));
        var resumed = await build.RunAsync(Args(site, "ResumeFleet"), Password(site));
        await load.StopAsync();
        TestContext.Current.TestOutputHelper?.WriteLine("RotateFleet killed after phase 1, ResumeFleet, under load: " + load.Summary);

        Assert.NotEqual(0, killed.ExitCode);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("completed on fleet fleet.yaml (3 hosts: host-1, host-2, host-3)", resumed.Output);
        Assert.True(load.Failures.Count == 0 && load.DecryptionErrors == 0, load.Summary);
        var journal = RotationJournal.FindLatest(new DeploymentPaths(site.SharedRoot).KeyRotation)!;
        Assert.True(journal.HasEnded(RotationStep.Completed));
        // The killed run ended phase 1 (and perhaps began phase 2); phase 1 was not rolled out twice.
        Assert.Single(journal.Entries, e => e.Step == RotationStep.PhaseNewKeyReadable && e.Phase == StepPhase.Started);
        var census = PythonReferencePeer.Census(site.SharedRoot);
        Assert.Equal(journal.Fact(JournalFacts.NewPrimary), "sha256:" + census.V1);
        Assert.Equal((5, 5), (census.Fields, census.UnderV1Alone));
        Assert.All(site.HostCensuses(), host => Assert.Equal(census.V1, host.V1));
        Canary.AssertAbsent(killed.Output + resumed.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task RotateFleet_killed_after_phase_0_is_undone_by_RollbackFleet()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 2);
        using var build = new BuildProcess();

        var killed = await build.RunAsync(Args(site, "RotateFleet"), Password(site), during: process => KillAfterAsync(site, RotationStep.PhaseRewrapUnderV1, process));
        var rolledBack = await build.RunAsync(Args(site, "RollbackFleet"), Password(site));

        Assert.NotEqual(0, killed.ExitCode);
        Assert.True(rolledBack.ExitCode == 0, rolledBack.ToString());
        Assert.True(RotationJournal.FindLatest(new DeploymentPaths(site.SharedRoot).KeyRotation)!.HasEnded(RotationStep.RolledBack));
        var census = PythonReferencePeer.Census(site.SharedRoot);
        Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (census.V1, census.V2));
        Assert.Equal((4, 4), (census.Fields, census.UnderRing));
        Assert.All(site.HostCensuses(), host => Assert.Equal((site.V1.Fingerprint.Hex, site.V2.Fingerprint.Hex), (host.V1, host.V2)));
        Canary.AssertAbsent(killed.Output + rolledBack.Output, site.Canaries, "the build's output");
    }

    [Fact]
    public async Task A_fleet_file_with_a_dashboard_off_127_0_0_1_is_bad_input_naming_the_file_line_and_fix_and_nothing_changes()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 1, fieldsUnderV2: 1);
        File.WriteAllText(site.FleetFilePath, File.ReadAllText(site.FleetFilePath).Replace($"http://127.0.0.1:{site.Port(2)}/", $"http://localhost:{site.Port(2)}/"));
        var before = Hashes(site);
        using var build = new BuildProcess();

        var result = await build.RunAsync(Args(site, "RotateFleet"), Password(site));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{site.FleetFilePath}:15: dashboard 'http://localhost:{site.Port(2)}/' is not on 127.0.0.1", result.Output);
        Assert.Contains("Fix: run each host's job on that host", result.Output);
        Assert.Equal(before, Hashes(site));
        Assert.False(Directory.Exists(new DeploymentPaths(site.SharedRoot).KeyRotation));
    }

    [Fact]
    public async Task RotateFleet_dry_run_checks_every_host_previews_the_phases_and_changes_no_byte()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 2, fieldsUnderV2: 1);
        var before = Hashes(site);
        using var build = new BuildProcess();

        var result = await build.RunAsync([.. Args(site, "RotateFleet"), "--dry-run", "--keep-snapshots", "2"], Password(site));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("fleet fleet.yaml (3 hosts: host-1, host-2, host-3): 3 replicas run V1 sha256:" + site.V1.Fingerprint.Hex, result.Output);
        Assert.Contains("phase 0: would rewrap 1 field(s) under V2", result.Output);
        Assert.Contains("would keep the snapshots of the newest 2 verified rotation(s) and any snapshot holding a key a field still needs; shred the rest", result.Output);
        Assert.Equal(before, Hashes(site));
        Assert.False(Directory.Exists(new DeploymentPaths(site.SharedRoot).KeyRotation));
    }

    [Fact]
    public async Task RotateFleet_in_production_passes_the_same_gates_unconfirmed_refused_and_not_skippable()
    {
        await using var site = await FleetSite.StartAsync(fieldsUnderV1: 1, fieldsUnderV2: 1);
        foreach (var env in new[] { site.SharedRoot }.Concat(Enumerable.Range(1, FleetSite.Hosts).Select(site.HostRoot)).Select(r => Path.Combine(r, ".env")))
            File.WriteAllText(env, File.ReadAllText(env).Replace("ROBODJ_ENV=sandbox", "ROBODJ_ENV=production"));
        var before = Hashes(site);
        using var build = new BuildProcess();
        string[] Production(params string[] extra) => [.. Args(site, "RotateFleet").Select(a => a == "sandbox" ? "production" : a), .. extra];

        var unconfirmed = await build.RunAsync(Production(), Password(site));
        var skipped = await build.RunAsync(Production("--skip", "AnnouncePhased"), Password(site));

        Assert.True(unconfirmed.ExitCode == 3, unconfirmed.ToString());
        Assert.Contains("--confirm production", unconfirmed.Output);
        Assert.True(skipped.ExitCode == 2, skipped.ToString());
        Assert.Equal(before, Hashes(site));
        Assert.False(Directory.Exists(new DeploymentPaths(site.SharedRoot).KeyRotation));
        Assert.All(site.LastKeyChecks(), check => Assert.Equal(site.V1.Fingerprint.Hex, check.GetProperty("v1").GetString()));
    }

    static string[] Args(FleetSite site, string target) =>
        [target, "--env", "sandbox", "--deployment-root", site.SharedRoot, "--fleet", site.FleetFilePath, "--verify-timeout", "60"];

    static Dictionary<string, string> Password(FleetSite site) => new() { ["DASHBOARD_PASSWORD"] = site.Password };

    /// <summary>SIGKILL the build once its journal holds the phase's Ended line: a runner that died at the boundary.</summary>
    static async Task KillAfterAsync(FleetSite site, RotationStep phase, System.Diagnostics.Process build)
    {
        var keyRotation = new DeploymentPaths(site.SharedRoot).KeyRotation;
        if (await BuildProcess.UntilAsync(build, () => RotationJournal.FindLatest(keyRotation) is { } journal && journal.HasEnded(phase))) build.Kill();
    }

    static Dictionary<string, string> Hashes(FleetSite site) =>
        new[] { site.SharedRoot }.Concat(Enumerable.Range(1, FleetSite.Hosts).Select(site.HostRoot))
            .SelectMany(root => Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}logs{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => f, f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));
}
