using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class CancellationTests
{
    [Fact]
    public void Cancelling_aborts_the_running_target_runs_assured_targets_and_exits_130()
    {
        using var h = new Harness();
        using var interrupt = new CancellationTokenSource();
        CancellationBuild.Interrupt = interrupt;
        var run = h.Run<CancellationBuild>(null, interrupt.Token, "All");
        Assert.Equal(130, run.ExitCode);
        Assert.Equal(["Work", "Restore"], run.Ran);
        Assert.Equal(TargetStatus.Aborted, run.Status("Work"));
        Assert.Equal(TargetStatus.NotRun, run.Status("Next"));
        Assert.Equal(TargetStatus.Succeeded, run.Status("Restore"));
        Assert.False(CancellationBuild.AssuredTokenWasCancelled, "an assured target must get a token that can still finish its clean-up");
        Assert.True(CancellationBuild.AssuredSawBuildCancelled, "the build's Cancellation property tells an assured target that the build was interrupted");
        Assert.Equal(BuildOutcome.Cancelled, run.Summary!.Outcome);
        Assert.Contains("Build cancelled.", run.Output);
    }
}
