using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline;

/// <summary>
/// The RoboDJ key rotation, runbook step by step. The targets are in Build.Rotation.cs, the parameters in
/// Build.Parameters.cs, the sandbox in Build.Sandbox.cs, the exit code and the closing message in Build.Outcome.cs (RotationExitCode in src).
/// </summary>
// --help's order: what an operator reaches for first, then the replicated targets, then the rotation's steps and the rest.
[HelpGroup("Rotate, check and recover", nameof(Rotate), nameof(Status), nameof(Verify), nameof(Resume), nameof(Rollback))]
[HelpGroup("Replicated: a Swarm service (phased) or a fleet of hosts",
    nameof(RotatePhased), nameof(ResumePhased), nameof(RollbackPhased), nameof(RotateFleet), nameof(ResumeFleet), nameof(RollbackFleet),
    nameof(PreflightPhased), nameof(AnnouncePhased), nameof(FleetMatrix), nameof(FleetKeyHandOff), nameof(FleetPhase), nameof(FleetPromote))]
[HelpGroup("The rotation's steps (Rotate runs them in this order)", nameof(Preflight), nameof(Announce), nameof(Snapshot), nameof(Stop), nameof(Start))]
partial class Build : PipelineBuild
{
    public static int Main() => Execute<Build>(x => x.Rotate);

    KeyRotationWorkflow? workflow;

    /// <summary>One workflow per run: the targets hand their state (keys, journal, log offset) to each other through it.</summary>
    KeyRotationWorkflow Workflow => workflow ??= new KeyRotationWorkflow(Settings, RunOptions, CreateStore(Settings), RuntimeSelection.Create(Settings))
    {
        Announcements = CreateAnnouncements(), // Build.GitHub.cs
        AllowBroadcasts = AllowBroadcasts,
    };

    /// <summary>
    /// Reads the workflow only when a target created it: building one here would rebuild the store, and a store that
    /// cannot be built (e.g. no repository) is Preflight's refusal to report, not Rollback's failure.
    /// </summary>
    /// <summary>Every log event carries the env and, once a rotation is open, its id; the engine adds the target.</summary>
    protected override IEnumerable<KeyValuePair<string, object?>> LogContextProperties =>
    [
        new("Env", Env),
        new("RotationId", (workflow?.RotationId ?? phased?.OpenRotation)?.Value),
    ];

    bool RollbackIsDue => workflow is { } w ? w.NeedsRollback || w.InvokedAlone : IsInvoked(Rollback);
}
