using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Fleet;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.Pipeline;
using Serilog;

/// <summary>
/// Zero-downtime rotation of a fleet of hosts that share one config tree (issue 12, "a fleet of hosts"): the same four
/// phases as on Swarm, over the hosts of --fleet; a host's rollout is one atomic write of its .env, a restart of its
/// app and its own PASS. --deployment-root is the shared deployment (its .env holds the pair being rolled out, its
/// key_rotation/ the journal and the snapshot).
/// </summary>
partial class Build
{
    [Parameter("fleet: the fleet file (YAML) listing every host's deployment; relative to the repository root (docs/fleet.md)")]
    readonly string? Fleet;

    // The same gates as on Swarm (Build.Swarm.cs): PreflightPhased checks every host, AnnouncePhased confirms production.
    Target RotateFleet => _ => _
        .Description("Fleet: rotate every host without downtime in four phases, each verified on every host (issue 12)")
        .DependsOn(AnnouncePhased)
        .Requires(() => Fleet)
        .Requires(() => FleetIsUsable(withSharedConfig: true))
        .Executes(async ct => Note(await PhasedChange(nameof(RotateFleet), () => Phased.PreviewAsync(ct),
            async () => $"phased rotation {await Phased.RotateAsync(ct)} completed on {FleetHosts().Description}")));

    Target ResumeFleet => _ => _
        .Description("Fleet: continue an unfinished fleet rotation at the phase after the last one that ended")
        .DependsOn(AnnouncePhased)
        .Requires(() => Fleet)
        .Requires(() => FleetIsUsable(withSharedConfig: true))
        .Executes(async ct => Note(await PhasedChange(nameof(ResumeFleet), () => Phased.DescribeResumeAsync(ct),
            async () => $"phased rotation {await Phased.ResumeAsync(ct)} completed on {FleetHosts().Description}")));

    Target RollbackFleet => _ => _
        .Description("Fleet: reverse an unfinished fleet rotation phase by phase, back to the pre-rotation keys on every host")
        .DependsOn(PreflightPhased)
        .Requires(() => Fleet)
        .Requires(() => FleetIsUsable(withSharedConfig: true))
        .Executes(async ct => Note(await PhasedChange(nameof(RollbackFleet), () => Phased.DescribeRollbackAsync(ct),
            async () => $"phased rotation {await Phased.RollbackAsync(ct)} rolled back on {FleetHosts().Description}")));

    /// <summary>The fleet targets run the phased protocol over the fleet's hosts; the Swarm ones (and PreflightPhased alone) over the service.</summary>
    bool IsFleetRun => IsInvoked(RotateFleet) || IsInvoked(ResumeFleet) || IsInvoked(RollbackFleet);

    /// <summary>A Requires: a fleet file that cannot be used is bad input (exit 2), reported before any target runs.</summary>
    bool FleetIsUsable(bool withSharedConfig)
    {
        try
        {
            var fleet = LoadFleet();
            if (withSharedConfig) SharedConfigTree.Require(fleet, Settings.Paths);
            return true;
        }
        catch (FleetFileException e) { throw new BuildInputException(e.Message, e); }
    }

    FleetReplicaSet? fleetHosts;

    FleetReplicaSet FleetHosts() => fleetHosts ??=
        new(LoadFleet(), Settings.Paths, TimeSpan.FromSeconds(StopTimeout), TimeSpan.FromSeconds(StartTimeout), TimeSpan.FromSeconds(VerifyTimeout));
}
