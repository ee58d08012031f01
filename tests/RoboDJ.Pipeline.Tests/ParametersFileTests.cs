using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class ParametersFileTests
{
    [Fact]
    public void A_malformed_parameters_file_is_named_with_one_line_and_column_and_the_fix()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", "{\n  \"Retries\": 2,\n  \"Env\": staging\n}\n");
        var run = h.Run<ParametersBuild>("Show");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: .nuke/parameters.json, line 3, column 10: not valid JSON: 's' is an invalid start of a value. " +
            "Fix: put a text value in double quotes, e.g. \"Env\": \"staging\" (numbers, true, false and null go without quotes).", run.ErrorLine.TrimEnd('\r'));
        Assert.DoesNotContain("LineNumber", run.Output);
        Assert.DoesNotContain("delete", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }

    /// <summary>A FIFO as a parameters file held the build before its first line; a folder was passed over in silence.</summary>
    [Theory]
    [InlineData("fifo", "is a named pipe (FIFO)")]
    [InlineData("folder", "is a folder, not a file")]
    public async Task A_parameters_file_that_is_not_a_file_is_refused_at_once_as_what_it_is(string kind, string named)
    {
        using var h = new Harness();
        var path = Path.Combine(h.Root, ".nuke", "parameters.json");
        if (kind == "fifo") RoboDJ.Testing.HostileFiles.Fifo(path); else Directory.CreateDirectory(path);

        var attempt = Task.Run(() => h.Run<ParametersBuild>("Show"));
        if (await Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)) != attempt)
        {
            await using (new FileStream(path, FileMode.Open, FileAccess.Write)) { }
            await attempt;
            Assert.Fail("the build waited on the named pipe");
        }
        var run = await attempt;
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: .nuke/parameters.json: {path} {named}", run.ErrorLine);
        Assert.Contains("Fix: ", run.ErrorLine);
    }

    [Fact]
    public void A_malformed_profile_file_is_named_too()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.staging.json", "{ \"Retries\": 2,, }");
        var run = h.Run<ParametersBuild>("Show", "--env", "staging");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: .nuke/parameters.staging.json, line 1, column 16: not valid JSON:", run.ErrorLine);
        Assert.Contains("Fix: write each name in double quotes, e.g. \"Env\", with one comma between two entries.", run.ErrorLine);
    }

    [Theory]
    [InlineData("{\n  // the deployment\n  \"Note\": \"für Öl\", \"Env\" \"staging\"\n}", 3, 27, "put a colon between a name and its value")]
    [InlineData("\uFEFF{ \"Env\": \"staging\" \"Retries\": 2 }", 1, 20, "put a comma between two entries")]
    [InlineData("{\r\n  \"Env\": \"staging\",\r\n  \"Retries\": [1, 2\r\n", 4, 1, "close every { with }")]
    public void The_column_counts_characters_as_an_editor_shows_them(string json, int line, int column, string fix)
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", json);
        var run = h.Run<ParametersBuild>("Show");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: .nuke/parameters.json, line {line}, column {column}: not valid JSON: ", run.ErrorLine);
        Assert.Contains("Fix: " + fix, run.ErrorLine);
    }

    [Fact]
    public void A_parameters_file_saved_with_a_byte_order_mark_is_read()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", "\uFEFF{ \"Retries\": 7 }");
        var run = h.Run<ParametersBuild>("Show");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(7, ParametersBuild.Last!.Retries);
    }

    [Fact]
    public void An_unknown_key_in_a_parameters_file_is_bad_input_with_a_suggestion()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "ComposeProjet": "x" }""");
        var run = h.Run<ParametersBuild>("Show");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(".nuke/parameters.json: unknown parameter 'ComposeProjet'. Did you mean 'ComposeProject'?", run.ErrorLine);
    }

    [Fact]
    public void A_wrong_value_in_a_file_names_the_file_and_the_json_path()
    {
        using var h = new Harness();
        h.WithFile(".nuke/parameters.json", """{ "Runtime": "podman" }""");
        var run = h.Run<ParametersBuild>("Show");
        Assert.Contains("Invalid value 'podman' for .nuke/parameters.json, $.Runtime. Valid values: Docker, Desktop.", run.ErrorLine);
    }
}
