using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Tests.Rotation;

/// <summary>The README's exit-code table, row by row, from the summaries the executor gives.</summary>
public sealed class RotationExitCodeTests
{
    static TargetResult Row(string name, TargetStatus status, Exception? error = null) =>
        new(name, status, TimeSpan.Zero, null, error ?? (status == TargetStatus.Failed ? new InvalidOperationException("failed") : null));

    static BuildSummary Summary(BuildOutcome outcome, params TargetResult[] rows) => new(rows, outcome, IsDryRun: false);

    static readonly TargetResult[] Refused = [Row("Preflight", TargetStatus.Failed), Row("Announce", TargetStatus.NotRun), Row("Rollback", TargetStatus.Skipped)];

    [Fact]
    public void Success_bad_input_and_cancel_are_0_2_and_130()
    {
        Assert.Equal(0, RotationExitCode.For(Summary(BuildOutcome.Succeeded, Row("Preflight", TargetStatus.Succeeded)), rotationLeftOpen: false));
        Assert.Equal(2, RotationExitCode.For(Summary(BuildOutcome.BadInput), rotationLeftOpen: false));
        Assert.Equal(130, RotationExitCode.For(Summary(BuildOutcome.Cancelled, Row("Stop", TargetStatus.Aborted), Row("Rollback", TargetStatus.Succeeded)), rotationLeftOpen: false));
    }

    [Theory]
    [InlineData("Preflight")]
    [InlineData("Announce")]
    [InlineData("Snapshot")]
    public void A_failure_before_any_change_is_a_refusal_3(string target) =>
        Assert.Equal(3, RotationExitCode.For(Summary(BuildOutcome.Failed, Row(target, TargetStatus.Failed), Row("Rollback", TargetStatus.Skipped)), rotationLeftOpen: false));

    [Fact]
    public void A_Stop_that_failed_before_the_app_stopped_is_a_refusal_3_and_cancelled_there_130()
    {
        TargetResult[] rows = [Row("Stop", TargetStatus.Failed), Row("Rollback", TargetStatus.Succeeded)];
        Assert.Equal(3, RotationExitCode.For(Summary(BuildOutcome.Failed, rows), rotationLeftOpen: false, refusedBeforeAnyChange: true));
        Assert.Equal(130, RotationExitCode.For(Summary(BuildOutcome.Cancelled, Row("Stop", TargetStatus.Aborted), Row("Rollback", TargetStatus.Succeeded)),
            rotationLeftOpen: false, refusedBeforeAnyChange: true));
    }

    [Theory]
    [InlineData("Stop")]
    [InlineData("Rotate")]
    [InlineData("Start")]
    [InlineData("Verify")]
    [InlineData("Resume")]
    public void A_failure_after_a_change_is_4_when_rolled_back_and_5_when_left_open(string target)
    {
        Assert.Equal(4, RotationExitCode.For(Summary(BuildOutcome.Failed, Row(target, TargetStatus.Failed), Row("Rollback", TargetStatus.Succeeded)), rotationLeftOpen: false));
        Assert.Equal(5, RotationExitCode.For(Summary(BuildOutcome.Failed, Row(target, TargetStatus.Failed), Row("Rollback", TargetStatus.Failed)), rotationLeftOpen: true));
        Assert.Equal(5, RotationExitCode.For(Summary(BuildOutcome.Failed, Row(target, TargetStatus.Failed), Row("Rollback", TargetStatus.Skipped)), rotationLeftOpen: true));
    }

