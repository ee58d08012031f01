using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Effects;
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

    PhasedPreflighted? phasedPreflighted;
    PhasedRotation? phased;

    /// <summary>Which phased target this run clears the way for (PreflightPhased invoked alone: as for RotatePhased).</summary>
    PhasedAction InvokedPhasedAction =>
        IsInvoked(ResumePhased) || IsInvoked(ResumeFleet) ? PhasedAction.Resume
        : IsInvoked(RollbackPhased) || IsInvoked(RollbackFleet) ? PhasedAction.Rollback
        : PhasedAction.Rotate;

    Target PreflightPhased => _ => _
        .Description("Swarm or fleet: env, lock, journal, keys, every replica PASS with the expected fingerprints and its dashboard, census (gate of the phased targets)")
        .Gate()
        .Requires(() => Env)
        .Requires(() => ResolvedDeploymentRoot)
        .Executes(async ct =>
        {
            using var guard = Effects.Guard();
            Note((phasedPreflighted = await Phased.PreflightAsync(InvokedPhasedAction, ct)).Note);
        });

    Target AnnouncePhased => _ => _
        .Description("Swarm or fleet: production needs --confirm production, as for Rotate; the notice goes to the log (gate of the phased rotate and resume targets)")
        .Gate()
        .DependsOn(PreflightPhased)
        .Executes(() => Note(PhasedAnnouncement.Announce(Env!, Confirm, ApprovedEnvironment, PhasedReplicas, Reached(phasedPreflighted))));

    Target RotatePhased => _ => _
        .Description("Swarm: rotate without downtime in four phases, each verified on every replica (issue 12)")
        .DependsOn(AnnouncePhased)
        .Requires(() => SwarmService)
        .Executes(async ct => Note(await PhasedChange(nameof(RotatePhased), () => Phased.PreviewAsync(ct),
            async () => $"phased rotation {await Phased.RotateAsync(ct)} completed on {SwarmService}")));

    Target ResumePhased => _ => _
        .Description("Swarm: continue an unfinished phased rotation at the phase after the last one that ended")
        .DependsOn(AnnouncePhased)
        .Requires(() => SwarmService)
        .Executes(async ct => Note(await PhasedChange(nameof(ResumePhased), () => Phased.DescribeResumeAsync(ct),
            async () => $"phased rotation {await Phased.ResumeAsync(ct)} completed on {SwarmService}")));

    // Like Rollback, no confirmation: it puts back the keys production ran before, and a broken replica must not block it.
    Target RollbackPhased => _ => _
        .Description("Swarm: reverse an unfinished phased rotation phase by phase, back to the pre-rotation keys")
        .DependsOn(PreflightPhased)
        .Requires(() => SwarmService)
        .Executes(async ct => Note(await PhasedChange(nameof(RollbackPhased), () => Phased.DescribeRollbackAsync(ct),
            async () => $"phased rotation {await Phased.RollbackAsync(ct)} rolled back on {SwarmService}")));

    /// <summary>The phased targets' one change, through the run's door: a dry run records the description and changes nothing.</summary>
    Task<string> PhasedChange(string target, Func<Task<IReadOnlyList<string>>> describe, Func<Task<string>> apply) =>
        Guarded(() => Effects.ApplyAsync(target, ChangeKind.Process, async () => Preview(await describe()), apply, what => what));

    static string Preview(IReadOnlyList<string> lines)
    {
        foreach (var line in lines) Log.Information("Dry run, would: {Change}", line);
        return string.Join("; ", lines);
    }

    /// <summary>One per run: PreflightPhased, the phased target and the exit code (<see cref="PhasedRotation.LeftOpen"/>) see the same one.</summary>
    PhasedRotation Phased => phased ??= new PhasedRotation(PhasedSettings(), IsFleetRun ? FleetHosts() : SwarmReplicas(),
        RoboDJ.KeyRotation.LogMessage.Progress);

    string PhasedReplicas => IsFleetRun ? FleetHosts().Description : $"swarm service {SwarmService}";

    PhasedRotationSettings PhasedSettings() =>
        new(Settings.Scope, Env!,
            DashboardPassword is { Length: > 0 } password ? new DashboardCredentials(DashboardUser, password) : null, TimeSpan.FromSeconds(VerifyTimeout))
        {
            BreakLock = BreakLock,
            RootOrigin = DeploymentRootOrigin,
            KeepSnapshots = KeepSnapshots, // Build.Status.cs, as RunOptions
        };

    SwarmReplicaSet SwarmReplicas()
    {
        if (SwarmService is null) throw new BuildInputException("PreflightPhased needs --swarm-service (or run a fleet target with --fleet).");
        var engine = new SwarmEngine(DockerEngineAddress.Resolve(GetEnvironmentVariable("DOCKER_HOST")));
        var options = new SwarmOptions(SwarmService!)
        {
            PrimaryTarget = SwarmV1Target,
            SecondaryTarget = SwarmV2Target,
            SecretPrefix = SwarmSecretPrefix,
            DashboardPortBase = SwarmDashboardPortBase,
            StartupLog = SwarmReplicaLog,
            RolloutTimeout = TimeSpan.FromSeconds(SwarmRolloutTimeout),
        };
        return new SwarmReplicaSet(engine, options, Settings.Paths.Root);
    }
}
