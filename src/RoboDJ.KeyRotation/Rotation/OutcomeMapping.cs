using RoboDJ.KeyRotation.Announcements;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>The outcome the announcement channels report, from the build's summary.</summary>
public static class OutcomeMapping
{
    /// <param name="rotationLeftOpen">The workflow still needs a rollback (a rotation of this run is unfinished).</param>
    /// <param name="refusedBeforeAnyChange">The rotation was closed as refused before it changed anything (<see cref="KeyRotationWorkflow.RefusedBeforeAnyChange"/>).</param>
    public static OutcomeKind From(BuildSummary summary, bool rotationLeftOpen, bool refusedBeforeAnyChange = false)
    {
        var rollback = summary[RotationTargets.Rollback]?.Status;
        return refusedBeforeAnyChange ? OutcomeKind.Failed
            : rollback == TargetStatus.Succeeded ? OutcomeKind.RolledBack
            : rollback == TargetStatus.Failed || rotationLeftOpen ? OutcomeKind.RollbackFailed
            : summary.Outcome == BuildOutcome.Succeeded ? OutcomeKind.Succeeded
            : OutcomeKind.Failed;
    }
}
