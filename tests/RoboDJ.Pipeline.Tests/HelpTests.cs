using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class HelpTests
{
    [Fact]
    public void Help_lists_targets_with_direct_dependencies_and_descriptions_then_parameters()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>(x => x.C, TestContext.Current.CancellationToken, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Ran);
        var text = run.Output;
        Assert.Contains("  A\n", text);
        Assert.Contains("first step", text);
        Assert.Contains("  B           -> A\n", text);
        Assert.Contains("  C (default) -> B\n", text);
        Assert.True(text.IndexOf("Targets", StringComparison.Ordinal) < text.IndexOf("Parameters:", StringComparison.Ordinal));
        Assert.Contains("--verbosity <level>", text);
    }

    [Fact]
    public void Help_hides_unlisted_targets_and_shows_parameter_descriptions_and_values()
    {
        using var h = new Harness();
        Assert.DoesNotContain("Hidden", h.Run<NotesBuild>("--help").Output);
        var parameters = h.Run<ParametersBuild>("-h").Output;
        Assert.Contains("--env <value>", parameters);
        Assert.Contains("Deployment environment (staging | production | sandbox)", parameters);
        Assert.Contains("Runtime kind (Docker | Desktop)", parameters);
        Assert.Contains("--break-lock ", parameters);
    }

    [Fact]
    public void Help_does_not_bind_parameters_so_a_broken_parameters_file_does_not_hide_it()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", "{ broken");
        Assert.Equal(0, h.Run<ParametersBuild>("--help").ExitCode);
    }
}
