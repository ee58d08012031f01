using RoboDJ.KeyRotation.Announcements;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Tests.Rotation;

public sealed class OutcomeMappingTests
{
    static BuildSummary Summary(BuildOutcome outcome, TargetStatus? rollback) => new(
        rollback is { } status ? [new TargetResult("Verify", TargetStatus.Failed, TimeSpan.Zero, null, null), new TargetResult("Rollback", status, TimeSpan.Zero, null, null)]
            : [new TargetResult("Verify", outcome == BuildOutcome.Succeeded ? TargetStatus.Succeeded : TargetStatus.Failed, TimeSpan.Zero, null, null)],
        outcome, IsDryRun: false);

    [Theory]
    [InlineData(BuildOutcome.Succeeded, null, false, OutcomeKind.Succeeded)]
    [InlineData(BuildOutcome.Failed, null, false, OutcomeKind.Failed)]
    [InlineData(BuildOutcome.Failed, TargetStatus.Succeeded, false, OutcomeKind.RolledBack)]
    [InlineData(BuildOutcome.Failed, TargetStatus.Failed, false, OutcomeKind.RollbackFailed)]
    [InlineData(BuildOutcome.Cancelled, null, true, OutcomeKind.RollbackFailed)]
    [InlineData(BuildOutcome.Succeeded, TargetStatus.Succeeded, true, OutcomeKind.RolledBack)]
    public void The_outcome_follows_the_rollback_first_then_an_open_rotation_then_the_build(
        BuildOutcome outcome, TargetStatus? rollback, bool rotationLeftOpen, OutcomeKind expected) =>
        Assert.Equal(expected, OutcomeMapping.From(Summary(outcome, rollback), rotationLeftOpen));

    [Theory]
    [InlineData(BuildOutcome.Failed)]
    [InlineData(BuildOutcome.Cancelled)]
    public void A_rotation_that_Rollback_closed_as_ended_before_Stop_failed_before_any_change(BuildOutcome outcome) =>
        Assert.Equal(OutcomeKind.Failed, OutcomeMapping.From(Summary(outcome, TargetStatus.Succeeded), rotationLeftOpen: false, refusedBeforeAnyChange: true));
}
