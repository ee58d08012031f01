using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class SkipTests
{
    [Fact]
    public void Skip_with_names_skips_those_targets_and_says_why()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>("C", "--skip", "B");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["A", "C"], run.Ran);
        Assert.Equal(TargetStatus.Skipped, run.Status("B"));
        Assert.Equal("--skip", run.Result("B").Note);
    }

    [Fact]
    public void A_bare_skip_skips_everything_but_the_invoked_targets()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>("C", "--skip");
        Assert.Equal(["C"], run.Ran);
        Assert.Equal(TargetStatus.Skipped, run.Status("A"));
        Assert.Equal(TargetStatus.Skipped, run.Status("B"));
    }

    [Fact]
    public void Skip_accepts_plus_separated_names()
    {
        using var h = new Harness();
        Assert.Equal(["C"], h.Run<ChainBuild>("C", "--skip", "A+B").Ran);
    }
}
