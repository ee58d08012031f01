using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class HelpTests
{
    [Fact]
    public void Help_lists_targets_with_direct_dependencies_and_descriptions_then_parameters()
    {
        using var h = new Harness();
        var run = h.Run<ChainBuild>(x => x.C, TestContext.Current.CancellationToken, "--help");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Empty(run.Ran);
        var text = run.Stdout;
        Assert.Contains("\n  A\n      first step\n", text);
        Assert.Contains("\n  B -> A\n", text);
        Assert.Contains("\n  C (default) -> B\n", text);
        Assert.True(text.IndexOf("Targets:", StringComparison.Ordinal) < text.IndexOf("Engine options:", StringComparison.Ordinal));
        Assert.Contains("--verbosity <level>", text);
        Assert.Empty(run.Stderr);
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

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(60)]
    public void Help_wraps_to_the_console_width_without_losing_a_word(int columns)
    {
        using var h = new Harness().WithEnvironment("COLUMNS", columns.ToString());

        var run = h.Run<GroupedBuild>("--help");

        var lines = run.Stdout.Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= columns, $"{line.Length} > {columns}: {line}"));
        var words = string.Join(" ", lines.Select(l => l.Trim())).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var word in GroupedBuild.LongDescription.Split(' ')) Assert.Contains(word, words);
        Assert.Contains("--fleet-file-with-a-long-name-overflowing-the-column", words);
    }

    [Fact]
    public void Help_groups_the_targets_as_the_build_declares_then_the_rest()
    {
        using var h = new Harness();

        var text = h.Run<GroupedBuild>(x => x.Rotate, TestContext.Current.CancellationToken, "--help").Stdout;

        var order = new[] { "Everyday:", "  Rotate (default) -> Preflight", "  Status", "Replicated:", "  RotateFleet -> Preflight", "Other targets:", "  Preflight [gate]", "Parameters:" }
            .Select(marker => text.IndexOf("\n" + marker + "\n", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain("Hidden", text);
    }

    [Fact]
    public void Help_lists_the_engine_options_that_work_including_the_generators_and_no_logo()
    {
        using var h = new Harness();

        var text = h.Run<ChainBuild>("--help").Stdout;

        foreach (var option in new[] { "--generate-configuration", "--generate-schema", "--no-logo", "--plan", "--skip", "--dry-run", "--profile", "--root", "--help" })
            Assert.Matches($@"\n  {option}\b", text);
        Assert.Equal(0, h.Run<ChainBuild>("A", "--no-logo").ExitCode);
    }
}
