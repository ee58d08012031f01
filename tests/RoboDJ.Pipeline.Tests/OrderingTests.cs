using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class OrderingTests
{
    [Fact]
    public void Declaration_order_breaks_ties_not_the_order_of_the_DependsOn_arguments()
    {
        using var h = new Harness();
        Assert.Equal(["Zulu", "Alpha", "Mike", "All"], h.Run<TieBreakBuild>("All").Ran);
    }

    [Fact]
    public void The_order_of_invoked_names_does_not_change_the_plan()
    {
        using var h = new Harness();
        var first = h.Run<TieBreakBuild>("Mike", "Zulu", "Alpha").Ran;
        var second = h.Run<TieBreakBuild>("Alpha", "Mike", "Zulu").Ran;
        Assert.Equal(["Zulu", "Alpha", "Mike"], first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_summary_lists_targets_in_plan_order()
    {
        using var h = new Harness();
        var run = h.Run<RelationsBuild>("Stop", "Compile");
        Assert.Equal(run.Ran, run.Summary!.Targets.Select(t => t.Name));
        Assert.Equal(["Restore", "Setup", "Compile", "Stop", "Start", "Report"], run.Ran);
    }
}
