using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class GateTests
{
    [Fact]
    public void Skip_naming_a_gate_is_bad_input_that_names_the_gate_and_what_it_guards_and_runs_nothing()
    {
        using var h = new Harness();
        var run = h.Run<GateBuild>("All", "--skip", "Check");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Ran);
        Assert.Contains("--skip cannot skip Check: it is a gate", run.ErrorLine);
        Assert.Contains("Change", run.ErrorLine);
    }

    [Fact]
    public void A_bare_skip_that_would_skip_a_gate_is_bad_input()
    {
        using var h = new Harness();
        var run = h.Run<GateBuild>("Change", "--skip");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Ran);
        Assert.Contains("Check", run.ErrorLine);
    }

    [Fact]
    public void Skipping_a_dependent_of_a_gate_never_skips_the_gate_with_it()
    {
        using var h = new Harness();
        var run = h.Run<GateBuild>("Change", "--skip", "Prepare");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Setup", "Check", "Change"], run.Ran);
    }

    [Fact]
    public void An_invoked_gate_named_in_skip_just_runs()
    {
        using var h = new Harness();
        var run = h.Run<GateBuild>("Check", "--skip", "Check");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Setup", "Check"], run.Ran);
    }

    [Fact]
    public void A_failed_gate_leaves_every_target_depending_on_it_not_run_even_an_assured_one()
    {
        using var h = new Harness();
        var run = h.Run<GateBuild>("All", "--refuse");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(["Setup", "Check", "Report"], run.Ran);
        Assert.Equal(TargetStatus.NotRun, run.Status("Change"));
        Assert.Equal(TargetStatus.NotRun, run.Status("Cleanup"));
        Assert.Equal("gate Check did not succeed", run.Result("Cleanup").Note);
    }

    [Fact]
    public void A_gate_skipped_by_its_condition_leaves_its_dependents_not_run_and_the_build_does_not_succeed()
    {
        using var h = new Harness();
        var run = h.Run<GateBuild>("All", "--close-gate");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(TargetStatus.Skipped, run.Status("Check"));
        Assert.Equal(["Report"], run.Ran);
        Assert.Equal("gate Check did not succeed", run.Result("Prepare").Note);
        Assert.Equal("gate Check did not succeed", run.Result("Cleanup").Note);
        Assert.Equal(BuildOutcome.Failed, run.Summary!.Outcome);
    }

    [Fact]
    public void A_closed_gate_also_stops_what_its_dependents_trigger_but_not_an_assured_clean_up()
    {
        using var h = new Harness();
        var run = h.Run<TriggeredGateBuild>("Change", "--close-gate");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(["Cleanup"], run.Ran);
        Assert.Equal("gate Check did not succeed", run.Result("Follow").Note);
        Assert.Equal("gate Check did not succeed", run.Result("Final").Note);

        using var open = new Harness();
        Assert.Equal(["Check", "Change", "Follow", "Final", "Cleanup"], open.Run<TriggeredGateBuild>("Change").Ran);
    }

    [Fact]
    public void The_plan_and_help_mark_gates()
    {
        using var h = new Harness();
        Assert.Contains("Check [gate]", h.Run<GateBuild>("All", "--plan").Output);
        Assert.Contains("  Check[\"Check (gate)\"]\n", File.ReadAllText(Path.Combine(h.Root, ".nuke", "temp", "plan.md")));
        Assert.Contains("Check [gate]", h.Run<GateBuild>("--help").Output);
    }
}
