using RoboDJ.KeyRotation.Announcements;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>The outcome the announcement channels report, from the build's summary.</summary>
public static class OutcomeMapping
{
    /// <param name="rotationLeftOpen">The workflow still needs a rollback (a rotation of this run is unfinished).</param>
    /// <param name="closedUnrotated">Rollback found the rotation ended before Stop and closed it: nothing was rotated.</param>
    public static OutcomeKind From(BuildSummary summary, bool rotationLeftOpen, bool closedUnrotated = false)
    {
        var rollback = summary[RotationTargets.Rollback]?.Status;
        return closedUnrotated ? OutcomeKind.Failed
            : rollback == TargetStatus.Succeeded ? OutcomeKind.RolledBack
            : rollback == TargetStatus.Failed || rotationLeftOpen ? OutcomeKind.RollbackFailed
            : summary.Outcome == BuildOutcome.Succeeded ? OutcomeKind.Succeeded
            : OutcomeKind.Failed;
    }
}
