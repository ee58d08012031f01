using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class ConditionTests
{
    [Fact]
    public void A_false_static_condition_skips_the_target_with_the_expression_as_reason_but_its_dependencies_run()
    {
        using var h = new Harness();
        var run = h.Run<ConditionBuild>("Static");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Base"], run.Ran);
        Assert.Equal(TargetStatus.Skipped, run.Status("Static"));
        Assert.Equal("Optional && Count()", run.Result("Static").Note);
    }

    [Fact]
    public void A_true_static_condition_is_evaluated_once_at_plan_time()
    {
        using var h = new Harness();
        ConditionBuild.StaticEvaluations = 0;
        var run = h.Run<ConditionBuild>("Static", "--optional");
        Assert.Equal(["Base", "Static"], run.Ran);
        Assert.Equal(1, ConditionBuild.StaticEvaluations);
    }

    [Fact]
    public void Static_conditions_are_decided_in_the_plan_view_too()
    {
        using var h = new Harness();
        var run = h.Run<ConditionBuild>("Static", "--plan");
        Assert.Contains("Static  (skipped: Optional && Count())", run.Output);
        Assert.Empty(run.Ran);
    }

    [Fact]
    public void Dynamic_conditions_are_evaluated_right_before_the_target_after_earlier_targets_ran()
    {
        using var h = new Harness();
        var run = h.Run<ConditionBuild>("Dynamic", "NeverDynamic");
        Assert.Equal(["Flip", "Dynamic"], run.Ran);
        Assert.Equal(TargetStatus.Succeeded, run.Status("Dynamic"));
        Assert.Equal(TargetStatus.Skipped, run.Status("NeverDynamic"));
        Assert.Equal("!flag", run.Result("NeverDynamic").Note);
    }
}
