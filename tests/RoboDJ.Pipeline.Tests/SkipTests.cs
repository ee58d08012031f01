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
        Assert.Equal(["C"], run.Ran);
        Assert.Equal(TargetStatus.Skipped, run.Status("B"));
        Assert.Equal("--skip", run.Result("B").Note);
        Assert.Equal("B is skipped", run.Result("A").Note);
    }

    [Fact]
    public void A_skipped_targets_dependencies_are_skipped_unless_another_planned_target_needs_them()
    {
        using var h = new Harness();
        var run = h.Run<SkipBehaviorBuild>("Top", "--skip", "Middle");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Shared", "Other", "Top"], run.Ran);
        Assert.Equal("Middle is skipped", run.Result("Base").Note);
    }

    [Fact]
    public void WhenSkipped_Execute_keeps_the_dependencies_of_a_skipped_target()
    {
        using var h = new Harness();
        var run = h.Run<SkipBehaviorBuild>("Wrapper", "--skip", "KeepsBase");
        Assert.Equal(["Base", "Wrapper"], run.Ran);
        Assert.Equal(TargetStatus.Skipped, run.Status("KeepsBase"));
    }

    [Fact]
    public void A_false_static_condition_skips_the_dependencies_the_same_way()
    {
        using var h = new Harness();
        var run = h.Run<SkipBehaviorBuild>("Top", "--no-middle");
        Assert.Equal(["Shared", "Other", "Top"], run.Ran);
        Assert.Equal("the condition \"not no middle\" is false", run.Result("Middle").Note);
        Assert.Equal(TargetStatus.Skipped, run.Status("Base"));
    }

    [Fact]
    public void Skip_never_skips_an_invoked_target_and_says_so_in_the_log()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>("B", "C", "--skip", "B");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["A", "B", "C"], run.Ran);
        Assert.Contains("--skip B ignored: it was invoked", run.Output);
    }

    [Fact]
    public void Kebab_case_target_names_are_accepted_for_target_and_skip()
    {
        using var h = new Harness();
        Assert.Equal(["PreFlight"], h.Run<SkipBehaviorBuild>("pre-flight").Ran);
        Assert.Equal(["PreFlight"], h.Run<SkipBehaviorBuild>("--target", "pre-flight").Ran);
        Assert.Equal(["Shared", "Other", "Top"], h.Run<SkipBehaviorBuild>("top", "--skip", "middle").Ran);
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
