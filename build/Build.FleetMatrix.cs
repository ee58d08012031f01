using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Fleet;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline;
using Serilog;

/// <summary>
/// The fleet rotation as a GitHub Actions matrix (.github/workflows/rotate-fleet.yml, docs/fleet.md): one job lists
/// the hosts and hands the next key off once (sealed in the environment's secrets), one job per host and phase runs
/// that phase on that host (`needs:` is the barrier), one job promotes the new key in the store at the end.
/// </summary>
partial class Build
{
    [Parameter("fleet: the phase FleetPhase runs on --fleet-host (0 and 3: the single writer's config save; 1, 2: that host's rollout)", ValidValues = new[] { "0", "1", "2", "3" })]
    readonly string? Phase;

    [Parameter("fleet: the host (its name in the fleet file) FleetPhase runs on")]
    readonly string? FleetHost;

    Target FleetMatrix => _ => _
        .Description("Fleet on GitHub Actions: the hosts as a job matrix and the single writer, to $GITHUB_OUTPUT")
        .Requires(() => Fleet)
        .Requires(() => FleetIsUsable(withSharedConfig: false))
        .Executes(() =>
        {
            var fleet = LoadFleet();
            foreach (var line in RoboDJ.KeyRotation.Fleet.FleetMatrix.Write(fleet, GetEnvironmentVariable("GITHUB_OUTPUT"))) Log.Information("GitHub output {Output}", line);
            Note($"{fleet.Hosts.Count} hosts, single writer {fleet.Hosts[0].Name}");
        });

    Target FleetKeyHandOff => _ => _
        .Description("Fleet on GitHub Actions: generate the next key once and store it sealed in the GitHub environment")
        .Requires(() => Env)
        .Executes(async ct => Note(await Guarded(() => FleetHandOff().GenerateOnceAsync(ct))));

    Target FleetPhase => _ => _
        .Description("Fleet on GitHub Actions: run --phase N on --fleet-host X, with the keys from the environment's secrets")
        .Requires(() => Env)
        .Requires(() => Fleet)
        .Requires(() => Phase)
        .Requires(() => FleetHost)
        .Requires(() => FleetIsUsable(withSharedConfig: false))
        .Executes(async ct => Note(await Guarded(() => HostPhase().RunAsync(int.Parse(Phase!, System.Globalization.CultureInfo.InvariantCulture), FleetKeys.FromEnvironment(GetEnvironmentVariable),
            RoboDJ.KeyRotation.LogMessage.Progress, ct))));

    Target FleetPromote => _ => _
        .Description("Fleet on GitHub Actions: after phase 3, V1 := the next key, V2 := the old V1 in the environment's secrets")
        .Requires(() => Env)
        .Executes(async ct => Note(await Guarded(() => FleetHandOff().PromoteAsync(ct))));

    // Not Settings: a host job needs no --deployment-root, each host's root is in the fleet file.
    FleetFile LoadFleet() => FleetFile.Load(Path.GetFullPath(Fleet!, RootDirectory), new FleetHostDefaults(Launcher, ProcessName, PidFile, LauncherLog));

    FleetKeyHandOff FleetHandOff() => new(GitHub.CreateSecretStore(StoreKind.GitHubEnvironment, Env!, GitHubEnvironment), GetEnvironmentVariable);

    FleetHostPhase HostPhase()
    {
        var host = LoadFleet().Host(FleetHost!);
        var runtime = new FleetHostRuntime(host, TimeSpan.FromSeconds(StopTimeout), TimeSpan.FromSeconds(StartTimeout), TimeSpan.FromSeconds(VerifyTimeout));
        return new FleetHostPhase(host, Env!, host.Scope(ConfigExclusions, AllowLinkTargets),
            DashboardPassword is { Length: > 0 } password ? new DashboardCredentials(DashboardUser, password) : null, runtime, TimeSpan.FromSeconds(VerifyTimeout));
    }
}
