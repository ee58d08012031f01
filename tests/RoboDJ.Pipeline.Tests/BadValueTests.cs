using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

/// <summary>Values the binder refuses as bad input (exit 2) that names the parameter, where the value came from and the fix.</summary>
public class BadValueTests
{
    [Fact]
    public void A_flag_with_a_value_that_is_not_true_or_false_is_bad_input()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>("C", "--dry-run=maybe");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Ran);
        Assert.Contains("Invalid value 'maybe' for --dry-run", run.ErrorLine);
        Assert.DoesNotContain("String '", run.Output); // bool.Parse's own text
    }

    [Fact]
    public void A_value_below_the_minimum_on_the_command_line_names_the_option_and_the_fix()
    {
        using var h = new Harness();
        var run = h.Run<MinimumBuild>("Show", "--timeout", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: Invalid value 0 for --timeout: timeout must be at least 1; give --timeout 1 or more.", run.ErrorLine.TrimEnd());
    }

    [Fact]
    public void A_value_below_the_minimum_from_the_environment_or_a_parameters_file_names_that_source()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "Ratio": 0.25 }""");
        var file = h.Run<MinimumBuild>("Show");
        Assert.Equal(2, file.ExitCode);
        Assert.Contains("for .nuke/parameters.json, $.Ratio", file.ErrorLine);
        Assert.Contains("change it in .nuke/parameters.json to 0.5 or more", file.ErrorLine);

        h.WithFile(".nuke/parameters.json", "{}").WithEnvironment("ROTATION_TIMEOUT", "-3");
        var env = h.Run<MinimumBuild>("Show");
        Assert.Equal(2, env.ExitCode);
        Assert.Contains("for environment variable ROTATION_TIMEOUT", env.ErrorLine);
        Assert.Contains("set ROTATION_TIMEOUT to 1 or more", env.ErrorLine);
    }

    [Fact]
    public void Values_at_the_minimum_bind()
    {
        using var h = new Harness();
        MinimumBuild.Last = null;
        var run = h.Run<MinimumBuild>("Show", "--timeout", "1", "--ratio", "0.5");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, MinimumBuild.Last!.Timeout);
        Assert.Equal(0.5, MinimumBuild.Last.Ratio);
    }
}
