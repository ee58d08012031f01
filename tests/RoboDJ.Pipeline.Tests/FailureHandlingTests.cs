using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class FailureHandlingTests
{
    [Fact]
    public void After_a_failure_the_remaining_targets_are_not_run_but_assured_ones_are()
    {
        using var h = new Harness();
        var run = h.Run<FailureBuild>("Fragile", "Independent", "Cleanup");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Prepare", "Fragile", "Cleanup"], run.Ran);
        Assert.Equal(TargetStatus.Failed, run.Status("Fragile"));
        Assert.Equal(TargetStatus.NotRun, run.Status("Independent"));
        Assert.Equal(TargetStatus.Succeeded, run.Status("Cleanup"));
        Assert.Equal(BuildOutcome.Failed, run.Summary!.Outcome);
    }

    [Fact]
    public void A_failed_target_shows_its_message_as_the_note_and_in_one_log_line()
    {
        using var h = new Harness();
        var run = h.Run<FailureBuild>("Fragile");
        Assert.Equal("the disk is full", run.Result("Fragile").Note);
        Assert.IsType<InvalidOperationException>(run.Result("Fragile").Exception);
        Assert.Contains("Target Fragile failed: the disk is full", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
        Assert.Contains("Build failed: Fragile failed.", run.Output);
    }

    [Fact]
    public void ProceedAfterFailure_lets_independent_targets_run_but_not_its_dependents()
    {
        using var h = new Harness();
        var run = h.Run<FailureBuild>("Tolerant", "AfterTolerant", "Independent", "Cleanup");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Prepare", "Tolerant", "Independent", "Cleanup"], run.Ran);
        Assert.Equal(TargetStatus.NotRun, run.Status("AfterTolerant"));
        Assert.Equal(TargetStatus.Succeeded, run.Status("Independent"));
    }

    [Fact]
    public void Without_a_failure_an_assured_target_runs_like_any_other()
    {
        using var h = new Harness();
        var run = h.Run<FailureBuild>("Prepare", "Cleanup");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Prepare", "Cleanup"], run.Ran);
    }
}
