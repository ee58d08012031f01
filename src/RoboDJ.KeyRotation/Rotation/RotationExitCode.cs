using RoboDJ.KeyRotation.Status;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// The exit code of a run, from its summary and its workflow (the README's table):
///   0   success (or a dry run that would succeed)
///   1   a target failed that changes nothing by itself (e.g. Verify alone found a problem); or this run was fenced:
///       another run took its lock over while it was paused, and it stopped before its next write (the journal says
///       what it had done; the rotation is the other run's)
///   2   bad input or usage: unknown target, parameter or env, missing --env, malformed parameters file
///   3   refused before any change: Preflight, the production guard (Announce), Snapshot, the app's config save before
///       Stop (issue 14) when every field still opens, a Stop that failed before the app was stopped (Rollback then
///       restores nothing), a rollback by hand with nothing to roll back, a Rollback, Resume or phased target that
///       another run's lock refused, or a Resume or a Rollback by hand whose gate refused its inputs (the snapshot, the
///       store's keys against the journal)
///   4   the rotation failed and was rolled back cleanly: old keys and config restored, app verified, postmortem written
///   5   rollback failed, or a rotation stopped half-way without rollback: manual action needed (the steps are printed).
///       A phased target (RotatePhased, ResumePhased, RollbackPhased) that failed with its rotation left open, too.
///       Also when the restore succeeded and the app passed its key check but the dashboard check after it failed.
///   6-9 Status (or Remind) found the deployment unhealthy (<see cref="DeploymentUnhealthyException.ExitCode"/>)
///   130 cancelled (Ctrl-C/SIGTERM); when a rotation was open, Rollback ran as an assured target (5 wins when it failed);
///       one cancelled before the app was stopped is only closed by it, with nothing restored
/// </summary>
public static class RotationExitCode
{
    /// <param name="rotationLeftOpen">A rotation of this run is still unfinished (<see cref="KeyRotationWorkflow.NeedsRollback"/>, <see cref="Phased.PhasedRotation.LeftOpen"/>).</param>
    /// <param name="refusedBeforeAnyChange">This run's rotation was closed as refused before it changed anything (<see cref="KeyRotationWorkflow.RefusedBeforeAnyChange"/>).</param>
    public static int For(BuildSummary summary, bool rotationLeftOpen, bool refusedBeforeAnyChange = false)
    {
        if ((summary[RotationTargets.Status] ?? summary[RotationTargets.Remind])?.Exception is DeploymentUnhealthyException unhealthy) return unhealthy.ExitCode;
        // Fenced: another run took the lock over while this one was paused; the rotation is that run's (no rollback here).
        if (summary.Failed.Any(t => t.Exception is RotationLockLostException)) return 1;
        // Another run's lock refused this one (Rollback, Resume, a phased target) before it changed anything.
        if (summary.Failed.Any(t => t.Exception is RotationLockHeldException or RotationLockBeingWrittenException or StaleRotationLockException)) return 3;
        // Resume's or a Rollback by hand's gate refused its inputs before any change.
        if (summary.Failed.Any(t => t.Exception is GateRefusedException)) return 3;
        var rollback = summary[RotationTargets.Rollback];
        if (rollback?.Exception is NothingToRollBackException) return 3;
        if (rollback?.Status == TargetStatus.Failed) return 5;
        if (summary.Outcome == BuildOutcome.Cancelled) return 130;
        if (summary.Outcome == BuildOutcome.BadInput) return 2;
        if (summary.Outcome == BuildOutcome.Succeeded) return 0;
        if (summary.Failed.FirstOrDefault(t => RotationTargets.Phased.Contains(t.Name)) is { } phased)
            return rotationLeftOpen ? 5 : 1;
        var failed = summary.Failed.Select(t => t.Name).FirstOrDefault();
        if (failed is null) return 1;
        if (refusedBeforeAnyChange) return 3;
        if (RotationTargets.Refusing.Contains(failed)) return 3;
        if (RotationTargets.NeedRollback.Contains(failed))
            return rollback?.Status == TargetStatus.Succeeded ? 4 : rotationLeftOpen ? 5 : 1;
        return failed == RotationTargets.Rollback ? 5 : 1;
    }
}
