using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class ConditionTests
{
    [Fact]
    public void A_false_static_condition_skips_the_target_with_its_reason_in_words_and_by_default_its_dependencies()
    {
        using var h = new Harness();
        var run = h.Run<ConditionBuild>("Static");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Ran);
        Assert.Equal(TargetStatus.Skipped, run.Status("Static"));
        Assert.Equal("the optional step is off", run.Result("Static").Note);
        Assert.Equal("Static is skipped", run.Result("Base").Note);
        Assert.Matches(@"\nStatic\s+Skipped\s+the optional step is off\n", run.Stdout);
    }

    [Fact]
    public void A_condition_given_no_words_is_worded_by_the_engine_and_never_shown_as_csharp()
    {
        using var h = new Harness();

        var run = h.Run<ConditionBuild>("Unworded");
        var plan = h.Run<ConditionBuild>("Unworded", "--plan");

        Assert.Equal("the condition \"optional and not has no github token (base)\" is false", run.Result("Unworded").Note);
        Assert.Contains("Unworded  (skipped: the condition \"optional and not has no github token (base)\" is false)", plan.Stdout);
        foreach (var text in new[] { run.Output, plan.Output, File.ReadAllText(Path.Combine(h.Root, ".nuke", "temp", "plan.html")) })
        {
            Assert.DoesNotContain("&&", text);
            Assert.DoesNotContain("Optional", text);
            Assert.DoesNotContain("HasNoGitHubToken", text);
        }
    }

    [Fact]
    public void A_dynamic_condition_that_throws_fails_its_target_the_summary_prints_and_assured_targets_run()
    {
        using var h = new Harness();
        var run = h.Run<ThrowingConditionBuild>("All");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["First", "Restore"], run.Ran);
        Assert.Equal(TargetStatus.Failed, run.Status("Fragile"));
        Assert.Equal("the repository is not set; pass --repository owner/name", run.Result("Fragile").Note);
        Assert.Equal(TargetStatus.NotRun, run.Status("Next"));
        Assert.Matches(@"Target\s+Status\s+Duration\s+Note", run.Output);
        Assert.Contains("Fragile failed (its condition threw)", run.Output);
    }

    [Fact]
    public void A_static_condition_that_throws_fails_its_target_in_turn_after_earlier_targets_ran()
    {
        using var h = new Harness();
        var run = h.Run<ThrowingConditionBuild>("AllStatic", "--throw-static");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["First", "Restore"], run.Ran);
        Assert.Equal(TargetStatus.Failed, run.Status("Planned"));
        Assert.Contains("the repository is not set", run.Result("Planned").Note);
        Assert.Matches(@"Target\s+Status\s+Duration\s+Note", run.Output);
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
        Assert.Contains("Static  (skipped: the optional step is off)", run.Stdout);
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
        Assert.Equal("the flag is up", run.Result("NeverDynamic").Note);
    }

    [Fact]
    public void The_plan_says_in_words_when_a_dynamic_condition_would_skip_a_target()
    {
        using var h = new Harness();
        var run = h.Run<ConditionBuild>("Dynamic", "NeverDynamic", "--plan");
        Assert.Contains("NeverDynamic  (decided when its turn comes: skipped if the flag is up)", run.Stdout);
        Assert.Contains("Dynamic  (decided when its turn comes: skipped if the condition \"flag\" is false)", run.Stdout);
    }
}
