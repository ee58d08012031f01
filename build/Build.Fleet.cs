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

    Target RotateFleet => _ => _
        .Description("Fleet: rotate every host without downtime in four phases, each verified on every host (issue 12)")
        .Requires(() => Env)
        .Requires(() => Fleet)
        .Requires(() => ResolvedDeploymentRoot)
        .Requires(() => FleetIsUsable(withSharedConfig: true))
        .Executes(async ct => Note(await Guarded(async () => IsDryRun
            ? Preview(await FleetRotation().PreviewAsync(ct))
            : $"phased rotation {await FleetRotation().RotateAsync(ct)} completed on {FleetHosts().Description}")));

    Target ResumeFleet => _ => _
        .Description("Fleet: continue an unfinished fleet rotation at the phase after the last one that ended")
        .Requires(() => Env)
        .Requires(() => Fleet)
        .Requires(() => ResolvedDeploymentRoot)
        .Requires(() => FleetIsUsable(withSharedConfig: true))
        .Executes(async ct => Note(await Guarded(async () => $"phased rotation {await FleetRotation().ResumeAsync(ct)} completed on {FleetHosts().Description}")));

    Target RollbackFleet => _ => _
        .Description("Fleet: reverse an unfinished fleet rotation phase by phase, back to the pre-rotation keys on every host")
        .Requires(() => Env)
        .Requires(() => Fleet)
        .Requires(() => ResolvedDeploymentRoot)
        .Requires(() => FleetIsUsable(withSharedConfig: true))
        .Executes(async ct => Note(await Guarded(async () => $"phased rotation {await FleetRotation().RollbackAsync(ct)} rolled back on {FleetHosts().Description}")));

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

    PhasedRotation FleetRotation()
    {
        var settings = new PhasedRotationSettings(new DeploymentScope(Settings.Paths, ConfigExclusions), Env!,
            DashboardPassword is { Length: > 0 } password ? new DashboardCredentials(DashboardUser, password) : null, TimeSpan.FromSeconds(VerifyTimeout))
        {
            ProductionConfirmed = Confirm == "production",
            BreakLock = BreakLock,
        };
        return new PhasedRotation(settings, FleetHosts(), new Progress<string>(m => Log.Information("{Progress}", m)));
    }
}
