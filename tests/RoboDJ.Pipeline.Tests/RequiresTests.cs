using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class RequiresTests
{
    [Fact]
    public void A_missing_required_parameter_fails_before_any_target_runs()
    {
        using var h = new Harness();
        var run = h.Run<RequiresBuild>("NeedsEnv");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Ran);
        Assert.Equal("error: Target 'NeedsEnv' requires Env: give --env <value> or set ROTATION_ENV.", run.ErrorLine.TrimEnd('\r'));
    }

    [Fact]
    public void A_boolean_requirement_names_its_expression_in_words()
    {
        using var h = new Harness();
        var run = h.Run<RequiresBuild>("NeedsCount");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("requires count more than 0", run.ErrorLine);
    }

    [Fact]
    public void Met_requirements_let_the_plan_run()
    {
        using var h = new Harness();
        var run = h.Run<RequiresBuild>("NeedsEnv", "NeedsCount", "--env", "staging", "--count", "2");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["First", "NeedsEnv", "NeedsCount"], run.Ran);
    }

    [Fact]
    public void Requirements_of_skipped_targets_are_not_checked()
    {
        using var h = new Harness();
        var run = h.Run<RequiresBuild>("Report", "--skip", "NeedsEnv");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Report"], run.Ran);
    }
}
