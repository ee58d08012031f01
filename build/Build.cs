using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline;

/// <summary>
/// The RoboDJ key rotation, runbook step by step. The targets are in Build.Rotation.cs, the parameters in
/// Build.Parameters.cs, the sandbox in Build.Sandbox.cs, the exit code and the closing message in Build.Outcome.cs (RotationExitCode in src).
/// </summary>
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
    bool RollbackIsDue => workflow is { } w ? w.NeedsRollback || w.InvokedAlone : IsInvoked(Rollback);
}
