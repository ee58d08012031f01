using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class SummaryLayoutTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void The_summary_fits_the_console_width_and_a_long_note_wraps_without_losing_a_word(int columns)
    {
        using var h = new Harness().WithEnvironment("COLUMNS", columns.ToString());

        var run = h.Run<LongNoteBuild>("Report");

        var table = run.Output[run.Output.IndexOf("Target ", StringComparison.Ordinal)..];
        Assert.All(table.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= columns, $"{line.Length} > {columns}: {line}"));
        var text = string.Join(" ", table.Split('\n').Select(l => l.Trim()));
        foreach (var word in LongNoteBuild.Words.Split(' ')) Assert.Contains(word, text);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(120)]
    public void A_path_in_a_note_breaks_only_after_a_folder_never_inside_a_name(int columns)
    {
        using var h = new Harness().WithEnvironment("COLUMNS", columns.ToString());

        var run = h.Run<LongNoteBuild>("Paths");

        var table = run.Stdout[run.Stdout.IndexOf("Target ", StringComparison.Ordinal)..].Split('\n');
        Assert.All(table, line => Assert.True(line.Length <= columns, $"{line.Length} > {columns}: {line}"));
        Assert.Contains(table, line => line.Contains("startup_safety_events.jsonl;", StringComparison.Ordinal));
        foreach (var name in new[] { "robodj-staging/", "deployments/", "current/", "config/", "logs/" })
            Assert.Contains(table, line => line.Contains(name, StringComparison.Ordinal));
        // Read back without the line breaks, the note is whole: every break fell after a '/' or between words.
        var rejoined = string.Concat(table.Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.EndsWith('/') ? l : l + " "));
        Assert.Contains(LongNoteBuild.PathNote, rejoined);
    }

    [Fact]
    public void The_outcome_line_comes_last_after_what_the_build_writes_when_it_finishes()
    {
        using var h = new Harness();

        var run = h.Run<LongNoteBuild>("Report");

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        Assert.StartsWith("Build succeeded", lines[^1]);
        var closing = lines.FindIndex(l => l.Contains("closing words from the build"));
        Assert.InRange(closing, lines.FindIndex(l => l.StartsWith("Total", StringComparison.Ordinal)) + 1, lines.Count - 2);
    }
}
