using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class PlanningErrorTests
{
    [Fact]
    public void A_cycle_is_bad_input_that_names_the_cycle_and_runs_nothing()
    {
        using var h = new Harness();
        var run = h.Run<CycleBuild>("Ok");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Ran);
        Assert.Contains("A -> B -> A", run.ErrorLine);
    }

    [Fact]
    public void An_unknown_target_is_named_with_a_suggestion_and_the_valid_targets()
    {
        using var h = new Harness();
        var run = h.Run<RelationsBuild>("Compil");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown target 'Compil'", run.ErrorLine);
        Assert.Contains("Did you mean 'Compile'?", run.ErrorLine);
        Assert.Contains("Valid targets: Clean, Restore, Compile, Pack, Setup, Stop, Start, Report", run.ErrorLine);
    }

    [Fact]
    public void An_unknown_skip_target_is_bad_input_too()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>("C", "--skip", "Nope");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown target 'Nope'", run.ErrorLine);
    }

    [Fact]
    public void Bad_input_shows_one_line_and_no_stack_trace_unless_verbose()
    {
        using var h = new Harness();
        var quiet = h.Run<ChainBuild>("Nope");
        Assert.DoesNotContain("   at ", quiet.Output);
        Assert.Single(quiet.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var verbose = h.Run<ChainBuild>("Nope", "--verbosity", "verbose");
        Assert.Equal(2, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Output);
    }
}
