using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class RelationTests
{
    [Fact]
    public void DependsOn_plans_and_runs_the_dependencies_first()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>("C");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["A", "B", "C"], run.Ran);
    }

    [Fact]
    public void DependentFor_makes_the_declaring_target_a_dependency_of_the_other()
    {
        using var h = new Harness();
        var run = h.Run<RelationsBuild>("Compile");
        Assert.Equal(["Restore", "Setup", "Compile"], run.Ran);
    }

    [Fact]
    public void After_orders_only_when_both_are_planned()
    {
        using var h = new Harness();
        Assert.Equal(["Pack"], h.Run<RelationsBuild>("Pack").Ran);
        Assert.Equal(["Restore", "Setup", "Compile", "Pack"], h.Run<RelationsBuild>("Pack", "Compile").Ran);
    }

    [Fact]
    public void Before_puts_the_declaring_target_first_without_planning_the_other()
    {
        using var h = new Harness();
        Assert.Equal(["Clean"], h.Run<RelationsBuild>("Clean").Ran);
        Assert.Equal(["Clean", "Restore"], h.Run<RelationsBuild>("Restore", "Clean").Ran);
    }

    [Fact]
    public void Triggers_plans_the_triggered_target_after_the_trigger()
    {
        using var h = new Harness();
        var run = h.Run<RelationsBuild>("Stop");
        Assert.Equal(["Stop", "Start", "Report"], run.Ran);
    }

    [Fact]
    public void TriggeredBy_plans_the_declaring_target_after_its_trigger()
    {
        using var h = new Harness();
        Assert.Equal(["Start", "Report"], h.Run<RelationsBuild>("Start").Ran);
        Assert.Equal(["Report"], h.Run<RelationsBuild>("Report").Ran);
    }

    [Fact]
    public void The_target_option_and_plus_separated_names_invoke_several_targets()
    {
        using var h = new Harness();
        Assert.Equal(["Clean", "Restore"], h.Run<RelationsBuild>("--target", "Restore+Clean").Ran);
    }

    [Fact]
    public void Target_names_are_case_insensitive_and_the_default_target_runs_when_none_is_named()
    {
        using var h = new Harness();
        Assert.Equal(["A", "B"], h.Run<ChainBuild>("b").Ran);
        Assert.Equal(["A", "B", "C"], h.Run<ChainBuild>(x => x.C, TestContext.Current.CancellationToken).Ran);
    }
}
