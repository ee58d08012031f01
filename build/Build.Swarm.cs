using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Phased;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Swarm;
using RoboDJ.Pipeline;
using Serilog;

/// <summary>
/// Zero-downtime rotation of replicated RoboDJ on Docker Swarm (issue 12): phase 0 rewrap under V1, phase 1
/// V1 = old / V2 = new, phase 2 V1 = new / V2 = old, phase 3 one writer's config save; each phase waits for every
/// replica's PASS. Separate from the stop-and-start Rotate: the app never goes down.
/// </summary>
partial class Build
{
    [Parameter("swarm: the service that runs RoboDJ's replicas (RotatePhased, ResumePhased, RollbackPhased)")]
    readonly string? SwarmService;

    [Parameter("swarm: the secret target (file in /run/secrets/) the app reads V1 from")]
    readonly string SwarmV1Target = "robodj_v1";

    [Parameter("swarm: the secret target the app reads V2 from")]
    readonly string SwarmV2Target = "robodj_v2";

    [Parameter("swarm: prefix of the secret objects the rotation creates, one per key (<prefix>_<fingerprint>)")]
    readonly string SwarmSecretPrefix = SwarmSecretName.DefaultPrefix;

    [Parameter("swarm: replica N's dashboard listens on 127.0.0.1 at this port + N (host network, N = task slot)", Minimum = 1)]
    readonly int SwarmDashboardPortBase = 8080;

    [Parameter("swarm: each replica's own startup log, relative to the deployment root; {slot} is the task slot")]
    readonly string SwarmReplicaLog = SwarmOptions.DefaultStartupLog;

    [Parameter("swarm: seconds one rollout (all replicas) may take", Minimum = 1)]
    readonly int SwarmRolloutTimeout = 300;

    Target RotatePhased => _ => _
        .Description("Swarm: rotate without downtime in four phases, each verified on every replica (issue 12)")
        .Requires(() => Env)
        .Requires(() => SwarmService)
        .Requires(() => ResolvedDeploymentRoot)
        .Executes(async ct => Note(await Guarded(async () => IsDryRun
            ? Preview(await Phased().PreviewAsync(ct))
            : $"phased rotation {await Phased().RotateAsync(ct)} completed on {SwarmService}")));

    Target ResumePhased => _ => _
        .Description("Swarm: continue an unfinished phased rotation at the phase after the last one that ended")
        .Requires(() => Env)
        .Requires(() => SwarmService)
        .Requires(() => ResolvedDeploymentRoot)
        .Executes(async ct => Note(await Guarded(async () => $"phased rotation {await Phased().ResumeAsync(ct)} completed on {SwarmService}")));

    Target RollbackPhased => _ => _
        .Description("Swarm: reverse an unfinished phased rotation phase by phase, back to the pre-rotation keys")
        .Requires(() => Env)
        .Requires(() => SwarmService)
        .Requires(() => ResolvedDeploymentRoot)
        .Executes(async ct => Note(await Guarded(async () => $"phased rotation {await Phased().RollbackAsync(ct)} rolled back on {SwarmService}")));

    static string Preview(IReadOnlyList<string> lines)
    {
        foreach (var line in lines) Log.Information("{Preview}", line);
        return $"dry run: {lines.Count - 1} steps previewed, nothing changed";
    }

    PhasedRotation Phased()
    {
        var engine = new SwarmEngine(DockerEngineAddress.Resolve(Environment.GetEnvironmentVariable("DOCKER_HOST")));
        var options = new SwarmOptions(SwarmService!)
        {
            PrimaryTarget = SwarmV1Target,
            SecondaryTarget = SwarmV2Target,
            SecretPrefix = SwarmSecretPrefix,
            DashboardPortBase = SwarmDashboardPortBase,
            StartupLog = SwarmReplicaLog,
            RolloutTimeout = TimeSpan.FromSeconds(SwarmRolloutTimeout),
        };
        var settings = new PhasedRotationSettings(new DeploymentScope(Settings.Paths, ConfigExclusions), Env!,
            DashboardPassword is { Length: > 0 } password ? new DashboardCredentials(DashboardUser, password) : null, TimeSpan.FromSeconds(VerifyTimeout))
        {
            ProductionConfirmed = Confirm == "production",
            BreakLock = BreakLock,
        };
        return new PhasedRotation(settings, new SwarmReplicaSet(engine, options, settings.Paths.Root), new Progress<string>(m => Log.Information("{Progress}", m)));
    }
}