    [Theory]
    [InlineData("Resume")]
    [InlineData("Rollback")]
    public void A_gate_that_refused_its_inputs_or_another_runs_lock_is_a_refusal_3(string target)
    {
        Assert.Equal(3, RotationExitCode.For(Summary(BuildOutcome.Failed, Row(target, TargetStatus.Failed, new GateRefusedException(target, ["a snapshot file changed"]))),
            rotationLeftOpen: false));
        var held = new RotationLockInfo("bob", "vm", 42, "staging", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        Assert.Equal(3, RotationExitCode.For(Summary(BuildOutcome.Failed, Row(target, TargetStatus.Failed, new RotationLockHeldException("rotation.lock", held, TimeSpan.Zero))),
            rotationLeftOpen: false));
    }

    [Fact]
    public void A_run_fenced_by_another_that_took_its_lock_over_is_1_even_with_its_rotation_open()
    {
        var fenced = new RotationLockLostException("rotation.lock", 7, "the rewrap of config/a.json", "carol on vm (pid 9)");
        Assert.Equal(1, RotationExitCode.For(Summary(BuildOutcome.Failed, Row("Rotate", TargetStatus.Failed, fenced), Row("Rollback", TargetStatus.Skipped)), rotationLeftOpen: true));
        Assert.Equal(1, RotationExitCode.For(Summary(BuildOutcome.Failed, Row("RotateFleet", TargetStatus.Failed, fenced)), rotationLeftOpen: true));
    }

    [Theory]
    [InlineData("PreflightPhased", "AnnouncePhased")]
    [InlineData("AnnouncePhased", "RotatePhased")]
    public void A_phased_gate_that_failed_is_a_refusal_3(string gate, string below) =>
        Assert.Equal(3, RotationExitCode.For(Summary(BuildOutcome.Failed, Row(gate, TargetStatus.Failed), Row(below, TargetStatus.NotRun)), rotationLeftOpen: false));

    [Theory]
    [InlineData("RotatePhased")]
    [InlineData("ResumePhased")]
    [InlineData("RollbackPhased")]
    public void A_phased_target_that_failed_is_5_with_its_rotation_left_open_3_when_another_run_holds_the_lock_else_1(string target)
    {
        var held = new RotationLockHeldException("key_rotation/rotation.lock",
            new RotationLockInfo("other", "host", 1, "staging", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), TimeSpan.FromMinutes(30));
        Assert.Equal(5, RotationExitCode.For(Summary(BuildOutcome.Failed, Row("PreflightPhased", TargetStatus.Succeeded), Row(target, TargetStatus.Failed)), rotationLeftOpen: true));
        Assert.Equal(3, RotationExitCode.For(Summary(BuildOutcome.Failed, Row(target, TargetStatus.Failed, held)), rotationLeftOpen: false));
        Assert.Equal(1, RotationExitCode.For(Summary(BuildOutcome.Failed, Row(target, TargetStatus.Failed)), rotationLeftOpen: false));
    }

    [Fact]
    public void Verify_alone_that_fails_changed_nothing_so_it_is_1() =>
        Assert.Equal(1, RotationExitCode.For(Summary(BuildOutcome.Failed, Row("Verify", TargetStatus.Failed), Row("Rollback", TargetStatus.Skipped)), rotationLeftOpen: false));

    [Fact]
    public void A_failed_rollback_is_5_even_when_the_build_was_cancelled() =>
        Assert.Equal(5, RotationExitCode.For(Summary(BuildOutcome.Cancelled, Row("Start", TargetStatus.Aborted), Row("Rollback", TargetStatus.Failed)), rotationLeftOpen: true));

    [Fact]
    public void A_rollback_by_hand_refused_by_another_runs_lock_changed_nothing_so_it_is_3()
    {
        var held = new RotationLockHeldException("config/key_rotation/rotation.lock",
            new RotationLockInfo("other", "host", 1, "staging", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), TimeSpan.FromMinutes(30));
        Assert.Equal(3, RotationExitCode.For(Summary(BuildOutcome.Failed, Row("Rollback", TargetStatus.Failed, held)), rotationLeftOpen: false));
    }

    [Fact]
    public void A_refusal_is_3_whatever_is_skipped_after_it() =>
        Assert.Equal(3, RotationExitCode.For(Summary(BuildOutcome.Failed, Refused), rotationLeftOpen: false));
}
