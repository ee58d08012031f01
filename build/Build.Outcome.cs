using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline;
using Serilog;

/// <summary>
/// Exit codes (for the README):
///   0   success (or a dry run that would succeed)
///   1   a target failed that changes nothing by itself (e.g. Verify alone found a problem)
///   2   bad input or usage: unknown target, parameter or env, missing --env, malformed parameters file
///   3   refused before any change: Preflight, the production guard (Announce), or Snapshot
///   4   the rotation failed and was rolled back cleanly: old keys and config restored, app verified, postmortem written
///   5   rollback failed, or a rotation stopped half-way without rollback: manual action needed (the steps are printed).
///       Also when the restore succeeded and the app passed its key check but the dashboard check after it failed: then the
///       closing message and the postmortem say "RESTORED, BUT THE DASHBOARD CHECK FAILED" and the step is the dashboard.
///   130 cancelled (Ctrl-C/SIGTERM); when a rotation was open, Rollback ran as an assured target (5 wins when it failed)
/// </summary>
partial class Build
{
    static readonly string[] RefusingTargets = ["Preflight", "Announce", "Snapshot"];

    protected override void OnBuildInitialized()
    {
        RegisterKnownSecrets(); // Build.GitHub.cs
        TestHooks.InstallCrashHook(GetEnvironmentVariable);
    }

    protected override int GetExitCode(BuildSummary summary)
    {
        if (summary["Status"]?.Exception is RoboDJ.KeyRotation.Status.DeploymentUnhealthyException unhealthy) return unhealthy.ExitCode;
        var rollback = summary["Rollback"]?.Status;
        // A rollback by hand that another run's lock refused changed nothing.
        if (summary["Rollback"]?.Exception is RotationLockHeldException or RotationLockBeingWrittenException or StaleRotationLockException) return 3;
        if (rollback == TargetStatus.Failed) return 5;
        if (summary.Outcome == BuildOutcome.Cancelled) return 130;
        if (summary.Outcome == BuildOutcome.BadInput) return 2;
        if (summary.Outcome == BuildOutcome.Succeeded) return 0;
        var failed = summary.Failed.Select(t => t.Name).FirstOrDefault();
        if (failed is null) return 1;
        if (RefusingTargets.Contains(failed)) return 3;
        if (KeyRotationWorkflow.TargetsThatNeedRollback.Contains(failed))
            return rollback == TargetStatus.Succeeded ? 4 : workflow?.NeedsRollback == true ? 5 : 1;
        return failed == "Rollback" ? 5 : 1;
    }

    protected override void OnBuildFinished(BuildSummary summary)
    {
        RemoveSandboxPreview(); // Build.Sandbox.cs
        if (effects?.IsDryRun == true)
        {
            Log.Debug("{Preview}", DryRunPreview.Render(effects.Recorded));
            Log.Information("{Preview}", DryRunPreview.Summary(effects.Recorded));
        }
        if (workflow is null) return;
        ReportOutcome(summary); // Build.GitHub.cs
        if (summary["Rollback"]?.Status == TargetStatus.Failed || (workflow.NeedsRollback && summary["Rollback"]?.Status != TargetStatus.Succeeded))
            Log.Error("{ManualSteps}", workflow.ManualSteps());
        else if (workflow.PostmortemPath is { } postmortem)
            Log.Warning("The rotation failed and was rolled back; postmortem: {Postmortem}", postmortem);
        workflow.Dispose();
    }
}
